#include "server/service/auth.h"

namespace heluo {
namespace {

const char* RoleName(Role r) { return r == Role::kAdmin ? "admin" : r == Role::kEditor ? "editor" : "reader"; }

}  // namespace

grpc::Status Authorizer::Check(const grpc::ServerContext* context, Role needed, Principal* who) const {
  if (needed == Role::kReader && !reads_need_token_) {
    *who = Principal{"anonymous", Role::kReader};
    return grpc::Status::OK;
  }
  if (tokens_ == nullptr || !tokens_->configured()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "writes are disabled on this server: start heluo-server with --token-file FILE "
                        "(lines 'editor <sha256 of token> <name>'; see docs/operations.md)");
  }
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this call needs a token: send the metadata 'authorization: Bearer <token>'");
  }
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.substr(0, kBearer.size()) != kBearer) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the authorization metadata must be 'Bearer <token>'");
  }
  std::optional<Principal> principal = tokens_->Lookup(value.substr(kBearer.size()));
  if (!principal) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the token is not valid on this server");
  if (static_cast<int>(principal->role) < static_cast<int>(needed)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, std::string("this call needs the ") + RoleName(needed) +
                                                                 " role; the token of '" + principal->name + "' has " +
                                                                 RoleName(principal->role));
  }
  *who = *principal;
  return grpc::Status::OK;
}

}  // namespace heluo
