#include "server/service/commit_sequence.h"

#include <string>

#include "server/service/auth.h"

namespace heluo {
namespace {

class CommitSequenceInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CommitSequenceInterceptor(const ReplicationState* state) : state_(state) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->GetSendTrailingMetadata()->emplace(kCommitSequenceMetadata, CommitSequenceOf(*state_));
    }
    methods->Proceed();
  }

 private:
  const ReplicationState* state_;
};

}  // namespace

grpc::experimental::Interceptor* CommitSequenceInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo*) {
  return new CommitSequenceInterceptor(state_);  // Owned and deleted by gRPC.
}

}  // namespace heluo
