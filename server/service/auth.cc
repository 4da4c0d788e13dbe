#include "server/service/auth.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace heluo {
namespace {

const char* RoleName(Role r) { return r == Role::kAdmin ? "admin" : r == Role::kEditor ? "editor" : "reader"; }

// The x-heluo-min-sequence of a call: nullopt when absent, 0 when it is not a positive decimal number.
std::optional<uint64_t> MinSequence(const CallContext& call) {
  if (!call.min_sequence) return std::nullopt;
  uint64_t n = 0;
  const char* end = call.min_sequence->data() + call.min_sequence->size();
  const auto [stop, error] = std::from_chars(call.min_sequence->data(), end, n);
  return error == std::errc() && stop == end ? n : 0;
}

}  // namespace

std::chrono::system_clock::time_point Authorizer::WaitDeadline(const CallContext& call) {
  return std::min(call.deadline, std::chrono::system_clock::now() + kMaxSequenceWait);
}

uint64_t Authorizer::AwaitedSequence(const CallContext& call) const {
  if (replication_ == nullptr || replication_->role() != ReplicationRole::kReplica) return 0;
  const uint64_t wanted = MinSequence(call).value_or(0);
  return wanted > replication_->sequence() ? wanted : 0;
}

grpc::Status Authorizer::AwaitSequence(const CallContext& call) const {
  const std::optional<uint64_t> wanted = MinSequence(call);
  if (!wanted) return grpc::Status::OK;
  if (*wanted == 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        std::string(kMinSequenceMetadata) +
                            " must be a commit sequence (a positive decimal number, as a write's " +
                            kCommitSequenceMetadata + " gives it)");
  }
  if (replication_ == nullptr || replication_->WaitFor(*wanted, WaitDeadline(call))) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "this replica has applied the primary's commits up to " +
                          std::to_string(replication_->sequence()) + ", not yet " + std::to_string(*wanted) + " (" +
                          kMinSequenceMetadata + ") within the call's deadline; retry on another server or the primary");
}

grpc::Status Authorizer::Check(const CallContext& call, Role needed, Principal* who) const {
  if (needed == Role::kReader && reads_refused_) {
    if (Status why = reads_refused_(); !why.ok()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, why.message());
  }
  grpc::Status st = CheckWithoutReadRefusal(call, needed, who);
  return st.ok() ? AwaitSequence(call) : st;
}

grpc::Status Authorizer::CheckWithoutReadRefusal(const CallContext& call, Role needed, Principal* who) const {
  if (needed == Role::kEditor && !replica_of_.empty()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this server is a read replica and takes no writes; send writes to the primary at " +
                            replica_of_ + " (nothing was changed)");
  }
  if (needed == Role::kReader && !reads_need_token_) {
    // A valid token still names the caller (per-client stream limits); a missing or bad one is ignored.
    if (!call.authorization || !CheckToken(call, needed, who).ok()) {
      *who = Principal{"anonymous", Role::kReader};
    }
    return grpc::Status::OK;
  }
  return CheckToken(call, needed, who);
}

grpc::Status Authorizer::CheckToken(const CallContext& call, Role needed, Principal* who) const {
  if (tokens_ == nullptr || !tokens_->configured()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "writes are disabled on this server: start heluo-server with --token-file FILE "
                        "(lines 'editor <sha256 of token> <name>'; see docs/operations.md)");
  }
  if (!call.authorization) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this call needs a token: send the metadata 'authorization: Bearer <token>'");
  }
  const std::string_view value = *call.authorization;
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
