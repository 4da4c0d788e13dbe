// Applier: a replica's side of replication (docs/replication.md). Reads the change stream from the message
// after the last one it applied and applies each commit's changes in one write transaction of its own
// store, recording in that same transaction the commit sequence and the stream sequence it has reached —
// so a restart resumes exactly there and a replayed message is skipped.
//
// Commit sequences are dense (1, 2, 3, …): a message whose sequence is more than one past the last applied
// means the stream no longer holds what this replica needs; the applier then stops for good and says how
// to re-seed, rather than serve data it knows to be stale.
//
// Thread-safety: one thread at a time.
#ifndef HELUO_SERVER_REPLICATION_APPLIER_H_
#define HELUO_SERVER_REPLICATION_APPLIER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/tm/postings.h"
#include "server/core/translation_memory.h"
#include "server/replication/change_stream.h"

namespace heluo {

// Meta keys of a replica's store (8 bytes, big-endian each).
inline constexpr const char* kAppliedSequenceKey = "applied_commit_seq";
inline constexpr const char* kAppliedStreamSequenceKey = "applied_stream_seq";

struct AppliedPosition {
  uint64_t commit_seq = 0;  // The primary's commit sequence of the last change applied.
  uint64_t stream_seq = 0;  // The stream message that completed it (0: unknown, read from the oldest held).
};

// The position recorded in `store` (zeros: nothing applied yet).
Result<AppliedPosition> ReadAppliedPosition(const Store& store);
// Records `position` in `txn`, the transaction that makes the store hold the content it stands for.
Status WriteAppliedPosition(LmdbTxn& txn, const Databases& dbs, const AppliedPosition& position);

class Applier {
 public:
  Applier(Store* store, const Glossary* glossary, const TranslationMemory* tm, ChangeStream* stream)
      : store_(store), glossary_(glossary), tm_(tm), stream_(stream) {}

  // Applies the messages that arrive: waits up to `idle` for the first, then applies what follows without a
  // pause and returns once the stream is quiet for a moment or a burst has run for kMaxBurst (so a caller's
  // after-apply work, such as the recognizer's rebuild, runs under a steady write load too, however closely
  // the commits follow each other). Returns how many commits were applied.
  // FAILED_PRECONDITION once the stream has lost messages this replica needs (permanent); UNAVAILABLE when
  // NATS cannot be reached (try again).
  Result<size_t> ApplyAvailable(std::chrono::milliseconds idle);
  static constexpr std::chrono::milliseconds kMaxBurst{250};

  Result<AppliedPosition> Position() const { return ReadAppliedPosition(*store_); }
  // Called on the applying thread just after each commit's transaction committed, with the new position.
  void set_on_applied(std::function<void(const AppliedPosition&)> fn) { on_applied_ = std::move(fn); }
  // Why this replica cannot follow the stream any more; OK while it can.
  const Status& lost() const { return lost_; }

 private:
  Status Apply(uint64_t commit_seq, uint64_t stream_seq, const std::string& log);
  // Writes `batch` when postings of the segment `segment_id` wait in it (before that segment is deleted).
  Status FlushIfWaiting(LmdbTxn& txn, std::string_view segment_id, PostingBatch& batch) const;
  // FAILED_PRECONDITION (and lost_ set) when the stream is empty but once held messages after `position`:
  // purged before this replica read them, so no message will ever arrive to show the gap.
  Status CheckNothingWasPurged(const AppliedPosition& position);
  Status Lost(uint64_t applied, const std::string& detail);

  Store* store_;
  const Glossary* glossary_;
  const TranslationMemory* tm_;
  ChangeStream* stream_;
  std::unique_ptr<ChangeReader> reader_;
  std::function<void(const AppliedPosition&)> on_applied_;
  Status lost_;
  // The parts of a commit split over several messages, until its last part arrives.
  uint64_t pending_seq_ = 0;
  size_t pending_parts_ = 0;
  std::string pending_log_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_APPLIER_H_
