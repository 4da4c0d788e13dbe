// TranslationMemory: aligned segment pairs (zh-CN source, en-US target) and the matches a lookup finds.
//
// Storage: segments under an internal 32-bit number (insertion order, so listing is document order) with an
// id → number index; the folded source hashed for exact lookup; and, for fuzzy matching and concordance,
// token-bigram postings of both sides, the source's token ids and a (length, number) index (see store.h).
//
// Matching (docs/matching.md): a fuzzy score is 100 × (1 − edit distance / longer length) on tokens (one
// per CJK character, ICU words elsewhere). This class holds the pairs and puts a lookup together; each part
// of it has its own file under tm/:
//   segment.{h,cc}      the pair and its record encodings
//   folded.{h,cc}       a side as matching sees it (folded key, tokens)
//   postings.{h,cc}     the bigram postings and PostingBatch (bulk writes)
//   count_filter.h      the q-gram count bound per candidate length
//   fuzzy_index.{h,cc}  candidates from the postings, verified with the edit distance (tm/edit_distance)
//   source_array.{h,cc} every source's tokens in memory, per committed snapshot, for verification and scans
//   placeables.{h,cc}   matches that differ only in numbers, and their substituted targets
//   concordance.cc      phrase search (TranslationMemory::Concordance)
//   schema_upgrade.cc   rebuilding what older schema versions stored differently
// LookupBruteForce() scores every segment and exists to prove recall in tests and to be the baseline in
// benchmarks.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
#define HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/text/normalizer.h"
#include "server/core/tm/fuzzy_index.h"
#include "server/core/tm/match.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"

namespace heluo {

class TermRecognizer;
class SourceArrayCache;

struct TranslationMemoryOptions {
  // Keep the SourceArray (tm/source_array.h): fuzzy lookups verify and scan in memory. Off: every lookup
  // reads LMDB only (tests compare both).
  bool source_array = true;
  // Stores of up to this many segments have their array copied by the lookup that finds it stale; larger
  // ones in the background.
  size_t sync_array_limit = 65536;
};

struct SegmentPage {
  std::vector<Segment> segments;
  std::string next_page_token;
};

enum class ConcordanceSide { kSource, kTarget, kBoth };

struct ConcordanceHit {
  Segment segment;
  std::vector<TextSpan> source_highlights;
  std::vector<TextSpan> target_highlights;
};

inline constexpr int kMaxConcordanceResults = 200;

class TranslationMemory {
 public:
  // `terms` (may be null) protects numbers inside glossary terms from being treated as placeables.
  explicit TranslationMemory(Store* store, const TermRecognizer* terms = nullptr,
                             const TranslationMemoryOptions& options = {});
  ~TranslationMemory();

  // Inserts or replaces `segment` (by id) with all its index entries.
  // With `batch`, the pair's gram postings wait in it (see PostingBatch).
  Status Put(LmdbTxn& txn, const Segment& segment, PostingBatch* batch = nullptr) const;
  // Writes the postings waiting in `batch` and empties it.
  Status Flush(LmdbTxn& txn, PostingBatch& batch) const;
  // The SchemaUpgrade for Store::Open (StoreOptions::upgrade): rebuilds what the translation memory's
  // schema changed since version `from` (1: the source postings) from the stored pairs; 2 → 3 (term
  // statuses) rewrites nothing.
  static Status UpgradeSchema(LmdbTxn& txn, const Databases& dbs, int from);
  // The stored pair with this id in `txn`, or nullopt.
  Result<std::optional<Segment>> Find(const LmdbTxn& txn, std::string_view id) const;
  // Removes the pair and every index entry of it. NOT_FOUND if absent.
  Status Delete(LmdbTxn& txn, std::string_view id) const;
  // Calls fn for every pair in document order, in one snapshot; stops early if fn returns false.
  Status ForEach(const std::function<bool(const Segment&)>& fn) const;

  Result<Segment> Get(std::string_view id) const;
  Result<SegmentPage> List(int page_size, std::string_view page_token) const;

  // Matches for `query`, best first: in-context exact (101), exact (100), then fuzzy by score; at equal
  // scores a placeable match first.
  Result<std::vector<TmMatch>> Lookup(const TmQuery& query) const;
  // The same result set and scores as Lookup's fuzzy search, by scoring every stored segment read from LMDB
  // (the tests' independent reference).
  Result<std::vector<TmMatch>> LookupBruteForce(const TmQuery& query) const;
  // The same again, scoring every segment of the in-memory SourceArray on one core (the benchmarks'
  // baseline; reads LMDB when the array is not ready).
  Result<std::vector<TmMatch>> LookupBruteForceInMemory(const TmQuery& query) const;
  // Builds the SourceArray of the current store, waiting for it, so the first lookups after start-up or a
  // large import do not read LMDB. OK and nothing done when the array is off.
  Status WarmUp() const;

  // Segments whose folded source and/or target contain the folded `phrase` as whole tokens.
  Result<std::vector<ConcordanceHit>> Concordance(std::string_view phrase, ConcordanceSide side, int limit,
                                                  const std::vector<std::string>& collections) const;

 private:
  Result<std::vector<TmMatch>> Search(const TmQuery& query, FuzzyMethod method) const;
  Store* store_;
  const TermRecognizer* terms_;
  std::unique_ptr<SourceArrayCache> arrays_;  // Null when options.source_array is false.
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
