#include "server/replication/applier.h"

#include <algorithm>
#include <charconv>

#include "server/core/store/change_log.h"
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

Result<AppliedPosition> Applier::Position() const {
  AppliedPosition p;
  Status st;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) {
    p.commit_seq = ReadMetaU64(txn, store_->dbs(), kAppliedSequenceKey, &st);
    p.stream_seq = ReadMetaU64(txn, store_->dbs(), kAppliedStreamSequenceKey, &st);
    return st;
  }));
  return p;
}

Status Applier::Apply(uint64_t commit_seq, uint64_t stream_seq, const std::string& log) {
  Result<std::vector<Change>> changes = ParseChangeLog(log);
  if (!changes.ok()) return changes.status().WithPrefix("commit " + std::to_string(commit_seq) + ": ");
  return store_->Write([&](LmdbTxn& txn) -> Status {
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
          st = segment.ok() ? tm_->Put(txn, *segment) : segment.status();
          break;
        }
        case ChangeKind::kSegmentDelete:
          st = tm_->Delete(txn, c.key);
          break;
      }
      // A delete of what is already gone: the primary deleted it after changing it within the same commit
      // log, or a replay; the end state is the same.
      if (!st.ok() && st.code() != Status::Code::kNotFound) {
        return st.WithPrefix("applying commit " + std::to_string(commit_seq) + ": ");
      }
    }
    HELUO_RETURN_IF_ERROR(txn.Put(store_->dbs().meta, kAppliedSequenceKey, EncodeU64(commit_seq)));
    return txn.Put(store_->dbs().meta, kAppliedStreamSequenceKey, EncodeU64(stream_seq));
  });
}

Result<size_t> Applier::ApplyAvailable(std::chrono::milliseconds idle) {
  if (!lost_.ok()) return lost_;
  Result<AppliedPosition> position = Position();
  if (!position.ok()) return position.status();
  if (reader_ == nullptr) {
    Result<std::unique_ptr<ChangeReader>> reader = stream_->ReadFrom(position->stream_seq + 1);
    if (!reader.ok()) return reader.status();
    reader_ = std::move(*reader);
    pending_seq_ = 0;
    pending_parts_ = 0;
    pending_log_.clear();
  }
  size_t applied = 0;
  for (;;) {
    // Once something was applied, a short silence ends the burst.
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
      lost_ = Status::FailedPrecondition(
          "this replica has applied the primary's commits up to " + std::to_string(position->commit_seq) +
          ", but the stream " + stream_->options().stream + " now continues at commit " +
          std::to_string(seq) +
          " (the messages between were removed by its limits or a purge); re-seed this replica from a "
          "backup of the primary (docs/replication.md#seeding)");
      return lost_;
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
    ++applied;
  }
}

}  // namespace heluo
