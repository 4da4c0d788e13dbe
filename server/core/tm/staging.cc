#include "server/core/tm/staging.h"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "server/core/collections.h"
#include "server/core/tm/source_array.h"

namespace heluo {
namespace {

// Pairs removed per transaction when a staged import is taken away (each is folded again to find its keys).
constexpr size_t kRemovePairsPerTxn = 5000;

// superseded value: empty when the published pair is kept as it is; otherwise its replacement's number (4),
// the id's length (2) and the id, then the old version's exact key (8), source length (4), number of source
// grams (4), the source grams and the target grams (8 each, big-endian).
std::string EncodeSuperseded(uint32_t replacement, const PreparedPair& p) {
  std::string out = EncodeU32(replacement);
  out += static_cast<char>(p.id.size() >> 8);
  out += static_cast<char>(p.id.size() & 0xFF);
  out += p.id;
  out += p.old_keys.exact_key;
  out += EncodeU32(p.old_keys.source_length);
  out += EncodeU32(static_cast<uint32_t>(p.old_keys.source_grams.size()));
  for (Gram g : p.old_keys.source_grams) out += GramKey(g);
  for (Gram g : p.old_keys.target_grams) out += GramKey(g);
  return out;
}

struct Superseded {
  uint32_t replacement = 0;  // 0: kept.
  std::string id;
  IndexKeys old_keys;
};

Result<Superseded> DecodeSuperseded(std::string_view v) {
  Superseded s;
  if (v.empty()) return s;
  auto corrupt = [] { return Status::DataLoss("a superseded record of an import is corrupt"); };
  if (v.size() < 6) return corrupt();
  s.replacement = DecodeU32(v.substr(0, 4));
  const size_t id_size = (static_cast<uint8_t>(v[4]) << 8) | static_cast<uint8_t>(v[5]);
  if (v.size() < 6 + id_size + 16) return corrupt();
  s.id = std::string(v.substr(6, id_size));
  v.remove_prefix(6 + id_size);
  s.old_keys.exact_key = std::string(v.substr(0, 8));
  s.old_keys.source_length = DecodeU32(v.substr(8, 4));
  const size_t source_grams = DecodeU32(v.substr(12, 4));
  v.remove_prefix(16);
  if (v.size() % 8 != 0 || v.size() / 8 < source_grams) return corrupt();
  for (size_t i = 0; i < v.size() / 8; ++i) {
    const Gram g = BigEndianValue(v.substr(i * 8, 8));
    (i < source_grams ? s.old_keys.source_grams : s.old_keys.target_grams).push_back(g);
  }
  return s;
}

std::string StageMarker(uint32_t first, char state) { return EncodeU32(first) + state; }

MDB_dbi TableDbi(const Databases& dbs, IndexTable table) {
  return table == IndexTable::kSourceGrams   ? dbs.src_grams
         : table == IndexTable::kTargetGrams ? dbs.tgt_grams
         : table == IndexTable::kExactKeys   ? dbs.exact_keys
                                             : dbs.src_lengths;
}

// Index entries of sorted runs, table by table in key order, in chunks of at most `max`, to `fn` on the
// calling thread. The merge (reading and decoding the runs, the heap) runs on its own thread, one chunk
// ahead of `fn`'s transaction: the import's last phase would otherwise keep one core busy and the other idle.
// A chunk is complete before its transaction begins, so a retry after the map grew sees the same entries.
Status ForEachIndexChunk(PostingRuns& runs, size_t max,
                         const std::function<Status(IndexTable, const std::vector<WaitingPosting>&)>& fn) {
  struct Chunk {
    IndexTable table = IndexTable::kSourceGrams;
    std::vector<WaitingPosting> entries;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::optional<Chunk> ready;
  bool merged = false, stop = false;
  Status merge_status;
  const size_t reserve = std::min<size_t>(max, static_cast<size_t>(std::max<int64_t>(runs.entries(), 1)));
  std::thread merger([&] {
    pthread_setname_np(pthread_self(), "import-merge");
    Status st = [&]() -> Status {
      for (int t = 0; t < kIndexTables; ++t) {
        const IndexTable table = static_cast<IndexTable>(t);
        Result<std::unique_ptr<PostingRuns::Merge>> merge = runs.MergeTable(table);
        if (!merge.ok()) return merge.status();
        for (bool more = true; more;) {
          Chunk chunk{table, {}};
          chunk.entries.reserve(reserve);
          WaitingPosting w;
          while (chunk.entries.size() < max) {
            Result<bool> next = (*merge)->Next(&w);
            if (!next.ok()) return next.status();
            if (!*next) {
              more = false;
              break;
            }
            chunk.entries.push_back(w);
          }
          if (chunk.entries.empty()) break;
          std::unique_lock<std::mutex> lock(mu);
          changed.wait(lock, [&] { return !ready || stop; });
          if (stop) return Status::Ok();
          ready = std::move(chunk);
          changed.notify_all();
        }
      }
      return Status::Ok();
    }();
    std::lock_guard<std::mutex> lock(mu);
    merge_status = std::move(st);
    merged = true;
    changed.notify_all();
  });
  Status st;
  for (;;) {
    Chunk chunk;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return ready || merged; });
      if (!ready) break;
      chunk = std::move(*ready);
      ready.reset();
      changed.notify_all();
    }
    st = fn(chunk.table, chunk.entries);
    if (!st.ok()) break;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    changed.notify_all();
  }
  merger.join();
  HELUO_RETURN_IF_ERROR(st);
  return merge_status;
}

// Deletes index entries of one table, sorted (those of a failed import: all name staged numbers).
Status DeleteIndexEntries(LmdbTxn& txn, const Databases& dbs, IndexTable table, const std::vector<WaitingPosting>& entries) {
  Result<LmdbCursor> cursor = LmdbCursor::Open(txn, TableDbi(dbs, table));
  if (!cursor.ok()) return cursor.status();
  for (const WaitingPosting& e : entries) {
    const std::string key = EncodeU64(e.gram);
    switch (table) {
      case IndexTable::kSourceGrams:
        HELUO_RETURN_IF_ERROR(cursor->DeleteIfPresent(key, EncodeU64(e.value).substr(8 - kSourcePostingBytes)));
        break;
      case IndexTable::kTargetGrams:
      case IndexTable::kExactKeys:
        HELUO_RETURN_IF_ERROR(cursor->DeleteIfPresent(key, EncodeU32(static_cast<uint32_t>(e.value))));
        break;
      case IndexTable::kSourceLengths:
        HELUO_RETURN_IF_ERROR(cursor->DeleteIfPresent(key));
        break;
    }
  }
  return Status::Ok();
}

// Writes index entries of one table, sorted, through one cursor: consecutive entries land on the same page.
Status WriteIndexEntries(LmdbTxn& txn, const Databases& dbs, IndexTable table, const std::vector<WaitingPosting>& entries) {
  Result<LmdbCursor> cursor = LmdbCursor::Open(txn, TableDbi(dbs, table));
  if (!cursor.ok()) return cursor.status();
  const WaitingPosting* begin = entries.data();
  const WaitingPosting* end = begin + entries.size();
  switch (table) {
    case IndexTable::kSourceGrams:
      return PutSortedPostings(*cursor, begin, end, kSourcePostingBytes);
    case IndexTable::kTargetGrams:
      return PutSortedPostings(*cursor, begin, end, 4);
    case IndexTable::kExactKeys:
    case IndexTable::kSourceLengths: {
      Result<AppendPastLast> append = AppendPastLast::Of(*cursor);
      if (!append.ok()) return append.status();
      const bool exact = table == IndexTable::kExactKeys;
      for (const WaitingPosting* e = begin; e != end; ++e) {
        const std::string key = EncodeU64(e->gram);
        const unsigned flags = append->FlagsFor(key);
        HELUO_RETURN_IF_ERROR(exact ? cursor->Put(key, EncodeU32(static_cast<uint32_t>(e->value)), MDB_NODUPDATA | flags)
                                    : cursor->Put(key, "", flags));
      }
      return Status::Ok();
    }
  }
  return Status::Internal("unknown index table");
}

Status DuplicateId(const PreparedPair& p) {
  return Status::InvalidArgument("duplicate id '" + p.id + "' at " + ImportPosition(p.line, p.column) +
                                 "; nothing was imported");
}

// Deletes the superseded records of a published import in bounded transactions, removing the index entries
// of the versions they replaced.
Status CollectSuperseded(Store& store) {
  for (bool more = true; more;) {
    HELUO_RETURN_IF_ERROR(store.Write([&](LmdbTxn& txn) -> Status {
      const Databases& dbs = store.dbs();
      std::vector<std::pair<std::string, Superseded>> batch;
      HELUO_RETURN_IF_ERROR(ScanRecords(txn, dbs.superseded, "", [&](std::string_view k, std::string_view v) -> Result<bool> {
        Result<Superseded> s = DecodeSuperseded(v);
        if (!s.ok()) return s.status();
        batch.emplace_back(std::string(k), std::move(*s));
        return batch.size() < kRemovePairsPerTxn;
      }));
      more = batch.size() == kRemovePairsPerTxn;
      for (const auto& [key, s] : batch) {
        if (s.replacement != 0) HELUO_RETURN_IF_ERROR(RemoveIndexKeys(txn, dbs, s.old_keys, DecodeU32(key)));
        HELUO_RETURN_IF_ERROR(txn.Delete(dbs.superseded, key));
      }
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

}  // namespace

std::string ImportPosition(long line, long column) {
  return "line " + std::to_string(line) + (column > 0 ? ", column " + std::to_string(column) : "");
}

Result<uint32_t> SegmentLimit(const LmdbTxn& txn, const Databases& dbs) {
  Result<std::optional<std::string_view>> next = txn.Get(dbs.meta, kNextSegmentKey);
  if (!next.ok()) return next.status();
  return next->has_value() ? DecodeU32(**next) : 1;
}

Result<std::optional<uint32_t>> VisibleSegmentNumber(const LmdbTxn& txn, const Databases& dbs, std::string_view id) {
  Result<std::optional<std::string_view>> number = txn.Get(dbs.segment_ids, id);
  if (!number.ok()) return number.status();
  if (!number->has_value()) return std::optional<uint32_t>();
  Result<uint32_t> limit = SegmentLimit(txn, dbs);
  if (!limit.ok()) return limit.status();
  const uint32_t n = DecodeU32(**number);
  return n < *limit ? std::optional<uint32_t>(n) : std::nullopt;
}

Status CheckNoImportStaged(const LmdbTxn& txn, const Databases& dbs) {
  Result<std::optional<std::string_view>> stage = txn.Get(dbs.meta, kImportStageKey);
  if (!stage.ok()) return stage.status();
  if (!stage->has_value()) return Status::Ok();
  return Status::FailedPrecondition(
      "an import into the translation memory is being staged; retry this change when it has finished");
}

IndexKeys IndexKeysOf(const Folded& source, const Folded& target) {
  IndexKeys keys;
  keys.exact_key = ExactKey(source.text);
  keys.source_length = static_cast<uint32_t>(source.ids.size());
  keys.source_grams = DistinctGrams(source.ids, true);
  keys.target_grams = DistinctGrams(target.ids, true);
  return keys;
}

Result<IndexKeys> IndexKeysOf(const Segment& segment) {
  Folded source, target;
  HELUO_RETURN_IF_ERROR(Fold(segment.source, &source));
  HELUO_RETURN_IF_ERROR(Fold(segment.target, &target));
  return IndexKeysOf(source, target);
}

Status RemoveIndexKeys(LmdbTxn& txn, const Databases& dbs, const IndexKeys& keys, uint32_t number) {
  const std::string n = EncodeU32(number);
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.exact_keys, keys.exact_key, n));
  const std::string posting = SourcePosting(n, keys.source_length);
  for (Gram g : keys.source_grams) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_grams, GramKey(g), posting));
  for (Gram g : keys.target_grams) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.tgt_grams, GramKey(g), n));
  return txn.Delete(dbs.src_lengths, EncodeU32(keys.source_length) + n);
}

std::string PostingRunsDir(const Store& store) { return store.dir() + "/import-runs"; }

Status StagedImport::Begin() {
  HELUO_RETURN_IF_ERROR(store_->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(CheckNoImportStaged(txn, store_->dbs()));
    Result<uint32_t> limit = SegmentLimit(txn, store_->dbs());
    if (!limit.ok()) return limit.status();
    first_ = next_ = *limit;
    return txn.Put(store_->dbs().meta, kImportStageKey, StageMarker(first_, kStageRecordsOnly));
  }));
  // Only now: the marker proves no other import owns the run directory.
  runs_ = std::make_unique<PostingRuns>(PostingRunsDir(*store_), max_run_entries_);
  return runs_->Open();
}

Status StagedImport::Stage(const std::vector<PreparedPair>& pairs) {
  for (size_t at = 0; at < pairs.size(); at += kStagePairsPerTxn) {
    const size_t end = std::min(pairs.size(), at + kStagePairsPerTxn);
    HELUO_RETURN_IF_ERROR(StageHalving(pairs.data() + at, pairs.data() + end));
  }
  return Status::Ok();
}

Status StagedImport::StageHalving(const PreparedPair* begin, const PreparedPair* end) {
  Status st = StageTxn(begin, end);
  // LMDB caps the dirty pages of one transaction (MDB_TXN_FULL, at 128k pages): when the pairs' postings
  // spread over more pages of a large index than that, the same pairs go in two halves. LmdbError reports
  // it as INTERNAL; the message is LMDB's own.
  if (st.ok() || end - begin < 2 || st.message().find("MDB_TXN_FULL") == std::string::npos) return st;
  const PreparedPair* middle = begin + (end - begin) / 2;
  HELUO_RETURN_IF_ERROR(StageHalving(begin, middle));
  return StageHalving(middle, end);
}

Status StagedImport::StageTxn(const PreparedPair* begin, const PreparedPair* end) {
  uint32_t next = next_;
  std::map<std::string, int64_t> deltas;
  std::vector<const PreparedPair*> staged;  // In number order from next_.
  // Run again from the start if the map had to grow: nothing below changes this object until it commits.
  HELUO_RETURN_IF_ERROR(store_->Write([&](LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    next = next_;
    deltas.clear();
    staged.clear();
    for (const PreparedPair* p = begin; p != end; ++p) {
      if (p->old_number == 0) {
        // A new id: it is already in segment_ids only if this import staged it.
        Result<std::optional<std::string_view>> seen = txn.Get(dbs.segment_ids, p->id);
        if (!seen.ok()) return seen.status();
        if (seen->has_value()) return DuplicateId(*p);
      } else {
        const std::string old = EncodeU32(p->old_number);
        Result<std::optional<std::string_view>> seen = txn.Get(dbs.superseded, old);
        if (!seen.ok()) return seen.status();
        if (seen->has_value()) return DuplicateId(*p);
        if (p->same_record) {
          HELUO_RETURN_IF_ERROR(txn.Put(dbs.superseded, old, ""));
          continue;
        }
        HELUO_RETURN_IF_ERROR(txn.Put(dbs.superseded, old, EncodeSuperseded(next, *p)));
        --deltas[p->old_collection];
      }
      const std::string number = EncodeU32(next++);
      if (p->old_number == 0) HELUO_RETURN_IF_ERROR(txn.Put(dbs.segment_ids, p->id, number));
      // Staged numbers are above every key there: appending skips the search and fills pages completely.
      HELUO_RETURN_IF_ERROR(txn.Put(dbs.segments, number, p->record, MDB_APPEND));
      HELUO_RETURN_IF_ERROR(txn.Put(dbs.src_tokens, number, p->tokens, MDB_APPEND));
      staged.push_back(p);
      ++deltas[p->collection];
    }
    return Status::Ok();
  }));
  // The index entries wait in the runs, written in key order by Publish: written here, they would touch
  // pages all over a large index in every staging transaction.
  for (const PreparedPair* p : staged) {
    const uint32_t n = next_++;
    const IndexKeys& k = p->keys;
    HELUO_RETURN_IF_ERROR(runs_->Add(IndexTable::kExactKeys, BigEndianValue(k.exact_key), n));
    HELUO_RETURN_IF_ERROR(runs_->Add(IndexTable::kSourceLengths, (uint64_t{k.source_length} << 32) | n, 0));
    const uint64_t source_value = (uint64_t{std::min<uint32_t>(k.source_length, 0xFFFF)} << 32) | n;
    for (Gram g : k.source_grams) HELUO_RETURN_IF_ERROR(runs_->Add(IndexTable::kSourceGrams, g, source_value));
    for (Gram g : k.target_grams) HELUO_RETURN_IF_ERROR(runs_->Add(IndexTable::kTargetGrams, g, n));
  }
  if (next_ != next) return Status::Internal("staged numbers went astray");
  for (const auto& [collection, delta] : deltas) count_deltas_[collection] += delta;
  return Status::Ok();
}

Status StagedImport::WriteIndex(const WriteLimits& limits) {
  if (!runs_) return Status::Internal("an import was published before it began");
  // The runs are durable before the index holds any staged entry, so removal can delete exactly those.
  HELUO_RETURN_IF_ERROR(runs_->Seal());
  // From this commit on, the index may hold staged entries: removal must then find and delete them.
  HELUO_RETURN_IF_ERROR(store_->Write([&](LmdbTxn& txn) -> Status {
    return txn.Put(store_->dbs().meta, kImportStageKey, StageMarker(first_, kStageIndexWritten));
  }, /*commit=*/true, limits));
  return ForEachIndexChunk(*runs_, kIndexEntriesPerTxn, [&](IndexTable table, const std::vector<WaitingPosting>& chunk) {
    return store_->Write([&](LmdbTxn& txn) { return WriteIndexEntries(txn, store_->dbs(), table, chunk); },
                         /*commit=*/true, limits);
  });
}

Status StagedImport::Publish(const WriteLimits& limits) {
  HELUO_RETURN_IF_ERROR(WriteIndex(limits));
  HELUO_RETURN_IF_ERROR(store_->Write([&](LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    Result<std::optional<std::string_view>> stage = txn.Get(dbs.meta, kImportStageKey);
    if (!stage.ok()) return stage.status();
    if (!stage->has_value()) return Status::Internal("the import's stage marker vanished before it was published");
    // Replaced pairs: the id points at the new version; the old one's records go (readers skip a number
    // without them), its index entries are collected below.
    HELUO_RETURN_IF_ERROR(ScanRecords(txn, dbs.superseded, "", [&](std::string_view k, std::string_view v) -> Result<bool> {
      Result<Superseded> s = DecodeSuperseded(v);
      if (!s.ok()) return s.status();
      if (s->replacement == 0) return true;
      const std::string old(k);
      HELUO_RETURN_IF_ERROR(txn.Put(dbs.segment_ids, s->id, EncodeU32(s->replacement)));
      HELUO_RETURN_IF_ERROR(txn.Delete(dbs.segments, old));
      HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_tokens, old));
      return true;
    }));
    for (const auto& [collection, delta] : count_deltas_) {
      if (delta != 0) {
        HELUO_RETURN_IF_ERROR(AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, collection, delta));
      }
    }
    // Replication (docs/replication.md): the staging transactions recorded nothing, as readers saw nothing;
    // the import reaches replicas here, as one commit holding every pair it staged (new and replacing), so
    // the import's pairs sit in the outbox once more until published (docs/replication.md: by range, next).
    if (txn.records_changes()) {
      const uint32_t first = DecodeU32((**stage).substr(0, 4));
      HELUO_RETURN_IF_ERROR(ScanRecords(txn, dbs.segments, EncodeU32(first - 1),
                                        [&](std::string_view k, std::string_view v) -> Result<bool> {
                                          if (DecodeU32(k) >= next_) return false;
                                          Result<Segment> pair = ParseSegment(v);
                                          if (!pair.ok()) return pair.status();
                                          // A replaced pair moved to a new number at the end (the
                                          // export order): delete, then add, does the same on a replica
                                          // (a delete of an absent id is a no-op there).
                                          txn.RecordChange(ChangeKind::kSegmentDelete, pair->id, "");
                                          txn.RecordChange(ChangeKind::kSegmentPut, pair->id, v);
                                          return true;
                                        }));
    }
    HELUO_RETURN_IF_ERROR(txn.Put(dbs.meta, kNextSegmentKey, EncodeU32(next_)));
    // The visible sources change here (and only here: staged ones are above the limit the in-memory array
    // stops at), so an array of the sources before the flip is not used after it.
    HELUO_RETURN_IF_ERROR(MarkSourceTokensChanged(txn, dbs));
    return txn.Delete(dbs.meta, kImportStageKey);
  }, /*commit=*/true, limits));
  runs_.reset();  // Published: the runs go.
  return CollectSuperseded(*store_);
}

Result<int64_t> RemoveStagedImport(Store& store) {
  bool staged = false, indexed = false;
  HELUO_RETURN_IF_ERROR(store.Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<std::string_view>> stage = txn.Get(store.dbs().meta, kImportStageKey);
    if (!stage.ok()) return stage.status();
    staged = stage->has_value();
    indexed = staged && !((*stage)->size() == 5 && (**stage)[4] == kStageRecordsOnly);
    return Status::Ok();
  }));
  int64_t removed = 0;
  if (staged && indexed) {
    // The sealed runs name every index entry the import may have written: deleted in key order, they spare
    // folding every staged pair again. Without usable runs (lost, damaged), the records are folded.
    Result<std::unique_ptr<PostingRuns>> runs = PostingRuns::OpenSealed(PostingRunsDir(store));
    if (runs.ok()) {
      Status st = ForEachIndexChunk(**runs, StagedImport::kIndexEntriesPerTxn,
                                    [&](IndexTable table, const std::vector<WaitingPosting>& chunk) {
                                      return store.Write([&](LmdbTxn& txn) {
                                        return DeleteIndexEntries(txn, store.dbs(), table, chunk);
                                      });
                                    });
      if (st.code() == Status::Code::kDataLoss || st.message().find("import's sorted run") != std::string::npos) {
        runs = st;  // A damaged run: fold instead.
      } else {
        HELUO_RETURN_IF_ERROR(st);
      }
    }
    indexed = !runs.ok();
  }
  if (staged) {
    for (bool more = true; more;) {
      int64_t in_txn = 0;
      HELUO_RETURN_IF_ERROR(store.Write([&](LmdbTxn& txn) -> Status {
        const Databases& dbs = store.dbs();
        in_txn = 0;
        Result<uint32_t> limit = SegmentLimit(txn, dbs);
        if (!limit.ok()) return limit.status();
        std::vector<std::pair<uint32_t, Segment>> batch;
        HELUO_RETURN_IF_ERROR(
            ScanRecords(txn, dbs.segments, EncodeU32(*limit - 1), [&](std::string_view k, std::string_view v) -> Result<bool> {
              Result<Segment> s = ParseSegment(v);
              if (!s.ok()) return s.status();
              batch.emplace_back(DecodeU32(k), std::move(*s));
              return batch.size() < kRemovePairsPerTxn;
            }));
        more = batch.size() == kRemovePairsPerTxn;
        for (const auto& [number, segment] : batch) {
          // Before the index was written only the records are there: no folding to find index keys.
          if (indexed) {
            Result<IndexKeys> keys = IndexKeysOf(segment);
            if (!keys.ok()) return keys.status();
            HELUO_RETURN_IF_ERROR(RemoveIndexKeys(txn, dbs, *keys, number));
          }
          const std::string n = EncodeU32(number);
          Result<std::optional<std::string_view>> id_number = txn.Get(dbs.segment_ids, segment.id);
          if (!id_number.ok()) return id_number.status();
          if (id_number->has_value() && **id_number == n) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.segment_ids, segment.id));
          HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_tokens, n));
          HELUO_RETURN_IF_ERROR(txn.Delete(dbs.segments, n));
        }
        in_txn = static_cast<int64_t>(batch.size());
        return Status::Ok();
      }));
      removed += in_txn;
    }
    // The published pairs the import would have replaced are untouched: forget the list, then the marker.
    HELUO_RETURN_IF_ERROR(store.Write([&](LmdbTxn& txn) -> Status {
      int rc = mdb_drop(txn.get(), store.dbs().superseded, 0);
      if (rc != 0) return LmdbError(rc, "emptying the superseded list of an import");
      return txn.Delete(store.dbs().meta, kImportStageKey);
    }));
    RemovePostingRuns(PostingRunsDir(store));
  }
  HELUO_RETURN_IF_ERROR(CollectSuperseded(store));
  return removed;
}

}  // namespace heluo
