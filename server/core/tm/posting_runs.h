// PostingRuns: the external sort of the index entries a bulk import stages (docs/architecture.md, "Bulk
// import"). The import's writer adds every index entry of every staged pair (source and target bigram
// postings, exact keys, length entries) as it stages the records; entries wait in memory up to a budget,
// then are sorted and spilled as a run file (delta-encoded) into a directory of the data directory. After the
// last pair, Merge gives each table's entries in key order, so the import writes every index page about once
// instead of once per staging transaction (the copy-on-write amplification that made 1M pairs slow and
// large), and memory stays bounded by the budget whatever the file's size.
//
// Thread-safety: one object belongs to one thread (the import's writer).
#ifndef HELUO_SERVER_CORE_TM_POSTING_RUNS_H_
#define HELUO_SERVER_CORE_TM_POSTING_RUNS_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "server/core/status.h"
#include "server/core/tm/postings.h"

namespace heluo {

// The index tables an import defers, each entry a (key, value) of at most 8 bytes each, compared as
// big-endian numbers (the order LMDB keeps the bytes in).
enum class IndexTable : int {
  kSourceGrams = 0,  // src_grams: gram → SourcePosting (6 bytes)
  kTargetGrams,      // tgt_grams: gram → number (4 bytes)
  kExactKeys,        // exact_keys: xxh64 (8 bytes) → number (4 bytes)
  kSourceLengths,    // src_lengths: length (4) + number (4) → ""
};
inline constexpr int kIndexTables = 4;

class PostingRuns {
 public:
  // 16 bytes an entry, plus as much again while a full buffer is sorted: 96 MB of entries here keeps the
  // import's memory well under its bound (docs/performance.md) while a 1M-pair import spills ~25 runs.
  static constexpr size_t kDefaultMaxEntries = size_t{6} << 20;

  // Run files go to `dir` (created if missing; files of an earlier, killed import there are removed).
  PostingRuns(std::string dir, size_t max_entries = kDefaultMaxEntries);
  ~PostingRuns();  // Removes the run files.
  PostingRuns(const PostingRuns&) = delete;
  PostingRuns& operator=(const PostingRuns&) = delete;

  Status Open();
  Status Add(IndexTable table, uint64_t key, uint64_t value) {
    waiting_[static_cast<int>(table)].push_back({key, value});
    ++total_;
    return ++count_ >= max_entries_ ? Spill() : Status::Ok();
  }
  int64_t entries() const { return total_; }
  int runs() const { return runs_; }

  // Spills what waits in memory and makes every run durable (fsync of the files and the directory), then
  // records the number of runs in a "sealed" file: from then on the runs name exactly the entries the
  // import writes to the index, and stay on disk (past a crash) until RemovePostingRuns, so that removing
  // a failed import deletes those entries instead of folding every staged pair again.
  Status Seal();
  // The runs of a sealed directory (an import that failed or was killed after sealing), to read once more;
  // NOT_FOUND when the directory was not sealed or a run is missing. The files are not removed.
  static Result<std::unique_ptr<PostingRuns>> OpenSealed(const std::string& dir);

  // Entries of one table in key order (then value order), from every run and what still waits in memory.
  class Merge {
   public:
    virtual ~Merge() = default;
    // False at the end.
    virtual Result<bool> Next(WaitingPosting* out) = 0;
  };
  // Sorts what waits in memory; the entries added before stay in memory or in runs until the object goes.
  Result<std::unique_ptr<Merge>> MergeTable(IndexTable table);

 private:
  class Run;
  class Merger;
  Status Spill();
  // Sorts table t's waiting entries (with `buffer` as scratch), writes them as run runs_, frees them.
  Status SpillTable(int t, std::vector<WaitingPosting>* buffer);
  std::string RunPath(int run, int table) const;

  std::string dir_;
  size_t max_entries_;
  size_t count_ = 0;  // Waiting in memory.
  int64_t total_ = 0;
  int runs_ = 0;
  bool owned_ = true;  // Removes the files when it goes.
  std::vector<WaitingPosting> waiting_[kIndexTables];
  std::vector<WaitingPosting> buffer_, helper_buffer_;  // SortPostings' scratch, one per spilling thread.
};

// Removes the run directory an import left (killed before it finished): safe at start, before any import.
void RemovePostingRuns(const std::string& dir);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_POSTING_RUNS_H_
