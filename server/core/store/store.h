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
//   superseded   internal number of a published pair an import replaces or keeps → its replacement and the
//                old version's index keys (tm/staging.h); empty between imports
// Segment numbers at or above meta "next_segment" belong to an import being staged and are invisible to
// every reader (docs/architecture.md, "Bulk import"); meta "import_stage" marks a staging in progress.
// Readers never block writers (LMDB MVCC); one write transaction at a time. Write() runs a whole batch in
// one transaction, so a failure anywhere leaves the store as it was, and retries with a doubled map when the
// map is full. Open() refuses a directory holding an LMDB environment that is not a heluo store, or one
// written by a newer schema, without changing it.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_CORE_STORE_STORE_H_
#define HELUO_SERVER_CORE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>

#include "server/core/status.h"
#include "server/core/store/lmdb.h"

namespace heluo {

inline constexpr int kSchemaVersion = 2;  // 2: source postings are (length, number), sorted by length.

struct Databases {
  MDB_dbi meta = 0, terms = 0, term_keys = 0, segments = 0, segment_ids = 0, exact_keys = 0, collections = 0;
  MDB_dbi src_tokens = 0, src_grams = 0, tgt_grams = 0, src_lengths = 0, superseded = 0;
};

// Rewrites, in one write transaction, what changed between schema version `from` and kSchemaVersion.
using SchemaUpgrade = std::function<Status(LmdbTxn& txn, const Databases& dbs, int from)>;

struct StoreOptions {
  size_t initial_map_size = size_t{64} << 20;  // Grows by doubling when full.
  size_t max_map_size = size_t{64} << 30;
  // Set: a store written with an older schema is upgraded by it at open (all or nothing; the version is
  // raised in the same transaction). Unset: such a store is refused untouched.
  SchemaUpgrade upgrade;
};

struct StorageStats {
  size_t map_size = 0;
  size_t used_bytes = 0;
};

class Store {
 public:
  // Opens or creates the store in `dir` (created if missing, one level).
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options = {});

  // Runs `fn` in one write transaction: commits when it returns OK, aborts (changing nothing) otherwise.
  // On MDB_MAP_FULL the map is doubled and `fn` runs again from the start, so `fn` must not have effects
  // outside the transaction.
  // With commit false (a dry run) the transaction is aborted after `fn` succeeds: same work, no change.
  Status Write(const std::function<Status(LmdbTxn&)>& fn, bool commit = true);
  // Runs `fn` in a read-only snapshot.
  Status Read(const std::function<Status(const LmdbTxn&)>& fn) const;

  const Databases& dbs() const { return dbs_; }
  const std::string& dir() const { return dir_; }
  // The schema version this store was upgraded from when it was opened; 0 if it was current.
  int upgraded_from() const { return upgraded_from_; }
  StorageStats Storage() const;
  // A consistent, compacted copy of the whole environment into `dir` (created; must not exist or be
  // empty), taken in one read transaction while writers go on. Returns the copy's data file size.
  Result<int64_t> Backup(const std::string& dir) const;
  // The same copy written to an open file descriptor (a pipe, for streaming). Blocks until written.
  Status BackupTo(int fd) const;

 private:
  Store(std::string dir, LmdbEnv env, const StoreOptions& options)
      : dir_(std::move(dir)), env_(std::move(env)), options_(options) {}
  // Opens the databases; sets *older to the version of a store written with an older schema that
  // options_.upgrade can upgrade (0 otherwise).
  Status OpenDatabases(bool created, int* older);

  std::string dir_;
  LmdbEnv env_;
  StoreOptions options_;
  Databases dbs_;
  int upgraded_from_ = 0;
  // Held shared by every transaction and exclusively while the map is resized (LMDB requires that no
  // transaction of this process is active during mdb_env_set_mapsize).
  mutable std::shared_mutex resize_mutex_;
  std::mutex write_mutex_;
};

// 4- and 8-byte big-endian encodings: keys that sort numerically.
std::string EncodeU32(uint32_t v);
uint32_t DecodeU32(std::string_view s);
std::string EncodeU64(uint64_t v);
uint64_t DecodeU64(std::string_view s);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_STORE_H_
