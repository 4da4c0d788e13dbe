#include "server/service/health_watch.h"

#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include "server/service/replication_report.h"

namespace heluo {

HealthWatch::HealthWatch(grpc::Server* server, const Store* store)
    : health_(server->GetHealthCheckService()), store_(store) {
  if (health_ == nullptr) return;
  for (const char* name : kHealthServiceNames) health_->SetServingStatus(name, true);
  health_->SetServingStatus("", true);
}

void HealthWatch::Set(bool serving) {
  if (serving == serving_) return;
  serving_ = serving;
  if (health_ != nullptr) health_->SetServingStatus(serving);  // Every name, "" included.
}

void HealthWatch::Check() {
  if (store_ok_) {
    const Status st = store_->Health();
    if (!st.ok()) {
      store_ok_ = false;
      spdlog::error("health: NOT_SERVING from now on: {}", st.message());
    }
  }
  if (replication_ != nullptr && replication_->role() == ReplicationRole::kReplica) {
    const ReplicationSnapshot snapshot = replication_->Snapshot();
    if (snapshot.serving.ok() != replica_ok_) {
      replica_ok_ = snapshot.serving.ok();
      LogReplication(snapshot);  // Once per change: why it stopped serving, or that it serves again.
    }
  }
  Set(store_ok_ && replica_ok_);
}

}  // namespace heluo
