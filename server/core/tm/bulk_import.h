// TmBulkImport: the threads of a translation-memory import (docs/architecture.md, "Bulk import").
//
// The caller's thread reads the file and hands over each usable unit in file order (Add): it numbers
// positions and links neighbours, which depend only on the order. Worker threads prepare batches of pairs
// (validate, fold, tokenize, hash, serialize, build postings, look the id up in a snapshot): the expensive
// part, independent per pair. One writer thread stages prepared batches in file order through StagedImport
// (tm/staging.h), in bounded transactions; Finish publishes everything with one small commit, or removes it.
// At most kMaxBatches batches of kBatchPairs pairs wait between the threads and the writer holds at most
// StagedImport::kStagePairsPerTxn pairs, so memory does not grow with the file.
//
// Thread-safety: Add, Finish and Abort are called from one thread (the reader's); the object owns the
// others and joins them before Finish or Abort returns (or in its destructor).
#ifndef HELUO_SERVER_CORE_TM_BULK_IMPORT_H_
#define HELUO_SERVER_CORE_TM_BULK_IMPORT_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/core/interchange.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/tm/staging.h"

namespace heluo {

// Prepares one unit for StagedImport::Stage, reading what is published about its id in `txn`: validation
// (INVALID_ARGUMENT naming the line and column), folding, keys, the record with its audit fields.
Status PreparePair(const LmdbTxn& txn, const Databases& dbs, const ImportOptions& options, Segment segment,
                   long line, long column, PreparedPair* out);

class TmBulkImport {
 public:
  static constexpr size_t kBatchPairs = 1024;
  static constexpr size_t kMaxBatches = 8;

  // `summary` receives the created / updated / unchanged counts; the caller keeps the rest of it.
  TmBulkImport(Store* store, const ImportOptions& options, ImportSummary* summary);
  ~TmBulkImport();
  TmBulkImport(const TmBulkImport&) = delete;
  TmBulkImport& operator=(const TmBulkImport&) = delete;

  // Marks the store as staging and starts the threads. FAILED_PRECONDITION if another import is staging.
  Status Begin();
  // The next usable unit: id, collection, texts and the file's audit fields. An error means the import has
  // already failed (a unit that cannot be stored, a duplicate id, cancellation): stop reading and Abort.
  Status Add(Segment segment, long line, long column);
  // Waits for every unit to be staged, then publishes (dry run: removes) them. On failure nothing is left.
  // `first_issue` ends the message of a file without a usable unit (the first skipped unit's problem).
  Status Finish(const std::string& first_issue);
  // Stops the threads and removes whatever was staged; returns `why`.
  Status Abort(Status why);

 private:
  struct Unit {
    Segment segment;
    long line = 0, column = 0;
  };
  struct Batch {
    std::vector<Unit> units;
    std::vector<PreparedPair> prepared;
    Status status;
    enum class State { kQueued, kWorking, kDone } state = State::kQueued;
  };

  void Submit(bool last);
  void Work();
  void Write();
  Status Prepare(Batch& batch) const;
  Status Fail(Status why);  // Records the first failure; wakes every thread.
  void Stop();              // Joins the threads.

  Store* store_;
  const ImportOptions& options_;
  ImportSummary* summary_;
  StagedImport staged_;
  bool begun_ = false, stopped_ = false;

  // Reader's state.
  std::vector<Unit> filling_;
  bool have_pending_ = false;
  Unit pending_;  // Handed over once its successor is known, so next_id is set.
  int32_t position_ = 0;
  std::string previous_id_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Batch>> batches_;  // File order; the writer takes the front when it is done.
  bool closing_ = false;
  Status failed_;
  int64_t created_ = 0, updated_ = 0, unchanged_ = 0;  // Staged so far (writer).
  std::vector<std::thread> workers_;
  std::thread writer_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_BULK_IMPORT_H_
