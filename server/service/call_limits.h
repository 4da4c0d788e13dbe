// What bounds the work of one call, from its server context (sync or callback API): its deadline and whether
// the client went away.
#ifndef HELUO_SERVER_SERVICE_CALL_LIMITS_H_
#define HELUO_SERVER_SERVICE_CALL_LIMITS_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <functional>

#include "server/core/store/store.h"

namespace heluo {

// A write that cannot start before the call's deadline, or whose client went away, is not applied.
inline WriteLimits WriteLimitsOf(grpc::ServerContextBase* context) {
  WriteLimits limits;
  limits.deadline = context->deadline();  // time_point::max() when the client set none.
  limits.cancelled = [context] { return context->IsCancelled(); };
  return limits;
}

// "Stop working on this call": its deadline passed (a cheap clock read on every poll) or the client
// cancelled it (IsCancelled takes a lock, so it is asked only every 64th poll: asking on
// every poll cost more than the lookup itself at 1M segments).
inline std::function<bool()> CancelledOrExpired(grpc::ServerContextBase* context) {
  const auto deadline = context->deadline();
  return [context, deadline, polls = 0]() mutable {
    if (std::chrono::system_clock::now() > deadline) return true;
    return ++polls % 64 == 0 && context->IsCancelled();
  };
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_CALL_LIMITS_H_
