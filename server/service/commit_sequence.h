// Read-your-writes, the answering half (docs/replication.md): every answer of a primary or a replica —
// every method, every call model — carries trailing metadata `x-heluo-commit-sequence`, the commit
// sequence of the content the server had when it answered. After a write that is the write's own commit
// (or a later one); a client sends it back as `x-heluo-min-sequence` on a read to any replica to see at
// least that content (auth.h). A standalone server registers no such interceptor and sends none.
#ifndef HELUO_SERVER_SERVICE_COMMIT_SEQUENCE_H_
#define HELUO_SERVER_SERVICE_COMMIT_SEQUENCE_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "server/core/replication_state.h"

namespace heluo {

// The x-heluo-commit-sequence of a call answered now; read when the call ends, after its last commit, so
// never older than what it wrote. The HTTP adapter sends it as the X-Heluo-Commit-Sequence header.
inline std::string CommitSequenceOf(const ReplicationState& state) { return std::to_string(state.sequence()); }

class CommitSequenceInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CommitSequenceInterceptorFactory(const ReplicationState* state) : state_(state) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  const ReplicationState* state_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_COMMIT_SEQUENCE_H_
