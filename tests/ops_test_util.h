// Helpers shared by the operations tests that drive real heluo-server and heluo processes.
#ifndef HELUO_TESTS_OPS_TEST_UTIL_H_
#define HELUO_TESTS_OPS_TEST_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo::ops_test {

inline constexpr const char* kAdmin = "admin-token-5b1e";

inline std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::unique_ptr<grpc::ClientContext> Ctx(const char* token = nullptr) {
  return BearerContext(token, std::chrono::seconds(30));
}

// A token file with one admin token, in `dir`.
inline std::string AdminTokens(const TempDir& dir) {
  std::ofstream(dir.Sub("tokens")) << "admin " << TokenHash(kAdmin) << " root\n";
  return dir.Sub("tokens");
}

// heluo-server run to completion (it is expected to refuse to start); killed after 30 s if it does start.
inline CommandResult RunServer(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/timeout", "30", HELUO_SERVER_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

inline std::string HealthOf(const std::string& address, const std::string& service) {
  auto health =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status st = health->Check(Ctx().get(), request, &response);
  if (!st.ok()) return "error " + std::to_string(st.error_code());
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
}

}  // namespace heluo::ops_test

#endif  // HELUO_TESTS_OPS_TEST_UTIL_H_
