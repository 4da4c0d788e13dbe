#include "server/core/translation_memory.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/page_token.h"
#include "server/core/term_recognizer.h"
#include "server/core/tm/edit_distance.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/fuzzy_index.h"
#include "server/core/tm/placeables.h"
#include "server/core/tm/source_array.h"
#include "server/core/tm/staging.h"

namespace heluo {
namespace {

std::vector<Penalty> PenaltiesFor(uint8_t folds) {
  static constexpr std::pair<FoldKind, const char*> kNames[] = {
      {kFoldWidth, "width"}, {kFoldScript, "script"}, {kFoldCase, "case"},
      {kFoldPunctuation, "punctuation"}, {kFoldWhitespace, "whitespace"}};
  std::vector<Penalty> out;
  for (auto [kind, name] : kNames) {
    if (folds & kind) out.push_back(Penalty{name, 1});
  }
  return out;
}

// Removes every index entry of the stored pair `old` (internal number `number`).
Status RemoveIndexEntries(LmdbTxn& txn, const Databases& dbs, const Segment& old, const std::string& number) {
  Result<IndexKeys> keys = IndexKeysOf(old);
  if (!keys.ok()) return keys.status();
  HELUO_RETURN_IF_ERROR(RemoveIndexKeys(txn, dbs, *keys, DecodeU32(number)));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_tokens, number));
  HELUO_RETURN_IF_ERROR(MarkSourceTokensChanged(txn, dbs));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, old.collection, -1);
}

// Drops the candidates that cannot be among the max_results returned, before the per-match work (record
// read, folding, placeables, alignment) that would otherwise run for every one of thousands of candidates
// at a low threshold. A fuzzy candidate's final score is its edit score; an exact one ends between 95
// (every fold penalty) and 101 (in context). If max_results candidates are sure to score at least S, a
// candidate that can score at most S − 1 ranks below all of them. Above 95 an exact match can still fall
// under min_score and free a place, so nothing is dropped there (few candidates score that high anyway).
void KeepThoseThatCanRank(const TmQuery& query, std::vector<FuzzyCandidate>* found) {
  const size_t keep = static_cast<size_t>(query.max_results);
  if (query.min_score > 95 || found->size() <= keep) return;
  auto at_least = [](const FuzzyCandidate& c) { return c.distance == 0 ? 95 : c.score; };
  auto at_most = [](const FuzzyCandidate& c) { return c.distance == 0 ? 101 : c.score; };
  std::vector<int> floors;
  floors.reserve(found->size());
  for (const FuzzyCandidate& c : *found) floors.push_back(at_least(c));
  std::nth_element(floors.begin(), floors.begin() + static_cast<std::ptrdiff_t>(keep - 1), floors.end(), std::greater<>());
  const int sure = floors[keep - 1];
  std::erase_if(*found, [&](const FuzzyCandidate& c) { return at_most(c) < sure; });
}

}  // namespace

TranslationMemory::TranslationMemory(Store* store, const TermRecognizer* terms, const TranslationMemoryOptions& options)
    : store_(store), terms_(terms) {
  if (options.source_array) arrays_ = std::make_unique<SourceArrayCache>(store, options.sync_array_limit);
}

TranslationMemory::~TranslationMemory() = default;

Status TranslationMemory::WarmUp() const { return arrays_ ? arrays_->Warm() : Status::Ok(); }

Result<std::optional<Segment>> TranslationMemory::Find(const LmdbTxn& txn, std::string_view id) const {
  const Databases& dbs = store_->dbs();
  Result<std::optional<uint32_t>> number = VisibleSegmentNumber(txn, dbs, id);
  if (!number.ok()) return number.status();
  if (!number->has_value()) return std::optional<Segment>();
  Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(**number));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::DataLoss("segment '" + std::string(id) + "' is indexed but missing");
  Result<Segment> s = ParseSegment(**bytes);
  if (!s.ok()) return s.status();
  return std::optional<Segment>(std::move(*s));
}

Status TranslationMemory::Delete(LmdbTxn& txn, std::string_view id) const {
  HELUO_RETURN_IF_ERROR(ValidateId(id, "segment"));
  const Databases& dbs = store_->dbs();
  HELUO_RETURN_IF_ERROR(CheckNoImportStaged(txn, dbs));
  Result<std::optional<Segment>> old = Find(txn, id);
  if (!old.ok()) return old.status();
  if (!old->has_value()) return NoRecordWithId("segment", id);
  const std::string number(**txn.Get(dbs.segment_ids, id));
  HELUO_RETURN_IF_ERROR(RemoveIndexEntries(txn, dbs, **old, number));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.segments, number));
  txn.RecordChange(ChangeKind::kSegmentDelete, id, "");
  return txn.Delete(dbs.segment_ids, id);
}

Status TranslationMemory::ForEach(const std::function<bool(const Segment&)>& fn) const {
  return store_->Read([&](const LmdbTxn& txn) -> Status {
    Result<uint32_t> limit = SegmentLimit(txn, store_->dbs());
    if (!limit.ok()) return limit.status();
    return ScanRecords(txn, store_->dbs().segments, "", [&](std::string_view key, std::string_view value) -> Result<bool> {
      if (DecodeU32(key) >= *limit) return false;  // Staged by an import: not visible yet.
      Result<Segment> s = ParseSegment(value);
      if (!s.ok()) return s.status();
      return fn(*s);
    });
  });
}

Status TranslationMemory::Flush(LmdbTxn& txn, PostingBatch& batch) const { return batch.Flush(txn, store_->dbs()); }

Status TranslationMemory::Put(LmdbTxn& txn, const Segment& segment, PostingBatch* batch) const {
  HELUO_RETURN_IF_ERROR(ValidateId(segment.id, "segment"));
  HELUO_RETURN_IF_ERROR(ValidateCollectionName(segment.collection));
  HELUO_RETURN_IF_ERROR(ValidateStoredText(segment.source, "segment '" + segment.id + "' source"));
  HELUO_RETURN_IF_ERROR(ValidateStoredText(segment.target, "segment '" + segment.id + "' target"));
  Folded source, target;
  HELUO_RETURN_IF_ERROR(Fold(segment.source, &source));
  HELUO_RETURN_IF_ERROR(Fold(segment.target, &target));
  if (source.ids.empty() || target.ids.empty()) {
    return Status::InvalidArgument("segment '" + segment.id + "' needs a non-empty source and target");
  }
  HELUO_RETURN_IF_ERROR(CheckLength(source.text, "segment source"));
  HELUO_RETURN_IF_ERROR(CheckLength(target.text, "segment target"));
  const Databases& dbs = store_->dbs();
  HELUO_RETURN_IF_ERROR(CheckNoImportStaged(txn, dbs));

  std::string number;
  Result<std::optional<std::string_view>> existing = txn.Get(dbs.segment_ids, segment.id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    number = std::string(**existing);
    Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, number);
    if (!bytes.ok()) return bytes.status();
    if (bytes->has_value()) {  // Remove every index entry of the old version.
      if (batch && batch->Holds(DecodeU32(number))) {
        HELUO_RETURN_IF_ERROR(Flush(txn, *batch));  // Its postings are still waiting: write them to remove them.
      }
      Result<Segment> old = ParseSegment(**bytes);
      if (!old.ok()) return old.status();
      HELUO_RETURN_IF_ERROR(RemoveIndexEntries(txn, dbs, *old, number));
    }
  } else {
    Result<std::optional<std::string_view>> next = txn.Get(dbs.meta, kNextSegmentKey);
    if (!next.ok()) return next.status();
    const uint32_t n = next->has_value() ? DecodeU32(**next) : 1;
    number = EncodeU32(n);
    HELUO_RETURN_IF_ERROR(txn.Put(dbs.meta, kNextSegmentKey, EncodeU32(n + 1)));
    HELUO_RETURN_IF_ERROR(txn.Put(dbs.segment_ids, segment.id, number));
  }
  const std::string record = SerializeSegment(segment);
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.segments, number, record));
  txn.RecordChange(ChangeKind::kSegmentPut, segment.id, record);
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.exact_keys, ExactKey(source.text), number, MDB_NODUPDATA));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.src_tokens, number, EncodeTokens(CollectionTag(segment.collection), source.ids)));
  HELUO_RETURN_IF_ERROR(MarkSourceTokensChanged(txn, dbs));
  // Without a batch, the pair's postings go through one of its own, written at once.
  PostingBatch own;
  HELUO_RETURN_IF_ERROR((batch ? *batch : own).Add(txn, dbs, number, source.ids, &target.ids));
  if (!batch) HELUO_RETURN_IF_ERROR(own.Flush(txn, dbs));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.src_lengths, EncodeU32(static_cast<uint32_t>(source.ids.size())) + number, ""));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, segment.collection, +1);
}

Result<Segment> TranslationMemory::Get(std::string_view id) const {
  return GetById<Segment>(*store_, id, "segment",
                          [this](const LmdbTxn& txn, std::string_view key) { return Find(txn, key); });
}

Result<SegmentPage> TranslationMemory::List(int page_size, std::string_view page_token) const {
  Result<int> size = ResolvePageSize(page_size);
  if (!size.ok()) return size.status();
  Result<std::string> after = PageStartKey(page_token, /*key_size=*/4);  // Segment numbers.
  if (!after.ok()) return after.status();
  SegmentPage page;
  std::string last_key;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    Result<uint32_t> limit = SegmentLimit(txn, store_->dbs());
    if (!limit.ok()) return limit.status();
    return ScanRecords(txn, store_->dbs().segments, *after, [&](std::string_view key, std::string_view value) -> Result<bool> {
      if (DecodeU32(key) >= *limit) return false;  // Staged by an import: not visible yet.
      if (static_cast<int>(page.segments.size()) == *size) {
        page.next_page_token = EncodePageToken(last_key);
        return false;
      }
      Result<Segment> s = ParseSegment(value);
      if (!s.ok()) return s.status();
      page.segments.push_back(std::move(*s));
      last_key = std::string(key);
      return true;
    });
  }));
  return page;
}

Result<std::vector<TmMatch>> TranslationMemory::Lookup(const TmQuery& query) const {
  return Search(query, FuzzyMethod::kIndexed);
}

Result<std::vector<TmMatch>> TranslationMemory::LookupBruteForce(const TmQuery& query) const {
  return Search(query, FuzzyMethod::kBruteForceStore);
}

Result<std::vector<TmMatch>> TranslationMemory::LookupBruteForceInMemory(const TmQuery& query) const {
  return Search(query, FuzzyMethod::kBruteForceMemory);
}

Result<std::vector<TmMatch>> TranslationMemory::Search(const TmQuery& query, FuzzyMethod method) const {
  if (query.min_score < 0 || query.min_score > 101) {
    return Status::InvalidArgument("min_score must be between 0 and 101 (101 asks for in-context matches only)");
  }
  if (query.max_results < 1 || query.max_results > kMaxResults) {
    return Status::InvalidArgument("max_results must be between 1 and " + std::to_string(kMaxResults));
  }
  Folded q;
  HELUO_RETURN_IF_ERROR(Fold(query.text, &q));
  if (q.ids.empty()) return Status::InvalidArgument("text is empty: give a source segment to look up");
  HELUO_RETURN_IF_ERROR(CheckLength(q.text, "text"));
  std::optional<std::string> prev_key, next_key;
  for (auto [in, out] : {std::pair{&query.previous_text, &prev_key}, std::pair{&query.next_text, &next_key}}) {
    if (!in->has_value()) continue;
    Result<std::string> key = Normalizer::Get().Key(**in);
    if (!key.ok()) return Status::InvalidArgument("context: " + key.status().message());
    *out = *key;
  }
  const int min_score = std::min(query.min_score, 100);  // 101 filters on context after scoring.
  const std::vector<uint32_t> q_masked = MaskFigures(q);
  const std::vector<TermHit> q_terms = terms_ ? terms_->Recognize(q.text, Language::kAny, true) : std::vector<TermHit>{};

  std::vector<TmMatch> matches;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kSegment, query.collections));

    FuzzyQuery fuzzy;
    fuzzy.ids = &q.ids;
    fuzzy.min_score = min_score;
    fuzzy.method = method;
    // Held for the whole lookup, so a newer array published meanwhile cannot free it.
    const std::shared_ptr<const SourceArray> array =
        arrays_ && method != FuzzyMethod::kBruteForceStore ? arrays_->For(txn) : nullptr;
    fuzzy.array = array.get();
    for (const std::string& c : query.collections) fuzzy.tags.insert(CollectionTag(c));
    fuzzy.cancelled = query.cancelled;
    Result<std::vector<FuzzyCandidate>> found = FindFuzzyCandidates(txn, dbs, fuzzy);
    if (!found.ok()) return found.status();
    KeepThoseThatCanRank(query, &*found);

    // 3. Kinds, penalties and placeables; rank; fill in the returned matches.
    for (const FuzzyCandidate& cand : *found) {
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(cand.number));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<Segment> seg = ParseSegment(**bytes);
      if (!seg.ok()) return seg.status();
      TmMatch m;
      m.base_score = cand.score;
      m.kind = MatchKind::kFuzzy;
      Folded s;
      if (cand.distance == 0 || cand.score >= 50) HELUO_RETURN_IF_ERROR(Fold(seg->source, &s));
      if (cand.distance == 0) {
        m.kind = MatchKind::kExact;
        m.base_score = 100;
        m.penalties = s.text.key == q.text.key ? PenaltiesFor(Normalizer::FoldDifference(q.text, s.text))
                                               : std::vector<Penalty>{Penalty{"whitespace", 1}};
        // In context (101) only on context the caller sent: a side it did not send is not evidence, or every
        // exact hit on a unit imported without neighbours would be 101 (memoQ and Trados agree).
        auto context_matches = [&](const std::optional<std::string>& want, const std::string& neighbour_id) -> Result<bool> {
          if (!want.has_value()) return true;
          if (neighbour_id.empty()) return want->empty();  // "" says: first (or last) in the document.
          Result<std::optional<uint32_t>> num = VisibleSegmentNumber(txn, dbs, neighbour_id);
          if (!num.ok()) return num.status();
          if (!num->has_value()) return false;
          Result<std::optional<std::string_view>> nb = txn.Get(dbs.segments, EncodeU32(**num));
          if (!nb.ok()) return nb.status();
          if (!nb->has_value()) return false;
          Result<Segment> neighbour = ParseSegment(**nb);
          if (!neighbour.ok()) return neighbour.status();
          Result<std::string> key = Normalizer::Get().Key(neighbour->source);
          return key.ok() && *key == *want;
        };
        Result<bool> before = context_matches(prev_key, seg->previous_id);
        if (!before.ok()) return before.status();
        Result<bool> after = context_matches(next_key, seg->next_id);
        if (!after.ok()) return after.status();
        if ((prev_key.has_value() || next_key.has_value()) && *before && *after) {
          m.kind = MatchKind::kContext;
          m.base_score = 101;
        }
      } else if (cand.score >= 50) {
        ApplyPlaceables(q, q_masked, q_terms, s, seg->target, terms_, &m);
      }
      m.score = m.base_score;
      for (const Penalty& p : m.penalties) m.score -= p.points;
      if (query.min_score == 101 && m.kind != MatchKind::kContext) continue;
      if (m.score < min_score) continue;
      if (cand.distance > 0 && !s.ids.empty()) {
        for (const DiffRange& r : Align(q.ids, s.ids)) {
          DiffSpan span;
          if (r.a_end > r.a_begin) span.query = q.text.OriginalSpan(q.tokens[r.a_begin].key_begin, q.tokens[r.a_end - 1].key_end);
          if (r.b_end > r.b_begin) span.source = s.text.OriginalSpan(s.tokens[r.b_begin].key_begin, s.tokens[r.b_end - 1].key_end);
          m.diffs.push_back(span);
        }
      }
      m.segment = std::move(*seg);
      matches.push_back(std::move(m));
    }
    return Status::Ok();
  }));
  std::stable_sort(matches.begin(), matches.end(), [](const TmMatch& a, const TmMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.placeable != b.placeable) return a.placeable;
    return a.segment.position < b.segment.position;
  });
  if (matches.size() > static_cast<size_t>(query.max_results)) matches.resize(static_cast<size_t>(query.max_results));
  return matches;
}

}  // namespace heluo
