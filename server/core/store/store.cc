#include "server/core/store/store.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace heluo {
namespace {

constexpr const char* kSchemaKey = "schema_version";

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
  std::filesystem::create_directory(dir, ec);
  if (ec) return Status::FailedPrecondition("cannot create data directory " + dir + ": " + ec.message());
  const std::string data_file = dir + "/data.mdb";
  const bool existed = std::filesystem::exists(data_file, ec);
  if (::access(dir.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Status::FailedPrecondition("data directory " + dir + " is not readable and writable: " +
                                      std::strerror(errno));
  }
  Result<LmdbEnv> env = LmdbEnv::Open(dir, options.initial_map_size, 16);
  if (!env.ok()) return env.status();
  std::unique_ptr<Store> store(new Store(dir, std::move(*env), options));
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

Status Store::Write(const std::function<Status(LmdbTxn&)>& fn, bool commit) {
  std::lock_guard<std::mutex> one_writer(write_mutex_);
  for (;;) {
    Status st;
    {
      std::shared_lock<std::shared_mutex> lock(resize_mutex_);
      Result<LmdbTxn> txn = LmdbTxn::Begin(env_, /*read_only=*/false);
      if (!txn.ok()) return txn.status();
      st = fn(*txn);
      if (st.ok() && commit) st = txn->Commit();
    }  // An aborted transaction is released here, before any resize.
    if (st.code() != Status::Code::kResourceExhausted) return st;
    MDB_envinfo info;
    mdb_env_info(env_.get(), &info);
    const size_t bigger = info.me_mapsize * 2;
    if (bigger > options_.max_map_size) {
      return Status::ResourceExhausted("the store is full: the LMDB map reached its limit of " +
                                       std::to_string(options_.max_map_size >> 20) + " MiB");
    }
    std::unique_lock<std::shared_mutex> exclusive(resize_mutex_);
    int rc = mdb_env_set_mapsize(env_.get(), bigger);
    if (rc != 0) return LmdbError(rc, "growing the LMDB map");
  }
}

Status Store::Read(const std::function<Status(const LmdbTxn&)>& fn) const {
  std::shared_lock<std::shared_mutex> lock(resize_mutex_);
  Result<LmdbTxn> txn = LmdbTxn::Begin(env_, /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  return fn(*txn);
}

Result<int64_t> Store::Backup(const std::string& dir) const {
  std::error_code ec;
  if (dir.empty() || dir[0] != '/') return Status::InvalidArgument("backup path must be an absolute directory path");
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status::FailedPrecondition("backup directory " + dir + " is not empty; nothing was written");
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::FailedPrecondition("cannot create backup directory " + dir + ": " + ec.message());
  {
    std::shared_lock<std::shared_mutex> lock(resize_mutex_);
    int rc = mdb_env_copy2(env_.get(), dir.c_str(), MDB_CP_COMPACT);
    if (rc != 0) return LmdbError(rc, "copying the store to " + dir);
  }
  const auto size = std::filesystem::file_size(dir + "/data.mdb", ec);
  return static_cast<int64_t>(ec ? 0 : size);
}

Status Store::BackupTo(int fd) const {
  std::shared_lock<std::shared_mutex> lock(resize_mutex_);
  int rc = mdb_env_copyfd2(env_.get(), fd, MDB_CP_COMPACT);
  return rc == 0 ? Status::Ok() : LmdbError(rc, "streaming a copy of the store");
}

StorageStats Store::Storage() const {
  MDB_envinfo info;
  MDB_stat stat;
  mdb_env_info(env_.get(), &info);
  mdb_env_stat(env_.get(), &stat);
  return StorageStats{info.me_mapsize, (info.me_last_pgno + 1) * static_cast<size_t>(stat.ms_psize)};
}

}  // namespace heluo
