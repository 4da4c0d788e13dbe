#include "server/replication/applier.h"

#include <algorithm>
#include <charconv>

#include "server/core/store/change_log.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"
#include "server/replication/publisher.h"

namespace heluo {
namespace {

bool ParseNumber(std::string_view text, uint64_t* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

// "k/n" with 1 <= k <= n.
bool ParsePart(std::string_view text, uint64_t* k, uint64_t* n) {
  const size_t slash = text.find('/');
  return slash != std::string_view::npos && ParseNumber(text.substr(0, slash), k) &&
         ParseNumber(text.substr(slash + 1), n) && *k >= 1 && *k <= *n;
}

uint64_t ReadMetaU64(const LmdbTxn& txn, const Databases& dbs, const char* key, Status* st) {
  Result<std::optional<std::string_view>> v = txn.Get(dbs.meta, key);
  if (!v.ok()) {
    *st = v.status();
    return 0;
  }
  return v->has_value() ? DecodeU64(**v) : 0;
}

}  // namespace

Result<AppliedPosition> ReadAppliedPosition(const Store& store) {
  AppliedPosition p;
  Status st;
  HELUO_RETURN_IF_ERROR(store.Read([&](const LmdbTxn& txn) {
    p.commit_seq = ReadMetaU64(txn, store.dbs(), kAppliedSequenceKey, &st);
    p.stream_seq = ReadMetaU64(txn, store.dbs(), kAppliedStreamSequenceKey, &st);
    return st;
  }));
  return p;
}

Status WriteAppliedPosition(LmdbTxn& txn, const Databases& dbs, const AppliedPosition& position) {
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.meta, kAppliedSequenceKey, EncodeU64(position.commit_seq)));
  return txn.Put(dbs.meta, kAppliedStreamSequenceKey, EncodeU64(position.stream_seq));
}

Status Applier::Lost(uint64_t applied, const std::string& detail) {
  lost_ = Status::FailedPrecondition(
      "this replica has applied the primary's commits up to " + std::to_string(applied) +
      ", but the stream " + stream_->options().stream + " " + detail +
      "; it serves no reads until it is re-seeded: stop it, move its data directory away, take a backup of "
      "the primary (heluo backup) and start it again with --seed-from-backup DIR "
      "(docs/replication.md#seeding)");
  return lost_;
}

Status Applier::CheckNothingWasPurged(const AppliedPosition& position) {
  Result<StreamState> state = stream_->State();
  if (!state.ok()) {
    // No stream yet: the primary has not published anything; not an error of this replica's.
    if (state.status().code() == Status::Code::kNotFound)
      return Status::Unavailable(state.status().message());
    return state.status();
  }
  // With a known stream position the gap is certain; a seeded replica (stream position unknown) that has
  // applied something cannot tell what the removed messages held, and learns it from the next message.
  const bool knows_gap = position.stream_seq > 0 || position.commit_seq == 0;
  if (state->messages == 0 && state->last_seq > position.stream_seq && knows_gap) {
    return Lost(position.commit_seq, "no longer holds messages " + std::to_string(position.stream_seq + 1) +
                                         " to " + std::to_string(state->last_seq) +
                                         " (removed by its limits or a purge before this replica read them)");
  }
  return Status::Ok();
}

Status Applier::Apply(uint64_t commit_seq, uint64_t stream_seq, const std::string& log) {
  Result<std::vector<Change>> changes = ParseChangeLog(log);
  if (!changes.ok()) return changes.status().WithPrefix("commit " + std::to_string(commit_seq) + ": ");
  return store_->Write([&](LmdbTxn& txn) -> Status {
    // An import's thousands of pairs arrive as one commit: their postings are gathered and written sorted,
    // once, as the primary's import writes them, instead of pair by pair (several times faster).
    PostingBatch batch;
    for (const Change& c : *changes) {
      Status st;
      switch (c.kind) {
        case ChangeKind::kTermPut:
          st = glossary_->PutRecord(txn, c.value);
          break;
        case ChangeKind::kTermDelete:
          st = glossary_->Delete(txn, c.key);
          break;
        case ChangeKind::kSegmentPut: {
          Result<Segment> segment = ParseSegment(c.value);
          st = segment.ok() ? tm_->Put(txn, *segment, &batch) : segment.status();
          break;
        }
        case ChangeKind::kSegmentDelete:
          st = FlushIfWaiting(txn, c.key, batch);  // Postings still waiting cannot be removed.
          if (st.ok()) st = tm_->Delete(txn, c.key);
          break;
      }
      // A delete of what is already gone: the primary deleted it after changing it within the same commit
      // log, or a replay; the end state is the same.
      if (!st.ok() && st.code() != Status::Code::kNotFound) {
        return st.WithPrefix("applying commit " + std::to_string(commit_seq) + ": ");
      }
    }
    HELUO_RETURN_IF_ERROR(tm_->Flush(txn, batch));
    return WriteAppliedPosition(txn, store_->dbs(), AppliedPosition{commit_seq, stream_seq});
  });
}

Status Applier::FlushIfWaiting(LmdbTxn& txn, std::string_view segment_id, PostingBatch& batch) const {
  if (batch.waiting() == 0) return Status::Ok();
  Result<std::optional<std::string_view>> number = txn.Get(store_->dbs().segment_ids, segment_id);
  if (!number.ok()) return number.status();
  if (!number->has_value() || !batch.Holds(DecodeU32(**number))) return Status::Ok();
  return tm_->Flush(txn, batch);
}

Result<size_t> Applier::ApplyAvailable(std::chrono::milliseconds idle) {
  if (!lost_.ok()) return lost_;
  Result<AppliedPosition> position = Position();
  if (!position.ok()) return position.status();
  if (reader_ == nullptr) {
    HELUO_RETURN_IF_ERROR(CheckNothingWasPurged(*position));
    Result<std::unique_ptr<ChangeReader>> reader = stream_->ReadFrom(position->stream_seq + 1);
    if (!reader.ok()) return reader.status();
    reader_ = std::move(*reader);
    pending_seq_ = 0;
    pending_parts_ = 0;
    pending_log_.clear();
  }
  size_t applied = 0;
  std::chrono::steady_clock::time_point burst_end{};
  for (;;) {
    // Once something was applied, a short silence ends the burst, and so does its length: a commit every
    // few milliseconds would otherwise keep the silence from ever coming.
    const std::chrono::milliseconds wait = applied > 0 ? std::min(idle, std::chrono::milliseconds(20)) : idle;
    Result<std::optional<StreamMessage>> next = reader_->Next(wait);
    if (!next.ok()) {
      reader_.reset();  // Start again from the recorded position next time.
      return next.status();
    }
    if (!next->has_value()) return applied;
    StreamMessage& m = **next;
    uint64_t seq = 0, k = 0, n = 0;
    if (!ParseNumber(m.headers[kCommitSequenceHeader], &seq) || !ParsePart(m.headers[kPartHeader], &k, &n)) {
      lost_ = Status::FailedPrecondition("stream message " + std::to_string(m.stream_seq) +
                                         " is not a heluo change (missing or bad " + kCommitSequenceHeader +
                                         "/" + kPartHeader + " headers); is another program publishing on " +
                                         stream_->options().subject + "?");
      return lost_;
    }
    if (seq <= position->commit_seq) continue;  // Applied already: a re-sent message.
    if (seq > position->commit_seq + 1) {
      return Lost(position->commit_seq, "continues at commit " + std::to_string(seq) +
                                            " (the messages between were removed by its limits or a purge)");
    }
    if (k == 1) {  // A commit's first part: anything pending was an interrupted copy of it.
      pending_seq_ = seq;
      pending_parts_ = 0;
      pending_log_.clear();
    }
    if (seq != pending_seq_ || k != pending_parts_ + 1) continue;  // A duplicate part.
    pending_log_ += m.payload;
    pending_parts_ = k;
    if (k < n) continue;
    HELUO_RETURN_IF_ERROR(Apply(seq, m.stream_seq, pending_log_));
    position->commit_seq = seq;
    position->stream_seq = m.stream_seq;
    pending_log_.clear();
    pending_seq_ = 0;
    pending_parts_ = 0;
    if (applied++ == 0) burst_end = std::chrono::steady_clock::now() + kMaxBurst;
    if (on_applied_) on_applied_(*position);
    if (std::chrono::steady_clock::now() >= burst_end) return applied;
  }
}

}  // namespace heluo
