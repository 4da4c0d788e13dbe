#include "server/service/metrics.h"

#include "server/service/caller.h"

#include <spdlog/spdlog.h>

#include "server/service/audit.h"
#include "server/service/log.h"

#include <algorithm>
#include <cmath>

namespace heluo {
namespace {

size_t BucketOf(int64_t micros) {
  if (micros <= 1) return 0;
  const double b = std::log(static_cast<double>(micros)) / std::log(1.25);
  return std::min(CallMetrics::kBuckets - 1, static_cast<size_t>(std::ceil(b)));
}

int64_t BucketUpperBound(size_t bucket) { return static_cast<int64_t>(std::ceil(std::pow(1.25, static_cast<double>(bucket)))); }

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(CallMetrics* metrics, std::string method, const grpc::ServerContextBase* context)
      : metrics_(metrics), method_(std::move(method)), context_(context), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int64_t micros =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
      CallContext call;
      call.peer = [this] { return CallerPeer(*context_); };
      RecordCall(metrics_, method_, methods->GetSendStatus(), micros, call);
    }
    methods->Proceed();
  }

 private:
  CallMetrics* metrics_;
  std::string method_;
  const grpc::ServerContextBase* context_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

void RecordCall(CallMetrics* metrics, const std::string& method, const grpc::Status& status, int64_t micros,
                const CallContext& call) {
  metrics->Record(method, status.ok(), micros);
  if (status.ok()) {
    // The line is built only when it is written: most servers log at info, and every call passes here.
    if (!spdlog::should_log(spdlog::level::debug)) return;
    spdlog::debug("{}", LogLine("call", {{"method", method}, {"code", "OK"}, {"micros", micros}, {"peer", call.Peer()}}));
  } else {
    spdlog::warn("{}", LogLine("call", {{"method", method}, {"code", CodeName(status.error_code())},
                                        {"micros", micros}, {"peer", call.Peer()},
                                        {"message", status.error_message()}}));
  }
}

void CallMetrics::Record(const std::string& method, bool ok, int64_t micros) {
  std::lock_guard<std::mutex> lock(mutex_);
  Method& m = methods_[method];
  ++m.calls;
  if (!ok) ++m.errors;
  m.max_us = std::max(m.max_us, micros);
  ++m.buckets[BucketOf(micros)];
}

std::vector<CallMetrics::MethodSnapshot> CallMetrics::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<MethodSnapshot> out;
  for (const auto& [name, m] : methods_) {
    MethodSnapshot s{name, m.calls, m.errors, 0, 0, m.max_us};
    auto percentile = [&](double p) {
      const auto rank = static_cast<int64_t>(std::ceil(p * static_cast<double>(m.calls)));
      int64_t seen = 0;
      for (size_t b = 0; b < kBuckets; ++b) {
        seen += m.buckets[b];
        if (seen >= rank) return std::min(BucketUpperBound(b), m.max_us);
      }
      return m.max_us;
    };
    s.p50_us = percentile(0.50);
    s.p99_us = percentile(0.99);
    out.push_back(s);
  }
  return out;
}

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsInterceptor(metrics_, info->method(), info->server_context());  // Owned and deleted by gRPC.
}

}  // namespace heluo
