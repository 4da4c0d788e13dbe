#include "server/core/store/lmdb.h"

#include <cerrno>

namespace heluo {

Status LmdbError(int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_MAP_FULL:
    case ENOSPC:
      return Status::ResourceExhausted(msg);
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
      return Status::DataLoss(msg);
    case EACCES:
    case EROFS:
    case ENOENT:
      return Status::FailedPrecondition(msg);
    default:
      return Status::Internal(msg);
  }
}

LmdbEnv::~LmdbEnv() {
  if (env_ != nullptr) mdb_env_close(env_);
}

LmdbEnv& LmdbEnv::operator=(LmdbEnv&& other) noexcept {
  if (this != &other) {
    if (env_ != nullptr) mdb_env_close(env_);
    env_ = other.env_;
    other.env_ = nullptr;
  }
  return *this;
}

Result<LmdbEnv> LmdbEnv::Open(const std::string& dir, size_t map_size, unsigned max_dbs) {
  MDB_env* raw = nullptr;
  int rc = mdb_env_create(&raw);
  if (rc != 0) return LmdbError(rc, "creating the LMDB environment");
  LmdbEnv env(raw);  // Owns raw from here on, even if a later step fails.
  if ((rc = mdb_env_set_maxdbs(raw, max_dbs)) != 0) return LmdbError(rc, "setting max databases");
  if ((rc = mdb_env_set_mapsize(raw, map_size)) != 0) return LmdbError(rc, "setting the map size");
  if ((rc = mdb_env_set_maxreaders(raw, 256)) != 0) return LmdbError(rc, "setting max readers");
  rc = mdb_env_open(raw, dir.c_str(), MDB_NOTLS, 0600);  // Translations may be confidential.
  if (rc != 0) return LmdbError(rc, "opening LMDB environment in " + dir);
  int dead = 0;
  mdb_reader_check(raw, &dead);  // Clear reader slots left by crashed processes.
  return env;
}

LmdbTxn::~LmdbTxn() {
  if (txn_ != nullptr) mdb_txn_abort(txn_);
}

Result<LmdbTxn> LmdbTxn::Begin(const LmdbEnv& env, bool read_only, int* rc_out) {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env.get(), nullptr, read_only ? MDB_RDONLY : 0, &txn);
  if (rc_out != nullptr) *rc_out = rc;
  if (rc != 0) return LmdbError(rc, read_only ? "beginning a read transaction" : "beginning a write transaction");
  return LmdbTxn(txn);
}

void LmdbTxn::RecordChange(ChangeKind kind, std::string_view key, std::string_view value) {
  if (change_log_ != nullptr) AppendChange(change_log_, kind, key, value);
}

Status LmdbTxn::Commit() {
  MDB_txn* txn = txn_;
  txn_ = nullptr;
  int rc = mdb_txn_commit(txn);
  return rc == 0 ? Status::Ok() : LmdbError(rc, "committing a write transaction");
}

Result<std::optional<std::string_view>> LmdbTxn::Get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = ToVal(key), v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != 0) return LmdbError(rc, "reading a record");
  return std::optional<std::string_view>(ToView(v));
}

Status LmdbTxn::Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, flags);
  if (rc == MDB_KEYEXIST && (flags & MDB_NODUPDATA)) return Status::Ok();
  return rc == 0 ? Status::Ok() : LmdbError(rc, "writing a record");
}

Status LmdbTxn::Delete(MDB_dbi dbi, std::string_view key, std::optional<std::string_view> value) {
  MDB_val k = ToVal(key), v;
  if (value) v = ToVal(*value);
  int rc = mdb_del(txn_, dbi, &k, value ? &v : nullptr);
  if (rc == MDB_NOTFOUND) return Status::Ok();
  return rc == 0 ? Status::Ok() : LmdbError(rc, "deleting a record");
}

LmdbCursor::~LmdbCursor() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
}

Result<LmdbCursor> LmdbCursor::Open(const LmdbTxn& txn, MDB_dbi dbi) {
  MDB_cursor* c = nullptr;
  int rc = mdb_cursor_open(txn.get(), dbi, &c);
  if (rc != 0) return LmdbError(rc, "opening a cursor");
  return LmdbCursor(c);
}

Result<bool> LmdbCursor::Seek(MDB_cursor_op op, std::string_view* key, std::string_view* value) {
  MDB_val k = ToVal(*key), v = ToVal(*value);
  int rc = mdb_cursor_get(cursor_, &k, &v, op);
  if (rc == MDB_NOTFOUND) return false;
  if (rc != 0) return LmdbError(rc, "moving a cursor");
  *key = ToView(k);
  *value = ToView(v);
  return true;
}

Status ScanRecords(const LmdbTxn& txn, MDB_dbi dbi, std::string_view after,
                   const std::function<Result<bool>(std::string_view key, std::string_view value)>& fn) {
  Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
  if (!cursor.ok()) return cursor.status();
  std::string_view key = after, value;
  Result<bool> more = cursor->Seek(after.empty() ? MDB_FIRST : MDB_SET_RANGE, &key, &value);
  if (more.ok() && *more && !after.empty() && key == after) more = cursor->Seek(MDB_NEXT, &key, &value);
  while (more.ok() && *more) {
    Result<bool> go_on = fn(key, value);
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) return Status::Ok();
    more = cursor->Seek(MDB_NEXT, &key, &value);
  }
  return more.status();
}

Result<size_t> LmdbCursor::Count() const {
  size_t count = 0;
  int rc = mdb_cursor_count(cursor_, &count);
  if (rc != 0) return LmdbError(rc, "counting duplicates");
  return static_cast<size_t>(count);
}

Status LmdbCursor::DeleteCurrent() {
  int rc = mdb_cursor_del(cursor_, 0);
  if (rc != 0) return LmdbError(rc, "deleting at a cursor");
  return Status::Ok();
}

Status LmdbCursor::DeleteIfPresent(std::string_view key, std::optional<std::string_view> value) {
  MDB_val k = ToVal(key), v = value ? ToVal(*value) : MDB_val{0, nullptr};
  int rc = mdb_cursor_get(cursor_, &k, &v, value ? MDB_GET_BOTH : MDB_SET);
  if (rc == MDB_NOTFOUND) return Status::Ok();
  if (rc != 0) return LmdbError(rc, "finding a record to delete");
  rc = mdb_cursor_del(cursor_, 0);
  return rc == 0 ? Status::Ok() : LmdbError(rc, "deleting a record");
}

Status LmdbCursor::Put(std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_cursor_put(cursor_, &k, &v, flags);
  if (rc == MDB_KEYEXIST && (flags & MDB_NODUPDATA)) return Status::Ok();
  return rc == 0 ? Status::Ok() : LmdbError(rc, "writing a record");
}

Result<std::optional<std::string>> LmdbCursor::LastKey() {
  MDB_val k{0, nullptr}, v{0, nullptr};
  int rc = mdb_cursor_get(cursor_, &k, &v, MDB_LAST);
  if (rc == MDB_NOTFOUND) return std::optional<std::string>();
  if (rc != 0) return LmdbError(rc, "finding the last record");
  return std::optional<std::string>(std::string(ToView(k)));
}

Status LmdbCursor::PutMultiple(std::string_view key, std::string_view values, size_t value_size, unsigned flags) {
  if (value_size == 0 || values.size() % value_size != 0) {
    return Status::Internal("PutMultiple: " + std::to_string(values.size()) + " bytes are not whole values of " +
                            std::to_string(value_size));
  }
  const size_t count = values.size() / value_size;
  for (size_t done = 0; done < count;) {
    MDB_val k = ToVal(key);
    MDB_val data[2];
    data[0].mv_size = value_size;
    data[0].mv_data = const_cast<char*>(values.data() + done * value_size);
    data[1].mv_size = count - done;
    data[1].mv_data = nullptr;
    int rc = mdb_cursor_put(cursor_, &k, data, MDB_MULTIPLE | flags);
    if (rc != 0) return LmdbError(rc, "writing records");
    flags = 0;  // The key is there now: what is left of its values goes in as duplicates.
    // LMDB stops at a value that is already there and reports how many it wrote before it: that value is
    // left as it is (as MDB_NODUPDATA would) and the rest follow.
    done += data[1].mv_size == 0 ? 1 : data[1].mv_size;
  }
  return Status::Ok();
}

}  // namespace heluo
