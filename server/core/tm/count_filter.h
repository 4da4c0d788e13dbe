// CountFilter: the q-gram count filter of fuzzy lookup, with a bound for each candidate length.
//
// The query has ls tokens and g distinct bigrams; with the end bigram every query token starts exactly one
// bigram occurrence. Align the query optimally with a segment of lt tokens: s substitutions, e deletions
// (query tokens missing from the segment), i insertions, distance d = s + e + i. An occurrence (q[j],
// q[j+1]), or (q[last], end), is still in the segment when both its tokens are aligned to equal tokens and
// nothing is inserted between them (after q[last], for the end bigram). So a substituted or deleted query
// token breaks at most two occurrences, a run of insertions between two query tokens or after the last
// breaks at most one, and insertions before the first token break none: at most 2(s + e) + i = 2d − i
// occurrences are broken. A distinct query bigram the segment lacks has all its occurrences broken, and
// i ≥ max(0, lt − ls) since i − e = lt − ls. A segment scoring at least min_score has d ≤ k(lt) =
// MaxDistanceFor(min_score, max(ls, lt)), so it shares at least
//     Need(lt) = g − 2·k(lt) + max(0, lt − ls)
// of the query's distinct bigrams, and its length satisfies |lt − ls| ≤ d ≤ k(lt).
//
// Thread-safety: immutable after construction.
#ifndef HELUO_SERVER_CORE_TM_COUNT_FILTER_H_
#define HELUO_SERVER_CORE_TM_COUNT_FILTER_H_

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "server/core/tm/edit_distance.h"

namespace heluo {

class CountFilter {
 public:
  static constexpr int kNever = std::numeric_limits<int>::max();  // No segment of that length can score.

  // REQUIRES: 1 <= min_score <= 100.
  CountFilter(size_t ls, size_t g, int min_score) {
    const size_t m = static_cast<size_t>(min_score);
    min_length_ = (ls * m + 99) / 100;                         // ls − lt ≤ k(ls) ⇔ lt ≥ ⌈ls·m/100⌉
    max_length_ = std::min<size_t>((100 * ls) / m, 0xFFFF);  // lt − ls ≤ k(lt) ⇔ lt ≤ ⌊100·ls/m⌋
    need_.assign(max_length_ + 2, kNever);                    // need_[max_length_ + 1]: every longer one.
    for (size_t lt = min_length_; lt <= max_length_; ++lt) {
      const int k = MaxDistanceFor(min_score, std::max(ls, lt));
      const int gap = static_cast<int>(lt > ls ? lt - ls : ls - lt);
      if (gap > k) continue;
      need_[lt] = static_cast<int>(g) - 2 * k + (lt > ls ? gap : 0);
      min_need_ = std::min(min_need_, need_[lt]);
    }
  }

  // Distinct query bigrams a segment of lt tokens must share to possibly score min_score; kNever outside
  // the length window. Branch-free: it runs once per posting.
  int Need(size_t lt) const { return need_[std::min(lt, need_.size() - 1)]; }
  // The least Need() over all lengths; ≤ 0 when some length needs no shared bigram at all (then the
  // postings cannot find every candidate).
  int min_need() const { return min_need_; }
  size_t min_length() const { return min_length_; }
  // The bounds for the segments of [lo, hi] tokens only (one band of the window, which a lookup may count
  // on its own core): Need() is kNever outside the band and min_need() is the least inside it, so a band
  // of longer segments has fewer admitting lists.
  CountFilter Band(size_t lo, size_t hi) const {
    CountFilter band = *this;
    band.min_length_ = std::max(lo, min_length_);
    band.max_length_ = std::min(hi, max_length_);
    band.min_need_ = kNever;
    for (size_t lt = 0; lt < band.need_.size(); ++lt) {
      if (lt < band.min_length_ || lt > band.max_length_) {
        band.need_[lt] = kNever;
      } else {
        band.min_need_ = std::min(band.min_need_, band.need_[lt]);
      }
    }
    return band;
  }
  size_t max_length() const { return max_length_; }

 private:
  size_t min_length_ = 0, max_length_ = 0;
  int min_need_ = kNever;
  std::vector<int> need_;  // Indexed by length, 0..max_length_ + 1.
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_COUNT_FILTER_H_
