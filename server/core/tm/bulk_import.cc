#include "server/core/tm/bulk_import.h"

#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>

#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/tm/folded.h"

namespace heluo {

TmBulkImport::TmBulkImport(Store* store, const ImportOptions& options, ImportSummary* summary)
    : store_(store), options_(options), summary_(summary), staged_(store) {}

TmBulkImport::~TmBulkImport() {
  if (begun_ && !stopped_) (void)Abort(Status::Cancelled("the import was abandoned"));
}

Status TmBulkImport::Begin() {
  HELUO_RETURN_IF_ERROR(staged_.Begin());
  begun_ = true;
  // The workers fill the cores; the writer mostly waits on them or on the disk, the reader is cheap.
  const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  // Named, so that top -H and perf tell the import's threads from the gRPC pool's.
  for (unsigned i = 0; i < workers; ++i) {
    workers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "import-prepare");
      Work();
    });
  }
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "import-write");
    Write();
  });
  return Status::Ok();
}

Status TmBulkImport::Add(Segment segment, long line, long column) {
  if (have_pending_) {
    pending_.segment.next_id = segment.id;
    filling_.push_back(std::move(pending_));
    if (filling_.size() == kBatchPairs) Submit(false);
  }
  segment.position = ++position_;
  segment.previous_id = previous_id_;
  previous_id_ = segment.id;
  pending_ = Unit{std::move(segment), line, column};
  have_pending_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void TmBulkImport::Submit(bool last) {
  auto batch = std::make_unique<Batch>();
  batch->units = std::move(filling_);
  filling_.clear();
  if (options_.limits.cancelled && options_.limits.cancelled()) {
    Fail(Status::Cancelled("the client cancelled the import; nothing was imported"));
  } else if (std::chrono::system_clock::now() > options_.limits.deadline) {
    Fail(Status::DeadlineExceeded("the import ran past the call's deadline; nothing was imported"));
  }
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return batches_.size() < kMaxBatches || !failed_.ok(); });
  if (!batch->units.empty()) batches_.push_back(std::move(batch));
  closing_ = last;
  changed_.notify_all();
}

Status TmBulkImport::Fail(Status why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failed_.ok()) failed_ = std::move(why);
  changed_.notify_all();
  return failed_;
}

void TmBulkImport::Work() {
  for (;;) {
    Batch* batch = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto queued = [&] {
        return std::find_if(batches_.begin(), batches_.end(),
                            [](const auto& b) { return b->state == Batch::State::kQueued; });
      };
      changed_.wait(lock, [&] { return !failed_.ok() || closing_ || queued() != batches_.end(); });
      if (!failed_.ok()) return;
      auto it = queued();
      if (it == batches_.end()) return;  // Closing and nothing left to prepare.
      batch = it->get();
      batch->state = Batch::State::kWorking;
    }
    batch->status = Prepare(*batch);
    std::lock_guard<std::mutex> lock(mu_);
    batch->state = Batch::State::kDone;
    changed_.notify_all();
  }
}

void TmBulkImport::Write() {
  std::vector<PreparedPair> chunk;
  int64_t created = 0, updated = 0, unchanged = 0;
  auto stage = [&]() -> Status {
    HELUO_RETURN_IF_ERROR(staged_.Stage(chunk));
    chunk.clear();
    std::lock_guard<std::mutex> lock(mu_);
    created_ += created;
    updated_ += updated;
    unchanged_ += unchanged;
    created = updated = unchanged = 0;
    return Status::Ok();
  };
  for (;;) {
    std::unique_ptr<Batch> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] {
        return !failed_.ok() || (!batches_.empty() && batches_.front()->state == Batch::State::kDone) ||
               (closing_ && batches_.empty());
      });
      if (!failed_.ok()) return;
      if (batches_.empty()) break;
      batch = std::move(batches_.front());
      batches_.pop_front();
      changed_.notify_all();  // Room for the reader.
    }
    if (!batch->status.ok()) {
      Fail(batch->status);
      return;
    }
    for (PreparedPair& p : batch->prepared) {
      ++(p.old_number == 0 ? created : p.same_content ? unchanged : updated);
      chunk.push_back(std::move(p));
    }
    if (chunk.size() >= StagedImport::kStagePairsPerTxn) {
      Status st = stage();
      if (!st.ok()) {
        Fail(st);
        return;
      }
    }
  }
  Status st = stage();
  if (!st.ok()) Fail(st);
}

Status PreparePair(const LmdbTxn& txn, const Databases& dbs, const ImportOptions& options, Segment s, long line,
                   long column, PreparedPair* out) {
  PreparedPair& p = *out;
  p = PreparedPair{};
  p.line = line;
  p.column = column;
  auto bad = [&](const Status& st) {
    return Status::InvalidArgument("unit at " + ImportPosition(line, column) + ": " + st.message());
  };
  Status valid = ValidateCollectionName(s.collection);
  if (valid.ok()) valid = ValidateStoredText(s.source, "segment '" + s.id + "' source");
  if (valid.ok()) valid = ValidateStoredText(s.target, "segment '" + s.id + "' target");
  if (!valid.ok()) return bad(valid);
  // Per thread: Normalize refills the key, offset and original buffers in place, so a worker reuses their
  // memory from pair to pair instead of allocating each anew (malloc and free were ~10 % of preparing).
  thread_local Folded source, target;
  HELUO_RETURN_IF_ERROR(Fold(s.source, &source));
  HELUO_RETURN_IF_ERROR(Fold(s.target, &target));
  if (source.ids.empty() || target.ids.empty()) {
    return bad(Status::InvalidArgument("segment '" + s.id + "' needs a non-empty source and target"));
  }
  valid = CheckLength(source.text, "segment source");
  if (valid.ok()) valid = CheckLength(target.text, "segment target");
  if (!valid.ok()) return bad(valid);

  Result<std::optional<uint32_t>> old_number = VisibleSegmentNumber(txn, dbs, s.id);
  if (!old_number.ok()) return old_number.status();
  std::string_view old_bytes;
  std::optional<Segment> old;
  if (old_number->has_value()) {
    Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(**old_number));
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) return Status::DataLoss("segment '" + s.id + "' is indexed but missing");
    old_bytes = **bytes;
    Result<Segment> parsed = ParseSegment(old_bytes);
    if (!parsed.ok()) return parsed.status();
    old = std::move(*parsed);
    p.old_number = **old_number;
    p.old_collection = old->collection;
    p.same_content = old->source == s.source && old->target == s.target && old->collection == s.collection;
    if (p.same_content) {
      s.created_by = old->created_by;
      s.created_at = old->created_at;
      s.changed_by = old->changed_by;
      s.changed_at = old->changed_at;
    } else {
      s.created_by = old->created_by.empty() ? s.created_by : old->created_by;
      s.created_at = old->created_at.empty() ? s.created_at : old->created_at;
      s.changed_by = options.author;
      s.changed_at = options.now;
    }
  }
  FillAudit(&s, options);
  p.record = SerializeSegment(s);
  if (old) {
    p.same_record = p.record == old_bytes;
    if (!p.same_record) {
      Result<IndexKeys> old_keys = IndexKeysOf(*old);
      if (!old_keys.ok()) return old_keys.status();
      p.old_keys = std::move(*old_keys);
    }
  }
  p.id = s.id;
  p.collection = s.collection;
  p.tokens = EncodeTokens(CollectionTag(s.collection), source.ids);
  p.keys = IndexKeysOf(source, target);
  return Status::Ok();
}

Status TmBulkImport::Prepare(Batch& batch) const {
  batch.prepared.resize(batch.units.size());
  // One snapshot for the batch: the published pairs do not change while the import stages (other writes
  // are refused), so what it says about an id holds until the flip.
  return store_->Read([&](const LmdbTxn& txn) -> Status {
    for (size_t i = 0; i < batch.units.size(); ++i) {
      Unit& u = batch.units[i];
      HELUO_RETURN_IF_ERROR(
          PreparePair(txn, store_->dbs(), options_, std::move(u.segment), u.line, u.column, &batch.prepared[i]));
    }
    return Status::Ok();
  });
}

void TmBulkImport::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    changed_.notify_all();
  }
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  if (writer_.joinable()) writer_.join();
  stopped_ = true;
  // The threads' malloc arenas keep what the batches used; give it back so an idle server is small again.
  malloc_trim(0);
}

Status TmBulkImport::Abort(Status why) {
  if (!begun_ || stopped_) return why;
  Fail(why);
  Stop();
  Result<int64_t> removed = RemoveStagedImport(*store_);
  if (!removed.ok()) {
    return why.WithPrefix("(removing the staged pairs failed too, they are removed at the next start: " +
                          removed.status().message() + ") ");
  }
  return why;
}

Status TmBulkImport::Finish(const std::string& first_issue) {
  if (have_pending_) {
    pending_.segment.next_id.clear();
    filling_.push_back(std::move(pending_));
    have_pending_ = false;
  }
  Submit(/*last=*/true);
  Stop();
  Status failed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failed = failed_;
    summary_->created = created_;
    summary_->updated = updated_;
    summary_->unchanged = unchanged_;
  }
  if (failed.ok() && created_ + updated_ + unchanged_ == 0) {
    failed = Status::InvalidArgument("the file holds no usable unit (" + std::to_string(summary_->skipped) + " skipped" +
                                     first_issue + ")");
  }
  if (!failed.ok() || options_.dry_run) {
    Result<int64_t> removed = RemoveStagedImport(*store_);
    if (!failed.ok()) {
      return removed.ok() ? failed
                          : failed.WithPrefix("(removing the staged pairs failed too, they are removed at the next "
                                              "start: " + removed.status().message() + ") ");
    }
    return removed.status();
  }
  Status published = staged_.Publish(options_.limits);
  if (published.ok()) return published;
  // Past the deadline, cancelled, or a failure while the index was written: nothing was published, and
  // the staged pairs must not wait for the next start (they block every other write until removed).
  Result<int64_t> removed = RemoveStagedImport(*store_);
  return removed.ok() ? published
                      : published.WithPrefix("(removing the staged pairs failed too, they are removed at the next "
                                             "start: " + removed.status().message() + ") ");
}

}  // namespace heluo
