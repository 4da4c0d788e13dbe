#include "server/service/admin_service.h"

#include <unistd.h>

#include "server/core/collections.h"
#include "server/core/sha256.h"
#include "server/core/store/backup_path.h"
#include "server/service/audit.h"
#include "server/service/replication_report.h"
#include "server/service/spool_file.h"
#include "server/service/status_mapping.h"

namespace heluo {

void AdminService::AddUnaryMethods(UnaryMethods* methods) {
  methods->Add("/heluo.v1.Admin/Stats", this, &AdminService::DoStats);
  methods->Add("/heluo.v1.Admin/Backup", this, &AdminService::DoBackup);
}

grpc::Status AdminService::DoBackup(const CallContext& call, const v1::BackupRequest* request,
                                  v1::BackupResponse* response) {
  Audit audit("heluo.v1.Admin/Backup", call);
  Principal who;
  if (grpc::Status a = auth_->Check(call, Role::kAdmin, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  audit.Note("path", request->path());
  if (backup_root_.empty()) {
    return audit.Finish(grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        "backups written on the server are off: start heluo-server with --backup-dir DIR to allow "
        "them below DIR, or stream the copy to the client with heluo backup --download DIR"));
  }
  Result<std::string> path = ResolveBackupPath(backup_root_, request->path());
  if (!path.ok()) return audit.Finish(ToGrpcStatus(path.status()));
  Result<int64_t> bytes = store_->Backup(*path);
  if (!bytes.ok()) return audit.Finish(ToGrpcStatus(bytes.status()));
  response->set_path(*path);
  response->set_bytes(*bytes);
  audit.Count("bytes", *bytes);
  return audit.Finish(grpc::Status::OK);
}

grpc::Status AdminService::DownloadBackup(grpc::ServerContext* context, const v1::DownloadBackupRequest*,
                                          grpc::ServerWriter<v1::BackupChunk>* writer) {
  Audit audit("heluo.v1.Admin/DownloadBackup", context);
  Principal who;
  if (grpc::Status a = auth_->Check(context, Role::kAdmin, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  StreamRegistry::Stream stream = streams_->Admit(context, ClientOf(context, who));
  if (!stream.ok()) return audit.Finish(stream.refusal());
  // The copy goes to a spool file first: LMDB's copy holds a snapshot until it is done, and that must not
  // wait on the client.
  SpoolFile spool;
  if (Status st = spool.Create(store_->dir()); !st.ok()) return audit.Finish(ToGrpcStatus(st));
  if (Status st = store_->BackupTo(spool.fd()); !st.ok()) return audit.Finish(ToGrpcStatus(st));
  // The client keeps the copy only if what it received matches the size and checksum sent last.
  Sha256 hash;
  int64_t total = 0;
  Result<bool> sent = spool.ForEachChunk([&](std::string_view data) {
    v1::BackupChunk chunk;
    chunk.set_data(std::string(data));
    hash.Update(chunk.data());
    total += static_cast<int64_t>(data.size());
    return stream.AwaitClient([&] { return writer->Write(chunk); });
  });
  if (!sent.ok()) return audit.Finish(grpc::Status(grpc::StatusCode::INTERNAL, sent.status().message()));
  if (!*sent) return audit.Finish(stream.Ended());
  v1::BackupChunk last;
  last.mutable_digest()->set_bytes(total);
  last.mutable_digest()->set_sha256(hash.HexDigest());
  if (!stream.AwaitClient([&] { return writer->Write(last); })) return audit.Finish(stream.Ended());
  audit.Count("bytes", total);
  return audit.Finish(grpc::Status::OK);
}

grpc::Status AdminService::DoStats(const CallContext& call, const v1::StatsRequest*, v1::StatsResponse* response) {
  Audit audit("heluo.v1.Admin/Stats", call);
  Principal who;
  // A replica that refuses reads (it lost the change stream) still tells its state.
  if (grpc::Status a = auth_->CheckWithoutReadRefusal(call, Role::kReader, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  Status st = store_->Read([&](const LmdbTxn& txn) -> Status {
    Result<std::vector<CollectionCount>> collections = ListCollections(txn, store_->dbs());
    if (!collections.ok()) return collections.status();
    for (const CollectionCount& c : *collections) {
      v1::CollectionStats* out = response->add_collections();
      out->set_name(c.name);
      out->set_terms(c.terms);
      out->set_segments(c.segments);
      response->set_terms(response->terms() + c.terms);
      response->set_segments(response->segments() + c.segments);
    }
    return Status::Ok();
  });
  if (!st.ok()) return audit.Finish(ToGrpcStatus(st));
  const StorageStats storage = store_->Storage();
  response->set_schema_version(kSchemaVersion);
  response->set_data_dir(store_->dir());
  response->set_map_size_bytes(static_cast<int64_t>(storage.map_size));
  response->set_used_bytes(static_cast<int64_t>(storage.used_bytes));
  response->set_server_version(HELUO_VERSION);
  response->set_uptime_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  for (const CallMetrics::MethodSnapshot& m : metrics_->Snapshot()) {
    v1::MethodStats* out = response->add_methods();
    out->set_method(m.method);
    out->set_calls(m.calls);
    out->set_errors(m.errors);
    out->set_p50_us(m.p50_us);
    out->set_p99_us(m.p99_us);
    out->set_max_us(m.max_us);
  }
  int64_t outbox_depth = 0;
  if (replication_ != nullptr && replication_->role() == ReplicationRole::kPrimary) {
    Result<uint64_t> depth = store_->OutboxDepth();
    if (!depth.ok()) return audit.Finish(ToGrpcStatus(depth.status()));
    outbox_depth = static_cast<int64_t>(*depth);
  }
  ToProto(replication_, outbox_depth, response->mutable_replication());
  return audit.Finish(grpc::Status::OK);
}

}  // namespace heluo
