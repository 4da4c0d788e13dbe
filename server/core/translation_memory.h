// TranslationMemory: aligned segment pairs (zh-CN source, en-US target) and the matches a lookup finds.
//
// Segments are stored under an internal 32-bit number (assigned in insertion order, so listing is document
// order), with an id → number index. The folded source (Normalizer) is indexed by its 64-bit xxHash for
// exact matching; a hash hit is confirmed by comparing the folded keys, so a collision cannot produce a
// false match. A match whose original texts differ only by folding keeps kind EXACT, with one penalty
// point per kind of folding that was needed (width, script, case, punctuation, whitespace).
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
#define HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

struct Segment {
  std::string id;
  std::string collection;
  std::string source;  // zh-CN, as imported.
  std::string target;  // en-US, as imported.
  std::string section;
  int32_t position = 0;
  std::string previous_id;
  std::string next_id;
};

enum class MatchKind { kExact };

struct Penalty {
  std::string name;
  int points = 0;
};

struct TmMatch {
  Segment segment;
  MatchKind kind = MatchKind::kExact;
  int base_score = 0;
  int score = 0;
  std::vector<Penalty> penalties;
};

struct SegmentPage {
  std::vector<Segment> segments;
  std::string next_page_token;
};

inline constexpr int kMaxSegmentLength = 5000;  // Code points, for a query or a stored side.
inline constexpr int kDefaultMaxResults = 5;
inline constexpr int kMaxResults = 50;

class TranslationMemory {
 public:
  explicit TranslationMemory(Store* store) : store_(store) {}

  // Inserts or replaces `segment` (by id) with its index entries.
  Status Put(LmdbTxn& txn, const Segment& segment) const;

  Result<Segment> Get(std::string_view id) const;
  Result<SegmentPage> List(int page_size, std::string_view page_token) const;
  // Matches for `text`, best first. max_results 0 means kDefaultMaxResults.
  Result<std::vector<TmMatch>> Lookup(std::string_view text, int max_results,
                                      const std::vector<std::string>& collections) const;

 private:
  Store* store_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TRANSLATION_MEMORY_H_
