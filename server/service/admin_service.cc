#include "server/service/admin_service.h"

#include <unistd.h>

#include <cerrno>
#include <thread>

#include "server/core/collections.h"
#include "server/core/sha256.h"
#include "server/core/store/backup_path.h"
#include "server/service/status_mapping.h"

namespace heluo {

grpc::Status AdminService::Backup(grpc::ServerContext* context, const v1::BackupRequest* request,
                                  v1::BackupResponse* response) {
  Principal who;
  if (grpc::Status a = auth_->Check(context, Role::kAdmin, &who); !a.ok()) return a;
  if (backup_root_.empty()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "backups written on the server are off: start heluo-server with --backup-dir DIR to allow "
                        "them below DIR, or stream the copy to the client with heluo backup --download DIR");
  }
  Result<std::string> path = ResolveBackupPath(backup_root_, request->path());
  if (!path.ok()) return ToGrpcStatus(path.status());
  Result<int64_t> bytes = store_->Backup(*path);
  if (!bytes.ok()) return ToGrpcStatus(bytes.status());
  response->set_path(*path);
  response->set_bytes(*bytes);
  return grpc::Status::OK;
}

grpc::Status AdminService::DownloadBackup(grpc::ServerContext* context, const v1::DownloadBackupRequest*,
                                          grpc::ServerWriter<v1::BackupChunk>* writer) {
  Principal who;
  if (grpc::Status a = auth_->Check(context, Role::kAdmin, &who); !a.ok()) return a;
  // LMDB writes the copy into a pipe from its own thread; this one forwards it in chunks. If the client
  // goes away, closing the read end makes the copy fail with EPIPE (SIGPIPE is ignored by heluo-server).
  int fds[2];
  if (pipe(fds) != 0) return grpc::Status(grpc::StatusCode::INTERNAL, "cannot create a pipe for the backup");
  Status copied;
  std::thread copier([&] {
    copied = store_->BackupTo(fds[1]);
    close(fds[1]);
  });
  std::string buffer(64 * 1024, '\0');
  bool client_ok = true, read_ok = true;
  Sha256 hash;
  int64_t total = 0;
  for (;;) {
    const ssize_t n = read(fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      read_ok = n == 0;
      break;
    }
    v1::BackupChunk chunk;
    chunk.set_data(buffer.data(), static_cast<size_t>(n));
    hash.Update(chunk.data());
    total += n;
    if (!writer->Write(chunk)) {
      client_ok = false;
      break;
    }
  }
  close(fds[0]);
  copier.join();
  if (!client_ok) return grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the backup");
  if (!read_ok) copied = Status::Internal("reading the copy from LMDB's pipe failed");
  if (!copied.ok()) return ToGrpcStatus(copied);
  // The client keeps the copy only if what it received matches this.
  v1::BackupChunk last;
  last.mutable_digest()->set_bytes(total);
  last.mutable_digest()->set_sha256(hash.HexDigest());
  if (!writer->Write(last)) return grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the backup");
  return grpc::Status::OK;
}

grpc::Status AdminService::Stats(grpc::ServerContext* context, const v1::StatsRequest*, v1::StatsResponse* response) {
  Principal who;
  if (grpc::Status a = auth_->Check(context, Role::kReader, &who); !a.ok()) return a;
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
  if (!st.ok()) return ToGrpcStatus(st);
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
  return grpc::Status::OK;
}

}  // namespace heluo
