// TranslationMemory: aligned segment pairs (zh-CN source, en-US target) and the matches a lookup finds.
//
// Storage: segments under an internal 32-bit number (insertion order, so listing is document order) with an
// id → number index; the folded source hashed for exact lookup; and, for fuzzy matching and concordance,
// token-bigram postings of both sides, the source's token ids and a (length, number) index (see store.h).
//
// Matching (docs/matching.md): a fuzzy score is 100 × (1 − edit distance / longer length) on tokens (one
// per CJK character, ICU words elsewhere). Candidates come from the bigram postings with the q-gram count
// filter — a segment of lt tokens within edit distance k of a query of ls tokens shares at least
// |D| − 2k + max(0, lt − ls) of the query's distinct bigrams D — and a length window, so no segment scoring
// at or above min_score is ever missed; each candidate is then verified with the bit-parallel edit
// distance. LookupBruteForce() scores every segment and exists to prove that in tests and to be the
// baseline in benchmarks.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
#define HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/text/normalizer.h"

namespace heluo {

class TermRecognizer;

struct Segment {
  std::string id;
  std::string collection;
  std::string source;  // zh-CN, as imported.
  std::string target;  // en-US, as imported.
  std::string section;
  int32_t position = 0;
  std::string previous_id;
  std::string next_id;
  // Who created and last changed the pair, and when (ISO 8601 UTC, "2026-11-25T06:20:00Z").
  std::string created_by, created_at, changed_by, changed_at;
};

enum class MatchKind { kExact, kContext, kFuzzy };

struct Penalty {
  std::string name;
  int points = 0;
};

// A run of difference between the query and a matched source, in each one's original text.
struct DiffSpan {
  std::optional<TextSpan> query;   // Absent when the stored source has extra text here.
  std::optional<TextSpan> source;  // Absent when the query has extra text here.
};

struct NumberSubstitution {
  std::string stored;    // The number in the stored source.
  std::string query;     // The number in the query that replaces it.
  bool applied = false;  // Whether `stored` was found in the target and replaced.
};

struct TmMatch {
  Segment segment;
  MatchKind kind = MatchKind::kExact;
  int base_score = 0;  // 101 in-context exact, 100 exact, else the fuzzy score.
  int score = 0;       // base_score minus penalties.
  std::vector<Penalty> penalties;
  std::vector<DiffSpan> diffs;
  // Set when the query and the source differ only in numbers (outside glossary terms).
  bool placeable = false;
  std::string substituted_target;  // The target with the query's numbers put in; empty unless placeable.
  std::vector<NumberSubstitution> substitutions;
};

struct TmQuery {
  std::string text;
  std::optional<std::string> previous_text;  // The segment before the query in its document.
  std::optional<std::string> next_text;      // The segment after it.
  int min_score = 70;                        // 0..101.
  int max_results = 5;                       // 1..kMaxResults.
  std::vector<std::string> collections;      // Empty: all.
  // Polled while the lookup works (between posting lists, every 256 candidates); when it returns true
  // the lookup stops with CANCELLED. The service passes "the call was cancelled or its deadline passed".
  std::function<bool()> cancelled;
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

inline constexpr int kMaxSegmentLength = 5000;  // Code points, for a query or a stored side.
inline constexpr int kDefaultMaxResults = 5;
inline constexpr int kMaxResults = 50;
inline constexpr int kDefaultMinScore = 70;
inline constexpr int kMaxConcordanceResults = 200;

// Gram postings gathered during a bulk write (an import) and written key by key, sorted, one LMDB cursor
// operation per page (MDB_MULTIPLE) instead of one put per posting: one put per posting, at random places,
// was over half of an import's time. Postings wait in memory (at most kMaxWaiting, about 32 MB) until
// TranslationMemory::Flush, which Put calls when the batch is full and before it replaces a pair whose
// postings are still waiting; whoever made the batch flushes it before the transaction commits. Lookups in
// the same transaction do not see waiting postings.
class PostingBatch {
 public:
  static constexpr size_t kMaxWaiting = size_t{1} << 21;
  explicit PostingBatch(size_t max_waiting = kMaxWaiting) : max_waiting_(max_waiting) {}
  size_t waiting() const { return source_.size() + target_.size(); }

 private:
  size_t max_waiting_;
  friend class TranslationMemory;
  struct Waiting {
    uint64_t gram;
    // A source posting (6 bytes) or a target one (the segment number, 4 bytes), read as a big-endian number,
    // so that comparing numbers orders them as LMDB orders the bytes.
    uint64_t value;
    auto operator<=>(const Waiting&) const = default;
  };
  std::vector<Waiting> source_, target_;
  std::unordered_set<uint32_t> numbers_;  // Segment numbers with waiting postings.
};

class TranslationMemory {
 public:
  // `terms` (may be null) protects numbers inside glossary terms from being treated as placeables.
  explicit TranslationMemory(Store* store, const TermRecognizer* terms = nullptr) : store_(store), terms_(terms) {}

  // Inserts or replaces `segment` (by id) with all its index entries.
  // With `batch`, the pair's gram postings wait in it (see PostingBatch).
  Status Put(LmdbTxn& txn, const Segment& segment, PostingBatch* batch = nullptr) const;
  // Writes the postings waiting in `batch` and empties it.
  Status Flush(LmdbTxn& txn, PostingBatch& batch) const;
  // The SchemaUpgrade for Store::Open (StoreOptions::upgrade): rebuilds what the translation memory's
  // schema changed since version `from` (1: the source postings) from the stored pairs.
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
  // The same result set and scores as Lookup's fuzzy search, by scoring every stored segment.
  Result<std::vector<TmMatch>> LookupBruteForce(const TmQuery& query) const;

  // Segments whose folded source and/or target contain the folded `phrase` as whole tokens.
  Result<std::vector<ConcordanceHit>> Concordance(std::string_view phrase, ConcordanceSide side, int limit,
                                                  const std::vector<std::string>& collections) const;

 private:
  static Status FlushTo(LmdbTxn& txn, const Databases& dbs, PostingBatch& batch);
  // Queues the source postings of pair `number` (and its target postings when given); flushes when full.
  static Status Enqueue(LmdbTxn& txn, const Databases& dbs, PostingBatch& batch, const std::string& number,
                        const std::vector<uint32_t>& source_ids, const std::vector<uint32_t>* target_ids);
  struct Candidate;
  Result<std::vector<TmMatch>> Search(const TmQuery& query, bool brute_force) const;
  Store* store_;
  const TermRecognizer* terms_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
