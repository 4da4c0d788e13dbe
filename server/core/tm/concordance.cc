// TranslationMemory::Concordance: the segments whose folded source and/or target contain a phrase as whole
// tokens, candidates from the postings of the phrase's rarest bigram, checked in document order.
#include <algorithm>

#include "server/core/collections.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"
#include "server/core/tm/staging.h"
#include "server/core/translation_memory.h"

namespace heluo {

Result<std::vector<ConcordanceHit>> TranslationMemory::Concordance(std::string_view phrase, ConcordanceSide side,
                                                                    int limit,
                                                                    const std::vector<std::string>& collections) const {
  if (limit < 1 || limit > kMaxConcordanceResults) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxConcordanceResults));
  }
  Folded p;
  HELUO_RETURN_IF_ERROR(Fold(phrase, &p));
  if (p.ids.empty()) return Status::InvalidArgument("query is empty: give a phrase to search for");
  HELUO_RETURN_IF_ERROR(CheckLength(p.text, "query"));

  // Token positions where `needle` occurs in `hay`.
  auto occurrences = [](const std::vector<uint32_t>& hay, const std::vector<uint32_t>& needle) {
    std::vector<size_t> at;
    if (needle.size() > hay.size()) return at;
    for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
      if (std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<std::ptrdiff_t>(i))) at.push_back(i);
    }
    return at;
  };
  std::vector<ConcordanceHit> hits;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kSegment, collections));
    std::vector<uint32_t> numbers;  // Sorted and deduplicated below: checked in document order.
    for (ConcordanceSide s : {ConcordanceSide::kSource, ConcordanceSide::kTarget}) {
      if (side != ConcordanceSide::kBoth && side != s) continue;
      Result<LmdbCursor> c = LmdbCursor::Open(txn, s == ConcordanceSide::kSource ? dbs.src_grams : dbs.tgt_grams);
      if (!c.ok()) return c.status();
      // Candidates: the postings of the rarest bigram of the phrase; for one token, every bigram it starts.
      std::string best_gram;
      if (p.ids.size() > 1) {
        size_t best = SIZE_MAX;
        for (Gram gram : DistinctGrams(p.ids, false)) {
          const std::string g = GramKey(gram);
          std::string_view k = g, v;
          Result<bool> f = c->Seek(MDB_SET_KEY, &k, &v);
          if (!f.ok()) return f.status();
          size_t count = 0;
          if (*f) count = c->Count().ok() ? *c->Count() : 0;
          if (count < best) {
            best = count;
            best_gram = g;
          }
        }
        if (best == 0) continue;
      }
      const std::string prefix = p.ids.size() > 1 ? best_gram : EncodeU32(p.ids[0]);
      std::string_view k = prefix, v;
      for (Result<bool> more = c->Seek(MDB_SET_RANGE, &k, &v);; more = c->Seek(MDB_NEXT, &k, &v)) {
        if (!more.ok()) return more.status();
        if (!*more || k.substr(0, prefix.size()) != prefix) break;
        numbers.push_back(s == ConcordanceSide::kSource ? SourcePostingNumber(v) : DecodeU32(v));
      }
    }
    // Numbers at or above the limit are staged by an import and not visible yet.
    Result<uint32_t> visible_limit = SegmentLimit(txn, dbs);
    if (!visible_limit.ok()) return visible_limit.status();
    std::erase_if(numbers, [&](uint32_t n) { return n >= *visible_limit; });
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    for (uint32_t n : numbers) {
      if (static_cast<int>(hits.size()) == limit) break;
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(n));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<Segment> seg = ParseSegment(**bytes);
      if (!seg.ok()) return seg.status();
      if (!collections.empty() && std::find(collections.begin(), collections.end(), seg->collection) == collections.end()) continue;
      ConcordanceHit hit;
      for (ConcordanceSide s : {ConcordanceSide::kSource, ConcordanceSide::kTarget}) {
        if (side != ConcordanceSide::kBoth && side != s) continue;
        Folded f;
        HELUO_RETURN_IF_ERROR(Fold(s == ConcordanceSide::kSource ? seg->source : seg->target, &f));
        for (size_t at : occurrences(f.ids, p.ids)) {
          TextSpan span = f.text.OriginalSpan(f.tokens[at].key_begin, f.tokens[at + p.ids.size() - 1].key_end);
          (s == ConcordanceSide::kSource ? hit.source_highlights : hit.target_highlights).push_back(span);
        }
      }
      if (hit.source_highlights.empty() && hit.target_highlights.empty()) continue;  // Postings hit, phrase absent.
      hit.segment = std::move(*seg);
      hits.push_back(std::move(hit));
    }
    return Status::Ok();
  }));
  return hits;
}

}  // namespace heluo
