#include "server/core/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <vector>

#include "server/core/store/data_file_check.h"

namespace heluo {
namespace {

constexpr const char* kSchemaKey = "schema_version";
// For Store::Note: a failure found by heluo itself, not returned by LMDB.
constexpr int kBroken = -1;

struct NamedDb {
  const char* name;
  unsigned flags;
  MDB_dbi Databases::*field;
};

constexpr NamedDb kNamedDbs[] = {
    {"meta", 0, &Databases::meta},
    {"terms", 0, &Databases::terms},
    {"term_keys", MDB_DUPSORT, &Databases::term_keys},
    {"segments", 0, &Databases::segments},
    {"segment_ids", 0, &Databases::segment_ids},
    {"exact_keys", MDB_DUPSORT, &Databases::exact_keys},
    {"collections", 0, &Databases::collections},
    {"src_tokens", 0, &Databases::src_tokens},
    {"src_grams", MDB_DUPSORT | MDB_DUPFIXED, &Databases::src_grams},
    {"tgt_grams", MDB_DUPSORT | MDB_DUPFIXED, &Databases::tgt_grams},
    {"src_lengths", 0, &Databases::src_lengths},
    {"superseded", 0, &Databases::superseded},
    {"outbox", 0, &Databases::outbox},
};

}  // namespace

std::string EncodeU32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 3; i >= 0; --i, v >>= 8) s[static_cast<size_t>(i)] = static_cast<char>(v & 0xFF);
  return s;
}

uint32_t DecodeU32(std::string_view s) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && i < s.size(); ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

std::string EncodeU64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) s[static_cast<size_t>(i)] = static_cast<char>(v & 0xFF);
  return s;
}

uint64_t DecodeU64(std::string_view s) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    return Status::FailedPrecondition("data directory " + dir + " is not a directory");
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::FailedPrecondition("cannot create data directory " + dir + ": " + std::strerror(errno));
  }
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Status::FailedPrecondition("data directory " + dir + " is not readable and writable: " +
                                      std::strerror(errno));
  }
  Result<DirLock> lock = DirLock::Acquire(dir);
  if (!lock.ok()) return lock.status();
  const std::string data_file = dir + "/data.mdb";
  const bool existed = std::filesystem::exists(data_file, ec);
  if (existed) {
    Status whole = CheckDataFile(data_file);
    if (!whole.ok()) {
      return whole.WithPrefix("refusing to open data directory " + dir + ": ")
          .WithSuffix("; nothing was changed (restore it from a backup)");
    }
  }
  Result<LmdbEnv> env = LmdbEnv::Open(dir, options.initial_map_size, 16);
  if (!env.ok()) return env.status();
  std::unique_ptr<Store> store(new Store(dir, std::move(*lock), std::move(*env), options));
  struct stat st;
  if (stat(data_file.c_str(), &st) == 0) {
    store->data_dev_ = st.st_dev;
    store->data_ino_ = st.st_ino;
  }
  int older = 0;
  HELUO_RETURN_IF_ERROR(store->OpenDatabases(!existed, &older));
  if (older != 0) {
    // Through Write, so that the map grows if the rewrite needs room.
    Status upgraded = store->Write([&](LmdbTxn& txn) -> Status {
      HELUO_RETURN_IF_ERROR(options.upgrade(txn, store->dbs_, older));
      return txn.Put(store->dbs_.meta, kSchemaKey, std::to_string(kSchemaVersion));
    });
    if (!upgraded.ok()) {
      return upgraded.WithPrefix("upgrading data directory " + dir + " from schema version " +
                                 std::to_string(older) + " failed, nothing was changed: ");
    }
    store->upgraded_from_ = older;
  }
  return store;
}

Status Store::OpenDatabases(bool created, int* older) {
  *older = 0;
  Result<LmdbTxn> txn = LmdbTxn::Begin(env_, /*read_only=*/false);
  if (!txn.ok()) return txn.status();
  MDB_dbi meta;
  int rc = mdb_dbi_open(txn->get(), "meta", created ? MDB_CREATE : 0, &meta);
  if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE) {
    return Status::FailedPrecondition("data directory " + dir_ +
                                      " holds an LMDB environment that is not a heluo store; refusing to "
                                      "touch it (choose another --data-dir)");
  }
  if (rc != 0) return LmdbError(rc, "opening the meta database");
  Result<std::optional<std::string_view>> version = txn->Get(meta, kSchemaKey);
  if (!version.ok()) return version.status();
  if (!version->has_value()) {
    if (!created) {
      return Status::FailedPrecondition("data directory " + dir_ +
                                        " holds an LMDB environment without a heluo schema version; refusing "
                                        "to touch it (choose another --data-dir)");
    }
    HELUO_RETURN_IF_ERROR(txn->Put(meta, kSchemaKey, std::to_string(kSchemaVersion)));
  } else {
    const std::string found(**version);
    int number = 0;
    const auto [end, error] = std::from_chars(found.data(), found.data() + found.size(), number);
    const bool older_version = error == std::errc() && end == found.data() + found.size() && number >= 1 &&
                               number < kSchemaVersion;
    if (options_.upgrade && older_version) {
      *older = number;
    } else if (found != std::to_string(kSchemaVersion)) {
      return Status::FailedPrecondition("data directory " + dir_ + " was written with schema version " + found +
                                        ", but this heluo-server reads version " +
                                        std::to_string(kSchemaVersion) + "; nothing was changed");
    }
  }
  for (const NamedDb& db : kNamedDbs) {
    rc = mdb_dbi_open(txn->get(), db.name, db.flags | MDB_CREATE, &(dbs_.*db.field));
    if (rc != 0) return LmdbError(rc, std::string("opening database ") + db.name);
  }
  return txn->Commit();
}

Result<LmdbTxn> Store::Begin(bool read_only, std::shared_lock<std::shared_timed_mutex>& lock, bool* retry) const {
  int rc = 0;
  Result<LmdbTxn> txn = LmdbTxn::Begin(env_, read_only, &rc);
  *retry = false;
  if (rc != MDB_MAP_RESIZED) return txn.ok() ? std::move(txn) : Result<LmdbTxn>(Note(rc, txn.status()));
  // Another process using this environment (mdb_copy, a repair tool) grew the map beyond ours: adopt its
  // size, which needs every transaction of this process to be finished (LMDB's rule for set_mapsize).
  lock.unlock();
  std::unique_lock<std::shared_timed_mutex> exclusive(resize_mutex_);
  const int set = mdb_env_set_mapsize(env_.get(), 0);
  if (set != 0) return Note(set, LmdbError(set, "adopting the map size another process set"));
  *retry = true;  // The caller begins again; this status is what it reports if it gives up.
  return Status::Internal("another process keeps growing the LMDB map (MDB_MAP_RESIZED); try again");
}

Status Store::Note(int rc, Status status) const {
  // Errors of one request (a full map, too many readers) leave the store usable; these do not.
  const bool fatal = rc == MDB_PANIC || rc == EIO || rc == MDB_MAP_RESIZED || rc == MDB_CORRUPTED ||
                     rc == MDB_PAGE_NOTFOUND || rc == MDB_INVALID || rc == kBroken;
  if (fatal && !status.ok()) {
    std::lock_guard<std::mutex> hold(failure_mutex_);
    if (failure_.empty()) failure_ = status.message();
    failed_ = true;
  }
  return status;
}

namespace {

// Takes `lock` by `deadline`, or waits as long as it takes when there is none.
template <typename Lock>
bool LockBy(Lock& lock, std::chrono::system_clock::time_point deadline) {
  if (deadline == std::chrono::system_clock::time_point::max()) {
    lock.lock();
    return true;
  }
  return lock.try_lock_until(deadline);
}

Status TooLate(const char* why) {
  return Status::DeadlineExceeded(std::string("the write could not be done before the call's deadline (") + why +
                                  "); nothing was written");
}

// Why a write must not go on, or OK.
Status Expired(const WriteLimits& limits, const char* why) {
  if (std::chrono::system_clock::now() > limits.deadline) return TooLate(why);
  if (limits.cancelled && limits.cancelled()) {
    return Status::Cancelled("the caller went away before the write was committed; nothing was written");
  }
  return Status::Ok();
}

}  // namespace

Status Store::Write(const std::function<Status(LmdbTxn&)>& fn, bool commit, const WriteLimits& limits) {
  std::unique_lock<std::timed_mutex> one_writer(write_mutex_, std::defer_lock);
  if (!LockBy(one_writer, limits.deadline)) return TooLate("another write held the store until then");
  HELUO_RETURN_IF_ERROR(Expired(limits, "another write held the store until then"));
  for (int resized = 0;;) {
    Status st;
    {
      std::shared_lock<std::shared_timed_mutex> lock(resize_mutex_);
      bool retry = false;
      Result<LmdbTxn> txn = Begin(/*read_only=*/false, lock, &retry);
      if (retry && ++resized < 5) continue;
      if (!txn.ok()) return txn.status();
      std::string changes;  // Fresh on every attempt: a retried `fn` records its changes again.
      if (options_.record_changes) txn->set_change_log(&changes);
      st = fn(*txn);
      // The caller may have given up while `fn` ran: committing now would apply a write it was told failed.
      if (st.ok() && commit) st = Expired(limits, "the write itself took too long");
      uint64_t sequence = 0;
      if (st.ok() && commit && !changes.empty()) {
        Result<uint64_t> appended = AppendToOutbox(*txn, changes);
        st = appended.status();
        if (appended.ok()) sequence = *appended;
      }
      if (st.ok() && commit) st = txn->Commit();
      if (st.ok() && sequence != 0 && options_.on_commit) options_.on_commit(sequence);
    }  // An aborted transaction is released here, before any resize.
    if (st.code() != Status::Code::kResourceExhausted) return st;
    MDB_envinfo info;
    mdb_env_info(env_.get(), &info);
    const size_t bigger = info.me_mapsize * 2;
    if (bigger > options_.max_map_size) {
      return Status::ResourceExhausted("the store is full: the LMDB map reached its limit of " +
                                       std::to_string(options_.max_map_size >> 20) + " MiB");
    }
    std::unique_lock<std::shared_timed_mutex> exclusive(resize_mutex_, std::defer_lock);
    if (!LockBy(exclusive, limits.deadline)) {
      return TooLate("the map had to grow, which waits for every open snapshot to close");
    }
    int rc = mdb_env_set_mapsize(env_.get(), bigger);
    if (rc != 0) return LmdbError(rc, "growing the LMDB map");
  }
}

Result<uint64_t> Store::AppendToOutbox(LmdbTxn& txn, const std::string& log) const {
  Result<std::optional<std::string_view>> last = txn.Get(dbs_.meta, kCommitSequenceKey);
  if (!last.ok()) return last.status();
  const uint64_t sequence = (last->has_value() ? DecodeU64(**last) : 0) + 1;
  HELUO_RETURN_IF_ERROR(txn.Put(dbs_.meta, kCommitSequenceKey, EncodeU64(sequence)));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs_.outbox, EncodeU64(sequence), log));
  return sequence;
}

Result<uint64_t> Store::CommitSequence() const {
  uint64_t sequence = 0;
  HELUO_RETURN_IF_ERROR(Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<std::string_view>> last = txn.Get(dbs_.meta, kCommitSequenceKey);
    if (!last.ok()) return last.status();
    if (last->has_value()) sequence = DecodeU64(**last);
    return Status::Ok();
  }));
  return sequence;
}

Status Store::ReadOutbox(uint64_t after, size_t max,
                         const std::function<bool(uint64_t sequence, std::string_view log)>& fn) const {
  return Read([&](const LmdbTxn& txn) {
    size_t read = 0;
    return ScanRecords(txn, dbs_.outbox, after == 0 ? "" : EncodeU64(after),
                       [&](std::string_view key, std::string_view value) -> Result<bool> {
                         return ++read <= max && fn(DecodeU64(key), value);
                       });
  });
}

Status Store::TrimOutbox(uint64_t through) {
  return Write([&](LmdbTxn& txn) -> Status {
    // One pass: rows are in sequence order, so the published ones are a prefix, deleted where the cursor is
    // (mdb_cursor_del leaves it so that MDB_NEXT lands on the following row).
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbs_.outbox);
    if (!cursor.ok()) return cursor.status();
    std::string_view key, value;
    for (Result<bool> more = cursor->Seek(MDB_FIRST, &key, &value);; more = cursor->Seek(MDB_NEXT, &key, &value)) {
      if (!more.ok()) return more.status();
      if (!*more || DecodeU64(key) > through) return Status::Ok();
      HELUO_RETURN_IF_ERROR(cursor->DeleteCurrent());
    }
  });
}

Result<uint64_t> Store::OutboxDepth() const {
  uint64_t depth = 0;
  HELUO_RETURN_IF_ERROR(Read([&](const LmdbTxn& txn) -> Status {
    MDB_stat stat;
    const int rc = mdb_stat(txn.get(), dbs_.outbox, &stat);
    if (rc != 0) return LmdbError(rc, "counting the outbox");
    depth = stat.ms_entries;
    return Status::Ok();
  }));
  return depth;
}

Status Store::Read(const std::function<Status(const LmdbTxn&)>& fn) const {
  for (int resized = 0;;) {
    std::shared_lock<std::shared_timed_mutex> lock(resize_mutex_);
    bool retry = false;
    Result<LmdbTxn> txn = Begin(/*read_only=*/true, lock, &retry);
    if (retry && ++resized < 5) continue;
    if (!txn.ok()) return txn.status();
    return fn(*txn);
  }
}

Result<int64_t> Store::Backup(const std::string& dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty() || dir[0] != '/') return Status::InvalidArgument("backup path must be an absolute directory path");
  const bool existed = fs::exists(dir, ec);
  if (existed && (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec))) {
    return Status::FailedPrecondition("backup directory " + dir + " is not an empty directory; nothing was written");
  }
  if (!existed) {
    fs::create_directories(fs::path(dir).parent_path(), ec);
    if (ec || (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)) {
      return Status::FailedPrecondition("cannot create backup directory " + dir + ": " +
                                        (ec ? ec.message() : std::strerror(errno)) + "; nothing was written");
    }
  }
  const std::string partial = dir + "/data.mdb.partial", final_name = dir + "/data.mdb";
  // O_EXCL|O_NOFOLLOW: never write through a file or symlink someone put there meanwhile.
  const int fd = open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  Status st;
  if (fd < 0) {
    st = Status::FailedPrecondition("cannot create " + partial + ": " + std::strerror(errno));
  } else {
    {
      std::shared_lock<std::shared_timed_mutex> lock(resize_mutex_);
      const int rc = mdb_env_copyfd2(env_.get(), fd, MDB_CP_COMPACT);
      if (rc != 0) st = LmdbError(rc, "copying the store to " + partial);
    }
    if (st.ok() && fsync(fd) != 0) st = LmdbError(errno, "syncing " + partial);
    if (close(fd) != 0 && st.ok()) st = LmdbError(errno, "closing " + partial);
    if (st.ok() && rename(partial.c_str(), final_name.c_str()) != 0) st = LmdbError(errno, "renaming " + partial);
  }
  if (!st.ok()) {
    unlink(partial.c_str());
    if (!existed) rmdir(dir.c_str());
    return st.WithSuffix("; the partial copy was removed");
  }
  // The rename is durable only once the directory is synced.
  if (const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  const auto size = fs::file_size(final_name, ec);
  return static_cast<int64_t>(ec ? 0 : size);
}

Status Store::BackupTo(int fd) const {
  std::shared_lock<std::shared_timed_mutex> lock(resize_mutex_);
  int rc = mdb_env_copyfd2(env_.get(), fd, MDB_CP_COMPACT);
  return rc == 0 ? Status::Ok() : LmdbError(rc, "streaming a copy of the store");
}

Status Store::Health() const {
  if (!failed_) {
    struct stat st;
    const std::string data_file = dir_ + "/data.mdb";
    if (stat(data_file.c_str(), &st) != 0) {
      Note(kBroken, Status::DataLoss("the data file " + data_file + " was removed while the server was running"));
    } else if (st.st_dev != data_dev_ || st.st_ino != data_ino_) {
      Note(kBroken, Status::DataLoss("the data file " + data_file + " was replaced while the server was running"));
    }
  }
  if (!failed_) return Status::Ok();
  std::lock_guard<std::mutex> hold(failure_mutex_);
  return Status::DataLoss("the store failed: " + failure_ + "; restart heluo-server (restore from a backup if it "
                          "refuses to start)");
}

StorageStats Store::Storage() const {
  MDB_envinfo info;
  MDB_stat stat;
  mdb_env_info(env_.get(), &info);
  mdb_env_stat(env_.get(), &stat);
  return StorageStats{info.me_mapsize, (info.me_last_pgno + 1) * static_cast<size_t>(stat.ms_psize)};
}

}  // namespace heluo
