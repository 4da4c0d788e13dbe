// Store: heluo's one LMDB environment, its named databases and the schema version that guards them.
//
// Layout (all named databases in one environment, so one transaction spans them):
//   meta         "schema_version" → decimal version; "bundle:<name>" → marker of an imported bundle;
//                "next_segment" → next internal segment number (4-byte big-endian)
//   terms        term id → TermEntry record
//   term_keys    (DUPSORT) language byte + folded form → term id
//   segments     internal segment number (4-byte big-endian) → Segment record
//   segment_ids  segment id → internal segment number
//   exact_keys   (DUPSORT) xxh64 of the folded source → internal segment number
//   collections  "t:"/"s:" + collection name → count of terms/segments (8-byte big-endian)
//   src_tokens   internal segment number → collection tag (4 bytes) + the source's token ids (4 bytes each)
//   src_grams    (DUPSORT|DUPFIXED) token bigram of the source (8 bytes) → postings: the source's token
//                count (2 bytes) + internal segment number, so each list is sorted by length
//   tgt_grams    (DUPSORT|DUPFIXED) token bigram of the target (8 bytes) → internal segment numbers
//   src_lengths  source token count (4 bytes) + internal segment number → "" (the length window)
//   outbox       commit sequence (8 bytes) → the change log of that write (change_log.h), kept until
//                published (only in a store that records changes; docs/replication.md)
//   superseded   internal number of a published pair an import replaces or keeps → its replacement and the
//                old version's index keys (tm/staging.h); empty between imports
// Segment numbers at or above meta "next_segment" belong to an import being staged and are invisible to
// every reader (docs/architecture.md, "Bulk import"); meta "import_stage" marks a staging in progress.
// Readers never block writers (LMDB MVCC); one write transaction at a time. The directory is locked
// (DirLock) for the life of the Store, and the data file is checked against its meta pages before LMDB maps
// it (CheckDataFile), so a truncated copy is refused instead of crashing the process. Write() runs a whole batch in
// one transaction, so a failure anywhere leaves the store as it was, and retries with a doubled map when the
// map is full. Growing the map needs every snapshot of this process closed (LMDB remaps the file), so a
// long-lived reader could hold up a writer: the map is therefore reserved large up front (address space
// only; see StoreOptions), callers never hold a snapshot while waiting on a network peer, and a write
// that cannot start before its deadline fails with DEADLINE_EXCEEDED without being applied later. Open() refuses a directory holding an LMDB environment that is not a heluo store, or one
// written by a newer schema, without changing it.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_CORE_STORE_STORE_H_
#define HELUO_SERVER_CORE_STORE_STORE_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "server/core/status.h"
#include "server/core/store/dir_lock.h"
#include "server/core/store/lmdb.h"

namespace heluo {

// 2: source postings are (length, number), sorted by length. 3: term records may carry renderings by status
// (en_deprecated, en_forbidden) and the do-not-translate and case-sensitive flags.
inline constexpr int kSchemaVersion = 3;

struct Databases {
  MDB_dbi meta = 0, terms = 0, term_keys = 0, segments = 0, segment_ids = 0, exact_keys = 0, collections = 0;
  MDB_dbi src_tokens = 0, src_grams = 0, tgt_grams = 0, src_lengths = 0;
  MDB_dbi outbox = 0, superseded = 0;
};

// Rewrites, in one write transaction, what changed between schema version `from` and kSchemaVersion.
using SchemaUpgrade = std::function<Status(LmdbTxn& txn, const Databases& dbs, int from)>;

// LMDB maps the whole map size as address space but uses disk and memory only for the pages written, so a
// 64-bit server reserves 64 GiB at open (or the data file's size, if larger) and the map practically never
// has to grow; a 32-bit one cannot spare the address space and starts at 64 MiB.
inline constexpr size_t kDefaultMapReserve = sizeof(size_t) >= 8 ? size_t{64} << 30 : size_t{64} << 20;
inline constexpr size_t kDefaultMaxMapSize = sizeof(size_t) >= 8 ? size_t{1} << 40 : size_t{1} << 30;

struct StoreOptions {
  size_t initial_map_size = kDefaultMapReserve;  // Grows by doubling when full.
  size_t max_map_size = kDefaultMaxMapSize;
  // Set: a store written with an older schema is upgraded by it at open (all or nothing; the version is
  // raised in the same transaction). Unset: such a store is refused untouched.
  SchemaUpgrade upgrade;
  // Replication's primary (docs/replication.md): every write transaction that changes content gets the
  // next commit sequence (meta "commit_seq") and its change log goes to the outbox, in that transaction.
  bool record_changes = false;
  // Called on the writing thread just after each commit that took a commit sequence, with that sequence:
  // the publisher's wake-up. Must be cheap and must not write.
  std::function<void(uint64_t sequence)> on_commit;
};

// What bounds one write: the time by which it must have started (waiting for the writer lock or for a map
// resize counts) and whether its caller has gone away. Both are checked again just before the commit, so a
// write whose caller gave up is never applied afterwards.
struct WriteLimits {
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  std::function<bool()> cancelled;  // Unset: the caller never goes away.
};

struct StorageStats {
  size_t map_size = 0;
  size_t used_bytes = 0;
};

class Store {
 public:
  // Opens or creates the store in `dir` (created 0700 if missing, one level). FAILED_PRECONDITION when
  // another Store or process holds the directory; DATA_LOSS when the data file is truncated or damaged.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options = {});

  // Runs `fn` in one write transaction: commits when it returns OK, aborts (changing nothing) otherwise.
  // On MDB_MAP_FULL the map is doubled and `fn` runs again from the start, so `fn` must not have effects
  // outside the transaction.
  // With commit false (a dry run) the transaction is aborted after `fn` succeeds: same work, no change.
  // Past limits.deadline before the commit: DEADLINE_EXCEEDED; limits.cancelled: CANCELLED; nothing written.
  Status Write(const std::function<Status(LmdbTxn&)>& fn, bool commit = true, const WriteLimits& limits = {});
  // Runs `fn` in a read-only snapshot. Like Write, it adopts a map another process has grown
  // (MDB_MAP_RESIZED) and begins again. `fn` must not wait on anything outside the process (a client): a
  // writer that has to grow the map waits for it.
  Status Read(const std::function<Status(const LmdbTxn&)>& fn) const;

  const Databases& dbs() const { return dbs_; }
  const std::string& dir() const { return dir_; }
  // The schema version this store was upgraded from when it was opened; 0 if it was current.
  int upgraded_from() const { return upgraded_from_; }
  StorageStats Storage() const;
  // OK while the store works; otherwise why not. A failure is permanent for this Store: LMDB reported a
  // fatal error (MDB_PANIC, an I/O error, a corrupted page), or the data file was removed or replaced
  // underneath the running server. The health service reports NOT_SERVING from then on.
  Status Health() const;
  // A consistent, compacted copy of the whole environment into `dir` (an absolute path, created 0700; it
  // must not exist or be empty), taken in one read transaction while writers go on. The copy is written to
  // DIR/data.mdb.partial, synced, and renamed to DIR/data.mdb only when whole; on any failure (a full disk)
  // the partial file, and the directory if this call created it, are removed, so a retry starts clean.
  // Returns the copy's data file size.
  Result<int64_t> Backup(const std::string& dir) const;
  // The same copy written to an open file descriptor (a pipe, for streaming). Blocks until written.
  Status BackupTo(int fd) const;

  // Replication (with StoreOptions::record_changes). The last commit sequence given (0: none yet).
  Result<uint64_t> CommitSequence() const;
  // Calls fn(sequence, change log) for outbox rows after `after`, in order, until fn returns false or
  // `max` rows were read.
  Status ReadOutbox(uint64_t after, size_t max,
                    const std::function<bool(uint64_t sequence, std::string_view log)>& fn) const;
  // Removes the outbox rows up to and including `through` (published and acknowledged).
  Status TrimOutbox(uint64_t through);
  // How many outbox rows wait to be published (LMDB's entry count: no scan).
  Result<uint64_t> OutboxDepth() const;

 private:
  Store(std::string dir, DirLock lock, LmdbEnv env, const StoreOptions& options)
      : dir_(std::move(dir)), lock_(std::move(lock)), env_(std::move(env)), options_(options) {}
  // Opens the databases; sets *older to the version of a store written with an older schema that
  // options_.upgrade can upgrade (0 otherwise).
  Status OpenDatabases(bool created, int* older);
  // Begins a transaction while `lock` (of resize_mutex_) is held shared. When another process grew the map
  // (MDB_MAP_RESIZED) it releases `lock`, adopts the new size and sets *retry.
  Result<LmdbTxn> Begin(bool read_only, std::shared_lock<std::shared_timed_mutex>& lock, bool* retry) const;
  // Gives the transaction's changes (if any) the next commit sequence and writes them to the outbox.
  Result<uint64_t> AppendToOutbox(LmdbTxn& txn, const std::string& log) const;
  // Passes `status` through, remembering it in failure_ when LMDB's `rc` (or the status) says the store
  // itself is broken rather than one request.
  Status Note(int rc, Status status) const;

  std::string dir_;
  DirLock lock_;  // Declared before env_: the environment is closed before the lock is released.
  LmdbEnv env_;
  StoreOptions options_;
  Databases dbs_;
  int upgraded_from_ = 0;
  // Held shared by every transaction and exclusively while the map is resized (LMDB requires that no
  // transaction of this process is active during mdb_env_set_mapsize).
  mutable std::shared_timed_mutex resize_mutex_;
  std::timed_mutex write_mutex_;
  // The data file LMDB mapped, to notice it being removed or replaced.
  dev_t data_dev_ = 0;
  ino_t data_ino_ = 0;
  mutable std::atomic<bool> failed_{false};
  mutable std::mutex failure_mutex_;
  mutable std::string failure_;
};

// 4- and 8-byte big-endian encodings: keys that sort numerically.
std::string EncodeU32(uint32_t v);
uint32_t DecodeU32(std::string_view s);
std::string EncodeU64(uint64_t v);
uint64_t DecodeU64(std::string_view s);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_STORE_H_
