#include "client/connection.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace heluo::cli {

void Authorize(grpc::ClientContext *ctx, const Options &o) {
  if (!o.token.empty()) ctx->AddMetadata("authorization", "Bearer " + o.token);
}

void PrepareCall(grpc::ClientContext *ctx, const Options &o) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeout_ms));
}

int ReportError(const grpc::Status &status, const Options &o) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "heluo: cannot reach heluo-server at " << o.server << " (" << status.error_message()
              << "). Is it running? Start it with heluo-server, or pass "
                 "--server HOST:PORT."
              << std::endl;
    return kUnreachable;
  }
  std::cerr << "heluo: the server refused the request: " << status.error_message() << std::endl;
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? kNothingFound : kRejected;
}

std::shared_ptr<grpc::Channel> Connect(const Options &o) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (!o.tls_ca.empty()) {
    std::ifstream in(o.tls_ca);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      std::cerr << "heluo: cannot read --tls-ca " << o.tls_ca << std::endl;
      return nullptr;
    }
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(tls);
    if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
  }
  return grpc::CreateCustomChannel(o.server, credentials, args);
}

}  // namespace heluo::cli
