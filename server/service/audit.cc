#include "server/service/audit.h"

#include <spdlog/spdlog.h>

#include "server/service/caller.h"

namespace heluo {

std::string CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",           "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED",     "INTERNAL",          "UNAVAILABLE",      "DATA_LOSS",         "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(std::size(kNames)) ? kNames[i] : std::to_string(i);
}

Audit::Audit(std::string method, const CallContext& call) : method_(std::move(method)), peer_(call.Peer()) {}

Audit::Audit(std::string method, const grpc::ServerContext* context) : method_(std::move(method)) {
  if (context != nullptr) peer_ = CallerPeer(*context);
}

Audit::~Audit() {
  if (!finished_) Write("UNKNOWN", "the call ended without an outcome (an exception)");
}

grpc::Status Audit::Finish(grpc::Status status) {
  finished_ = true;
  Write(CodeName(status.error_code()), status.error_message());
  return status;
}

void Audit::Write(const std::string& code, const std::string& message) {
  LogFields fields = {{"method", method_}, {"who", who_}, {"peer", peer_}, {"code", code}};
  if (!message.empty()) fields.emplace_back("error", message);
  fields.insert(fields.end(), fields_.begin(), fields_.end());
  spdlog::info("{}", LogLine("audit", fields));
}

}  // namespace heluo
