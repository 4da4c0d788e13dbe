#include "server/replication/seed.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "server/core/store/change_log.h"
#include "server/core/store/dir_lock.h"
#include "server/replication/applier.h"

namespace heluo {
namespace {

namespace fs = std::filesystem;

Status SyncPath(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::Internal("cannot open " + path + " to sync it: " + std::strerror(errno));
  const int rc = fsync(fd);
  const int err = errno;
  close(fd);
  return rc == 0 ? Status::Ok() : Status::Internal("syncing " + path + ": " + std::strerror(err));
}

// The position a backup stands for: a primary's last commit sequence, or, for a backup of a replica, the
// last commit it had applied. Makes the copy a replica's store: its applied position is that sequence with
// the stream position unknown (0), and the primary's own bookkeeping (sequence counter, unpublished outbox
// rows, which reach the replica through the stream anyway) goes.
Result<uint64_t> MakeReplicaStore(const std::string& dir, const StoreOptions& options) {
  Result<std::unique_ptr<Store>> store = Store::Open(dir, options);
  if (!store.ok()) return store.status();
  uint64_t sequence = 0;
  HELUO_RETURN_IF_ERROR((*store)->Write([&](LmdbTxn& txn) -> Status {
    const Databases& dbs = (*store)->dbs();
    Result<std::optional<std::string_view>> committed = txn.Get(dbs.meta, kCommitSequenceKey);
    if (!committed.ok()) return committed.status();
    Result<std::optional<std::string_view>> applied = txn.Get(dbs.meta, kAppliedSequenceKey);
    if (!applied.ok()) return applied.status();
    sequence = committed->has_value() ? DecodeU64(**committed)
               : applied->has_value() ? DecodeU64(**applied)
                                      : 0;
    std::vector<std::string> outbox;
    HELUO_RETURN_IF_ERROR(
        ScanRecords(txn, dbs.outbox, "", [&](std::string_view key, std::string_view) -> Result<bool> {
          outbox.emplace_back(key);
          return true;
        }));
    for (const std::string& key : outbox) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.outbox, key));
    HELUO_RETURN_IF_ERROR(txn.Delete(dbs.meta, kCommitSequenceKey));
    return WriteAppliedPosition(txn, dbs, AppliedPosition{sequence, 0});
  }));
  return sequence;
}

}  // namespace

Result<SeedOutcome> SeedReplicaFromBackup(const std::string& backup_dir, const std::string& data_dir,
                                          const StoreOptions& options) {
  std::error_code ec;
  const std::string source = backup_dir + "/data.mdb";
  if (!fs::is_regular_file(source, ec)) {
    return Status::InvalidArgument(
        "--seed-from-backup " + backup_dir +
        " is not a backup: it holds no data.mdb (take one with 'heluo backup PATH' "
        "or 'heluo backup --download DIR' on the primary)");
  }
  const std::string target = data_dir + "/data.mdb";
  if (fs::exists(target, ec)) {
    Result<std::unique_ptr<Store>> existing = Store::Open(data_dir, options);
    if (!existing.ok()) return existing.status();
    Result<AppliedPosition> at = ReadAppliedPosition(**existing);
    if (!at.ok()) return at.status();
    if (at->commit_seq > 0) return SeedOutcome{false, at->commit_seq};
    return Status::FailedPrecondition(
        "--seed-from-backup: the data directory " + data_dir +
        " already holds a store that is not a replica's (it has applied no commit); a replica is seeded into "
        "an empty data directory — move it away or give another --data-dir (nothing was changed)");
  }
  if (mkdir(data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FailedPrecondition("cannot create data directory " + data_dir + ": " +
                                      std::strerror(errno));
  }
  Result<DirLock> lock = DirLock::Acquire(data_dir);  // No server may open it while the copy is made.
  if (!lock.ok()) return lock.status();
  const std::string work = data_dir + "/seeding";
  fs::remove_all(work, ec);  // Left by an interrupted seed.
  if (mkdir(work.c_str(), 0700) != 0) {
    return Status::FailedPrecondition("cannot create " + work + ": " + std::strerror(errno));
  }
  Result<uint64_t> sequence = [&]() -> Result<uint64_t> {
    fs::copy_file(source, work + "/data.mdb", ec);
    if (ec) return Status::FailedPrecondition("copying " + source + " to " + work + ": " + ec.message());
    fs::permissions(work + "/data.mdb", fs::perms::owner_read | fs::perms::owner_write, ec);
    return MakeReplicaStore(work, options);
  }();
  Status st = sequence.status();
  if (st.ok()) st = SyncPath(work + "/data.mdb", O_RDONLY);
  if (st.ok() && rename((work + "/data.mdb").c_str(), target.c_str()) != 0) {
    st = Status::Internal("renaming the seeded copy to " + target + ": " + std::strerror(errno));
  }
  if (st.ok())
    st = SyncPath(data_dir, O_RDONLY | O_DIRECTORY);  // The rename is durable once the directory is.
  fs::remove_all(work, ec);
  if (!st.ok())
    return st.WithPrefix("seeding " + data_dir + " from " + backup_dir + " failed, nothing was kept: ");
  return SeedOutcome{true, *sequence};
}

}  // namespace heluo
