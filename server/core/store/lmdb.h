// RAII wrappers for the three LMDB handles heluo uses: MDB_env, MDB_txn and MDB_cursor.
//
// Each wrapper owns exactly one handle and releases it in its destructor (an uncommitted transaction is
// aborted, a cursor closed), so an early return or a failed write can never leak a handle or leave a write
// transaction open. Errors come back as Status with LMDB's message and the operation that failed.
//
// Thread-safety: an LmdbEnv may be shared by threads. An LmdbTxn and its cursors belong to the thread that
// began the transaction (the environment is opened with MDB_NOTLS so read transactions may also be handed
// between the threads of a gRPC pool, one at a time).
#ifndef HELUO_SERVER_CORE_STORE_LMDB_H_
#define HELUO_SERVER_CORE_STORE_LMDB_H_

#include <lmdb.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/status.h"
#include "server/core/store/change_log.h"

namespace heluo {

// Status for an LMDB return code; `what` says what was being done ("opening data directory ./x").
Status LmdbError(int rc, std::string_view what);

class LmdbEnv {
 public:
  LmdbEnv() = default;
  ~LmdbEnv();
  LmdbEnv(LmdbEnv&& other) noexcept : env_(other.env_) { other.env_ = nullptr; }
  LmdbEnv& operator=(LmdbEnv&& other) noexcept;
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  // Opens (creating the files if absent, readable by their owner only) the environment in directory `dir`,
  // which must exist.
  static Result<LmdbEnv> Open(const std::string& dir, size_t map_size, unsigned max_dbs);

  MDB_env* get() const { return env_; }

 private:
  explicit LmdbEnv(MDB_env* env) : env_(env) {}
  MDB_env* env_ = nullptr;
};

class LmdbTxn {
 public:
  LmdbTxn() = default;
  ~LmdbTxn();
  LmdbTxn(LmdbTxn&& other) noexcept : txn_(other.txn_), change_log_(other.change_log_) {
    other.txn_ = nullptr;
    other.change_log_ = nullptr;
  }
  LmdbTxn& operator=(LmdbTxn&&) = delete;
  LmdbTxn(const LmdbTxn&) = delete;
  LmdbTxn& operator=(const LmdbTxn&) = delete;

  // When `rc` is given it receives LMDB's return code (0 on success), for callers that handle one
  // (MDB_MAP_RESIZED) themselves.
  static Result<LmdbTxn> Begin(const LmdbEnv& env, bool read_only, int* rc = nullptr);

  // Commits; afterwards the transaction is gone whatever the result.
  Status Commit();
  MDB_txn* get() const { return txn_; }

  // Value stored under `key`, or nullopt. The view is valid until the transaction ends.
  Result<std::optional<std::string_view>> Get(MDB_dbi dbi, std::string_view key) const;
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Deletes `key` (with DUPSORT, only the pair key/value when value is given). Absent is not an error.
  Status Delete(MDB_dbi dbi, std::string_view key, std::optional<std::string_view> value = std::nullopt);

  // Replication (store/change_log.h). The store sets a log on the write transactions of a store that
  // records changes; code that changes content then records each change in it (a no-op without a log).
  void set_change_log(std::string* log) { change_log_ = log; }
  bool records_changes() const { return change_log_ != nullptr; }
  void RecordChange(ChangeKind kind, std::string_view key, std::string_view value);

 private:
  explicit LmdbTxn(MDB_txn* txn) : txn_(txn) {}
  MDB_txn* txn_ = nullptr;
  std::string* change_log_ = nullptr;  // Owned by Store::Write, which outlives the transaction.
};

class LmdbCursor {
 public:
  ~LmdbCursor();
  LmdbCursor(LmdbCursor&& other) noexcept : cursor_(other.cursor_) { other.cursor_ = nullptr; }
  LmdbCursor(const LmdbCursor&) = delete;
  LmdbCursor& operator=(const LmdbCursor&) = delete;
  LmdbCursor& operator=(LmdbCursor&&) = delete;

  static Result<LmdbCursor> Open(const LmdbTxn& txn, MDB_dbi dbi);

  // Positions the cursor with `op` (MDB_FIRST, MDB_NEXT, MDB_SET_RANGE, MDB_NEXT_DUP, ...). Returns false
  // at the end (MDB_NOTFOUND); key/value are views valid until the transaction ends.
  Result<bool> Seek(MDB_cursor_op op, std::string_view* key, std::string_view* value);
  // Number of duplicates at the current key of a DUPSORT database.
  Result<size_t> Count() const;
  // Deletes the record the cursor is on; the next Seek(MDB_NEXT) lands on the record after it.
  Status DeleteCurrent();
  // Deletes `key` (with a value: that duplicate of a DUPSORT database) if present; absent is not an error.
  // In key order, consecutive deletes stay on the cursor's page.
  Status DeleteIfPresent(std::string_view key, std::optional<std::string_view> value = std::nullopt);
  // Adds the fixed-size duplicates packed in `values` (value_size bytes each, sorted) under `key` of a
  // DUPFIXED database in one cursor operation per page (MDB_MULTIPLE) instead of one put per value. Values
  // already there stay as they are. `flags` may add MDB_APPEND | MDB_APPENDDUP for a key past the last one.
  Status PutMultiple(std::string_view key, std::string_view values, size_t value_size, unsigned flags = 0);
  // One put through the cursor: a run of puts in key order stays on the cursor's page instead of searching
  // from the root each time. MDB_NODUPDATA of a value already there is not an error.
  Status Put(std::string_view key, std::string_view value, unsigned flags = 0);
  // The database's last key, nullopt when it is empty (moves the cursor there).
  Result<std::optional<std::string>> LastKey();

 private:
  explicit LmdbCursor(MDB_cursor* cursor) : cursor_(cursor) {}
  MDB_cursor* cursor_ = nullptr;
};

// Calls fn(key, value) for the records of `dbi` with keys after `after` (all when `after` is empty), in key
// order, until fn returns false or an error. The views are valid until the transaction ends.
Status ScanRecords(const LmdbTxn& txn, MDB_dbi dbi, std::string_view after,
                   const std::function<Result<bool>(std::string_view key, std::string_view value)>& fn);

inline std::string_view ToView(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}
inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_LMDB_H_
