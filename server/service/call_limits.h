// What bounds the work of one call, from its CallContext (any face) or gRPC server context (sync or callback
// API, for the streaming methods): its deadline and whether the client went away.
#ifndef HELUO_SERVER_SERVICE_CALL_LIMITS_H_
#define HELUO_SERVER_SERVICE_CALL_LIMITS_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <functional>

#include "server/core/store/store.h"
#include "server/service/call_context.h"

namespace heluo {

// A write that cannot start before the call's deadline, or whose client went away, is not applied.
inline WriteLimits WriteLimitsOf(std::chrono::system_clock::time_point deadline, std::function<bool()> cancelled) {
  WriteLimits limits;
  limits.deadline = deadline;  // time_point::max() when the client set none.
  limits.cancelled = std::move(cancelled);
  return limits;
}
inline WriteLimits WriteLimitsOf(const CallContext& call) {
  return WriteLimitsOf(call.deadline, [&call] { return call.IsCancelled(); });
}
inline WriteLimits WriteLimitsOf(grpc::ServerContextBase* context) {
  return WriteLimitsOf(context->deadline(), [context] { return context->IsCancelled(); });
}

// "Stop working on this call": its deadline passed (a cheap clock read on every poll) or the client
// cancelled it (IsCancelled takes a lock, so it is asked only every 64th poll: asking on
// every poll cost more than the lookup itself at 1M segments).
template <typename Cancelled>
std::function<bool()> CancelledOrExpired(std::chrono::system_clock::time_point deadline, Cancelled cancelled) {
  return [cancelled, deadline, polls = 0]() mutable {
    if (std::chrono::system_clock::now() > deadline) return true;
    return ++polls % 64 == 0 && cancelled();
  };
}
inline std::function<bool()> CancelledOrExpired(const CallContext& call) {
  return CancelledOrExpired(call.deadline, [&call] { return call.IsCancelled(); });
}
inline std::function<bool()> CancelledOrExpired(grpc::ServerContextBase* context) {
  return CancelledOrExpired(context->deadline(), [context] { return context->IsCancelled(); });
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_CALL_LIMITS_H_
