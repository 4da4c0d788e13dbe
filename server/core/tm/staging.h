// Staging: the store side of a bulk import that is all-or-nothing without one giant transaction
// (docs/architecture.md, "Bulk import"). Pairs are written in bounded transactions under segment numbers at
// or above the visibility limit (meta "next_segment"), which no reader sees, and published by one small
// commit that raises the limit.
//
// StagedImport is driven by one writer thread: Begin, Stage (as often as needed, each call one or more
// committed transactions), then Publish or Remove. RemoveStagedImport also runs at start, before the server
// serves, to finish what a killed process left.
//
// Thread-safety: a StagedImport belongs to one thread; the free functions may be called from any thread.
#ifndef HELUO_SERVER_CORE_TM_STAGING_H_
#define HELUO_SERVER_CORE_TM_STAGING_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/posting_runs.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"

namespace heluo {

// "line 12, column 5" (the column left out when 0): where in an imported file a message points.
std::string ImportPosition(long line, long column);

// Present in meta while an import is being staged: the first staged number (4 bytes), then one byte saying
// whether index entries of staged pairs may already be in the index (kStageIndexWritten) or not yet
// (kStageRecordsOnly: the postings wait in the import's sorted runs). A marker of 4 bytes (written by an
// older version, which indexed as it staged) counts as written.
inline constexpr const char* kImportStageKey = "import_stage";
inline constexpr char kStageRecordsOnly = 1;
inline constexpr char kStageIndexWritten = 2;
// The directory (inside the data directory) of an import's sorted runs.
std::string PostingRunsDir(const Store& store);

// The visibility limit of `txn`'s snapshot: a segment number at or above it is staged, invisible.
Result<uint32_t> SegmentLimit(const LmdbTxn& txn, const Databases& dbs);
// The published number of the pair with this id, or nullopt (absent, or staged).
Result<std::optional<uint32_t>> VisibleSegmentNumber(const LmdbTxn& txn, const Databases& dbs, std::string_view id);
// FAILED_PRECONDITION while an import is being staged: a translation-memory write now would take numbers
// from the staged range (and so publish part of it) or change a pair the import is replacing.
Status CheckNoImportStaged(const LmdbTxn& txn, const Databases& dbs);

// Every index entry of one version of a pair except its records (segments, segment_ids, src_tokens).
struct IndexKeys {
  std::string exact_key;        // ExactKey of the folded source.
  uint32_t source_length = 0;   // Source token count.
  std::vector<Gram> source_grams, target_grams;  // DistinctGrams(..., true) of each side.
};
IndexKeys IndexKeysOf(const Folded& source, const Folded& target);
// Folds the stored pair to find its keys.
Result<IndexKeys> IndexKeysOf(const Segment& segment);
// Removes the index entries `keys` of pair `number` (absent ones are not an error).
Status RemoveIndexKeys(LmdbTxn& txn, const Databases& dbs, const IndexKeys& keys, uint32_t number);

// One pair of an import, prepared off the writer thread: everything that does not depend on what this
// import has already staged.
struct PreparedPair {
  std::string id;
  std::string collection;
  std::string record;  // SerializeSegment of the version to store.
  std::string tokens;  // EncodeTokens of its source.
  IndexKeys keys;
  long line = 0, column = 0;
  // The published pair with the same id: its number (0: none) and collection, and, when it is replaced,
  // its index keys (to be removed once the import is published).
  uint32_t old_number = 0;
  std::string old_collection;
  IndexKeys old_keys;
  bool same_content = false;  // Same source, target and collection as the published pair ("unchanged").
  bool same_record = false;   // The stored record would be byte-identical: nothing is written.
};

class StagedImport {
 public:
  // `max_run_entries`: index entries kept in memory before a sorted run is spilled (tests make it small).
  explicit StagedImport(Store* store, size_t max_run_entries = PostingRuns::kDefaultMaxEntries)
      : store_(store), max_run_entries_(max_run_entries) {}

  // Marks the store as staging. FAILED_PRECONDITION if another import is being staged.
  Status Begin();
  // Stages the records of `pairs` in file order, in transactions of at most kStagePairsPerTxn pairs, and
  // queues their index entries in the sorted runs. INVALID_ARGUMENT naming the line and column of an id met
  // twice in this import.
  Status Stage(const std::vector<PreparedPair>& pairs);
  // Writes the queued index entries in key order, in transactions of at most kIndexEntriesPerTxn entries,
  // then the flip: makes everything staged visible in one transaction, then removes the replaced versions'
  // index entries. Past `limits` (the caller's deadline, or it went away) nothing is published.
  Status Publish(const WriteLimits& limits);

  // Pairs per staging transaction (records only: appended segments and src_tokens, and segment_ids).
  static constexpr size_t kStagePairsPerTxn = 10000;
  // Index entries per transaction: each transaction writes a stretch of the index in key order, so its dirty
  // pages (which LMDB keeps in memory until the commit) are about the entries' bytes, each page written once.
  static constexpr size_t kIndexEntriesPerTxn = size_t{2} << 20;

 private:
  Status StageHalving(const PreparedPair* begin, const PreparedPair* end);
  Status StageTxn(const PreparedPair* begin, const PreparedPair* end);
  Status WriteIndex(const WriteLimits& limits);

  Store* store_;
  size_t max_run_entries_;
  uint32_t first_ = 0;  // The first staged number.
  uint32_t next_ = 0;   // The number the next staged pair gets.
  std::map<std::string, int64_t> count_deltas_;  // Per collection, applied by Publish.
  std::unique_ptr<PostingRuns> runs_;             // The staged pairs' index entries, until Publish.
};

// Removes whatever an import that did not publish left (every record numbered at or above the limit, the
// superseded list, the marker), then the index entries of versions a published import replaced. In bounded
// transactions; safe to run again after a crash in the middle. Returns how many staged pairs were removed.
Result<int64_t> RemoveStagedImport(Store& store);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_STAGING_H_
