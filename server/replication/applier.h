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
#include <memory>
#include <string>

#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/translation_memory.h"
#include "server/replication/change_stream.h"

namespace heluo {

// Meta keys of a replica's store (8 bytes, big-endian each).
inline constexpr const char* kAppliedSequenceKey = "applied_commit_seq";
inline constexpr const char* kAppliedStreamSequenceKey = "applied_stream_seq";

struct AppliedPosition {
  uint64_t commit_seq = 0;  // The primary's commit sequence of the last change applied.
  uint64_t stream_seq = 0;  // The stream message that completed it.
};

class Applier {
 public:
  Applier(Store* store, const Glossary* glossary, const TranslationMemory* tm, ChangeStream* stream)
      : store_(store), glossary_(glossary), tm_(tm), stream_(stream) {}

  // Applies the messages that arrive, until none has come for `idle`. Returns how many commits were
  // applied. FAILED_PRECONDITION once the stream has lost messages this replica needs (permanent);
  // UNAVAILABLE when NATS cannot be reached (try again).
  Result<size_t> ApplyAvailable(std::chrono::milliseconds idle);

  Result<AppliedPosition> Position() const;
  // Why this replica cannot follow the stream any more; OK while it can.
  const Status& lost() const { return lost_; }

 private:
  Status Apply(uint64_t commit_seq, uint64_t stream_seq, const std::string& log);

  Store* store_;
  const Glossary* glossary_;
  const TranslationMemory* tm_;
  ChangeStream* stream_;
  std::unique_ptr<ChangeReader> reader_;
  Status lost_;
  // The parts of a commit split over several messages, until its last part arrives.
  uint64_t pending_seq_ = 0;
  size_t pending_parts_ = 0;
  std::string pending_log_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_APPLIER_H_
