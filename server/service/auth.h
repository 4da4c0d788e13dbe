// Authorizer: decides from a call's `authorization: Bearer <token>` metadata (scheme case-insensitive, RFC
// 6750) whether it may run. Reads are open unless the server was started with --require-token-for-reads (a
// valid token on an open read still names the caller); writes and imports always need an
// editor or admin token, and with no token file the server refuses them, saying how to enable them.
// Tokens are never logged or echoed.
#ifndef HELUO_SERVER_SERVICE_AUTH_H_
#define HELUO_SERVER_SERVICE_AUTH_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "server/core/auth/token_store.h"
#include "server/core/replication_state.h"
#include "server/core/status.h"
#include "server/service/call_context.h"
#include "server/service/grpc_call_context.h"

namespace heluo {

// The metadata of read-your-writes (docs/replication.md): a write's answer carries the commit sequence it
// reached; a read may ask for at least that sequence.
inline constexpr char kCommitSequenceMetadata[] = "x-heluo-commit-sequence";
inline constexpr char kMinSequenceMetadata[] = "x-heluo-min-sequence";
// The longest a call waits for its x-heluo-min-sequence when its deadline is later (or it has none).
inline constexpr std::chrono::seconds kMaxSequenceWait{30};

class Authorizer {
 public:
  Authorizer(const TokenStore* tokens, bool reads_need_token) : tokens_(tokens), reads_need_token_(reads_need_token) {}
  // OK and *who filled in, or UNAUTHENTICATED / PERMISSION_DENIED / FAILED_PRECONDITION. Works from the
  // transport-neutral CallContext, so gRPC and HTTP calls are checked by this one function.
  grpc::Status Check(const CallContext& call, Role needed, Principal* who) const;
  // The same, when the caller does not need to know who it is.
  grpc::Status Check(const CallContext& call, Role needed) const {
    Principal ignored;
    return Check(call, needed, &ignored);
  }
  // For the gRPC-only methods (the streaming ones): the call's CallContext, then the same check.
  grpc::Status Check(const grpc::ServerContextBase* context, Role needed, Principal* who) const {
    return Check(FromGrpc(*context), needed, who);
  }
  grpc::Status Check(const grpc::ServerContextBase* context, Role needed) const {
    return Check(FromGrpc(*context), needed);
  }
  // A read replica (docs/replication.md) refuses every call that needs the editor role — every write and
  // import — with FAILED_PRECONDITION naming `primary`, before looking at the token, and changes nothing.
  void RefuseWritesAsReplicaOf(std::string primary) { replica_of_ = std::move(primary); }
  // A replica that knows its content is stale for good (it lost the change stream) refuses every call that
  // needs only the reader role with UNAVAILABLE and `why()`'s message while `why()` is not OK, so clients
  // retry elsewhere instead of reading stale data. Set before serving; `why` must be cheap and thread-safe.
  void RefuseReadsWhile(std::function<Status()> why) { reads_refused_ = std::move(why); }
  // Check() without that refusal (and without the x-heluo-min-sequence wait): for the calls that tell an
  // operator the server's state (Admin.Stats).
  grpc::Status CheckWithoutReadRefusal(const CallContext& call, Role needed, Principal* who) const;

  // Read-your-writes (docs/replication.md): with a replica's state, a call that sends
  // `x-heluo-min-sequence: N` and passes the check waits until N is applied, up to its deadline (at most
  // kMaxSequenceWait), and is answered UNAVAILABLE if it is not, so the client can retry elsewhere. A
  // primary or standalone server answers at once. Every method — sync, streaming, callback — gets this
  // through Check().
  void FollowReplication(ReplicationState* state) { replication_ = state; }
  ReplicationState* replication() const { return replication_; }
  // The sequence a call asks for with x-heluo-min-sequence that this server has not reached (0: none, a
  // malformed one — Check() refuses that — or reached), and how long it may wait for it. For callback
  // handlers, which must wait without holding their thread (unary_reactor.h).
  uint64_t AwaitedSequence(const CallContext& call) const;
  static std::chrono::system_clock::time_point WaitDeadline(const CallContext& call);

 private:
  // The token's check alone: FAILED_PRECONDITION without a token file.
  grpc::Status CheckToken(const CallContext& call, Role needed, Principal* who) const;

  // Waits for the x-heluo-min-sequence the call sends, if any.
  grpc::Status AwaitSequence(const CallContext& call) const;

  const TokenStore* tokens_;
  bool reads_need_token_;
  std::string replica_of_;  // Empty: not a replica.
  ReplicationState* replication_ = nullptr;  // Null: standalone.
  std::function<Status()> reads_refused_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_AUTH_H_
