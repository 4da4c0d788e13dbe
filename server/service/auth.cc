#include "server/service/auth.h"

#include <algorithm>
#include <cctype>

namespace heluo {
namespace {

const char* RoleName(Role r) { return r == Role::kAdmin ? "admin" : r == Role::kEditor ? "editor" : "reader"; }

}  // namespace

grpc::Status Authorizer::Check(const grpc::ServerContextBase* context, Role needed, Principal* who) const {
  if (needed == Role::kReader && reads_refused_) {
    if (Status why = reads_refused_(); !why.ok()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, why.message());
  }
  return CheckWithoutReadRefusal(context, needed, who);
}

grpc::Status Authorizer::CheckWithoutReadRefusal(const grpc::ServerContextBase* context, Role needed,
                                                 Principal* who) const {
  if (needed == Role::kEditor && !replica_of_.empty()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this server is a read replica and takes no writes; send writes to the primary at " +
                            replica_of_ + " (nothing was changed)");
  }
  if (needed == Role::kReader && !reads_need_token_) {
    // A valid token still names the caller (per-client stream limits); a missing or bad one is ignored.
    if (context->client_metadata().count("authorization") == 0 || !CheckToken(context, needed, who).ok()) {
      *who = Principal{"anonymous", Role::kReader};
    }
    return grpc::Status::OK;
  }
  return CheckToken(context, needed, who);
}

grpc::Status Authorizer::CheckToken(const grpc::ServerContextBase* context, Role needed, Principal* who) const {
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
  // RFC 6750 / RFC 7235: the scheme name is case-insensitive ("bearer", "BEARER").
  constexpr std::string_view kBearer = "bearer ";
  const bool bearer = value.size() >= kBearer.size() &&
                      std::equal(kBearer.begin(), kBearer.end(), value.begin(), [](char a, char b) {
                        return a == std::tolower(static_cast<unsigned char>(b));
                      });
  if (!bearer) {
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
  who->authenticated = true;
  return grpc::Status::OK;
}

}  // namespace heluo
