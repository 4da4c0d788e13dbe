// What a translation-memory lookup is asked (TmQuery) and what it answers (TmMatch): plain types shared by
// the translation memory, the placeables and the service layer's conversion.
#ifndef HELUO_SERVER_CORE_TM_MATCH_H_
#define HELUO_SERVER_CORE_TM_MATCH_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/core/text/normalizer.h"
#include "server/core/tm/segment.h"

namespace heluo {

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

inline constexpr int kDefaultMaxResults = 5;
inline constexpr int kMaxResults = 50;
inline constexpr int kDefaultMinScore = 70;

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_MATCH_H_
