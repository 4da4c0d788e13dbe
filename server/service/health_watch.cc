#include "server/service/health_watch.h"

#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

namespace heluo {

HealthWatch::HealthWatch(grpc::Server* server, const Store* store)
    : health_(server->GetHealthCheckService()), store_(store) {
  if (health_ == nullptr) return;
  for (const char* name : kHealthServiceNames) health_->SetServingStatus(name, true);
  health_->SetServingStatus("", true);
}

void HealthWatch::Check() {
  if (!serving_) return;
  const Status st = store_->Health();
  if (st.ok()) return;
  serving_ = false;
  if (health_ != nullptr) health_->SetServingStatus(false);  // Every name, "" included.
  spdlog::error("health: NOT_SERVING from now on: {}", st.message());
}

}  // namespace heluo
