// Keeps grpc.health.v1 true to the store: SERVING for "" and each heluo service while the store works,
// NOT_SERVING for all of them from the first failure Store::Health() reports (a load balancer or
// orchestrator then routes away and restarts the server instead of sending it calls that fail). On a read
// replica also NOT_SERVING while it lags more than --max-replica-lag or has lost the change stream
// (ReplicationState::Serving), and SERVING again once it has caught up; each change is logged once.
#ifndef HELUO_SERVER_SERVICE_HEALTH_WATCH_H_
#define HELUO_SERVER_SERVICE_HEALTH_WATCH_H_

#include <grpcpp/server.h>

#include "server/core/replication_state.h"
#include "server/core/store/store.h"

namespace heluo {

// The service names health answers for besides "" (the whole server).
inline constexpr const char* kHealthServiceNames[] = {"heluo.v1.Glossary", "heluo.v1.TranslationMemory",
                                                      "heluo.v1.Admin"};

class HealthWatch {
 public:
  // Marks every name SERVING. `server` was built with the default health service enabled.
  HealthWatch(grpc::Server* server, const Store* store);

  // Asks the store; on its first failure marks every name NOT_SERVING and logs why, once. Cheap (a stat of
  // the data file): called about once a second.
  void Check();
  // A replica's state, asked at every Check().
  void set_replication(const ReplicationState* state) { replication_ = state; }

 private:
  void Set(bool serving);

  grpc::HealthCheckServiceInterface* health_;
  const Store* store_;
  const ReplicationState* replication_ = nullptr;
  bool store_ok_ = true;      // False for good after the store's first failure.
  bool replica_ok_ = true;    // What was reported last for the replica's state.
  bool serving_ = true;       // What health says now.
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_HEALTH_WATCH_H_
