// Per-method call counters and latency percentiles, read by Admin.Stats and `heluo stats`, and the request
// log (spdlog: one line per call at debug, failures at warn), both written by RecordCall when a call ends:
// for gRPC calls by a server interceptor, for the HTTP adapter's direct calls by the adapter. Latencies go into log-spaced buckets (×1.25), so a percentile is exact to within 25%
// and memory is fixed whatever the traffic. Token values never reach the log: only the method, the status
// code, the message of a failure and the time are written.
//
// Thread-safety: Record() and Snapshot() may be called from any thread.
#ifndef HELUO_SERVER_SERVICE_METRICS_H_
#define HELUO_SERVER_SERVICE_METRICS_H_

#include <grpcpp/support/server_interceptor.h>
#include <grpcpp/support/status.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "server/service/call_context.h"

namespace heluo {

class CallMetrics {
 public:
  static constexpr size_t kBuckets = 96;  // 1 µs × 1.25^95 ≈ 1.6 × 10^9 µs.

  struct MethodSnapshot {
    std::string method;
    int64_t calls = 0;
    int64_t errors = 0;  // Any status but OK.
    int64_t p50_us = 0, p99_us = 0, max_us = 0;
  };

  void Record(const std::string& method, bool ok, int64_t micros);
  std::vector<MethodSnapshot> Snapshot() const;

 private:
  struct Method {
    int64_t calls = 0, errors = 0, max_us = 0;
    std::array<int64_t, kBuckets> buckets{};
  };
  mutable std::mutex mutex_;
  std::map<std::string, Method> methods_;
};

// One finished call of `method` ("/heluo.v1.Glossary/LookupTerm"), whichever face it came through: its
// counters in `metrics` and its request-log line, naming call.Peer().
void RecordCall(CallMetrics* metrics, const std::string& method, const grpc::Status& status, int64_t micros,
                const CallContext& call);

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(CallMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallMetrics* metrics_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_METRICS_H_
