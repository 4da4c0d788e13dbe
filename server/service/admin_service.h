// The heluo.v1.Admin service: what the server holds and how its storage is doing.
#ifndef HELUO_SERVER_SERVICE_ADMIN_SERVICE_H_
#define HELUO_SERVER_SERVICE_ADMIN_SERVICE_H_

#include <string>

#include "heluo/v1/admin.grpc.pb.h"
#include "server/core/replication_state.h"
#include "server/core/store/store.h"
#include "server/service/auth.h"
#include "server/service/grpc_call_context.h"
#include "server/service/metrics.h"
#include "server/service/stream_guard.h"
#include "server/service/unary_methods.h"

namespace heluo {

class AdminService final : public v1::Admin::Service {
 public:
  // `backup_root`: the directory Backup writes below (heluo-server --backup-dir, canonical); empty turns
  // server-side Backup off.
  AdminService(const Store* store, const Authorizer* auth, const CallMetrics* metrics, StreamRegistry* streams,
               std::string backup_root)
      : store_(store),
        auth_(auth),
        metrics_(metrics),
        streams_(streams),
        backup_root_(std::move(backup_root)),
        started_(std::chrono::steady_clock::now()) {}

  // A primary's or replica's state for Stats' replication block; unset: standalone.
  void set_replication(const ReplicationState* state) { replication_ = state; }

  grpc::Status Stats(grpc::ServerContext* c, const v1::StatsRequest* q, v1::StatsResponse* r) override {
    return DoStats(FromGrpc(*c), q, r);
  }
  grpc::Status Backup(grpc::ServerContext* c, const v1::BackupRequest* q, v1::BackupResponse* r) override {
    return DoBackup(FromGrpc(*c), q, r);
  }
  grpc::Status DownloadBackup(grpc::ServerContext* context, const v1::DownloadBackupRequest* request,
                              grpc::ServerWriter<v1::BackupChunk>* writer) override;

  // Adds every unary method's body (the HTTP adapter's way in).
  void AddUnaryMethods(UnaryMethods* methods);

 private:
  grpc::Status DoStats(const CallContext&, const v1::StatsRequest*, v1::StatsResponse*);
  grpc::Status DoBackup(const CallContext&, const v1::BackupRequest*, v1::BackupResponse*);

  const Store* store_;
  const Authorizer* auth_;
  const CallMetrics* metrics_;
  StreamRegistry* streams_;
  std::string backup_root_;
  std::chrono::steady_clock::time_point started_;
  const ReplicationState* replication_ = nullptr;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_ADMIN_SERVICE_H_
