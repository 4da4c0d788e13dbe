// Authorizer: decides from a call's `authorization: Bearer <token>` metadata (scheme case-insensitive, RFC
// 6750) whether it may run. Reads are open unless the server was started with --require-token-for-reads (a
// valid token on an open read still names the caller); writes and imports always need an
// editor or admin token, and with no token file the server refuses them, saying how to enable them.
// Tokens are never logged or echoed.
#ifndef HELUO_SERVER_SERVICE_AUTH_H_
#define HELUO_SERVER_SERVICE_AUTH_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "server/core/auth/token_store.h"
#include "server/core/status.h"

namespace heluo {

class Authorizer {
 public:
  Authorizer(const TokenStore* tokens, bool reads_need_token) : tokens_(tokens), reads_need_token_(reads_need_token) {}
  // OK and *who filled in, or UNAUTHENTICATED / PERMISSION_DENIED / FAILED_PRECONDITION.
  grpc::Status Check(const grpc::ServerContextBase* context, Role needed, Principal* who) const;
  // The same, when the caller does not need to know who it is.
  grpc::Status Check(const grpc::ServerContextBase* context, Role needed) const {
    Principal ignored;
    return Check(context, needed, &ignored);
  }
  // A read replica (docs/replication.md) refuses every call that needs the editor role — every write and
  // import — with FAILED_PRECONDITION naming `primary`, before looking at the token, and changes nothing.
  void RefuseWritesAsReplicaOf(std::string primary) { replica_of_ = std::move(primary); }
  // A replica that knows its content is stale for good (it lost the change stream) refuses every call that
  // needs only the reader role with UNAVAILABLE and `why()`'s message while `why()` is not OK, so clients
  // retry elsewhere instead of reading stale data. Set before serving; `why` must be cheap and thread-safe.
  void RefuseReadsWhile(std::function<Status()> why) { reads_refused_ = std::move(why); }
  // Check() without that refusal: for the calls that tell an operator the server's state (Admin.Stats).
  grpc::Status CheckWithoutReadRefusal(const grpc::ServerContextBase* context, Role needed,
                                       Principal* who) const;

 private:
  // The token's check alone: FAILED_PRECONDITION without a token file.
  grpc::Status CheckToken(const grpc::ServerContextBase* context, Role needed, Principal* who) const;

  const TokenStore* tokens_;
  bool reads_need_token_;
  std::string replica_of_;  // Empty: not a replica.
  std::function<Status()> reads_refused_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_AUTH_H_
