// Fuzzy candidates: every stored segment whose source scores at least min_score against a query, found
// through the bigram postings and the count filter (count_filter.h) and verified with the bit-parallel edit
// distance — the same set a scan of every segment gives (docs/matching.md has the proof; recall_test.cc
// checks it against the scan).
//
// Thread-safety: may be called from any thread; each thread keeps its own counter array.
#ifndef HELUO_SERVER_CORE_TM_FUZZY_INDEX_H_
#define HELUO_SERVER_CORE_TM_FUZZY_INDEX_H_

#include <cstdint>
#include <functional>
#include <unordered_set>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

struct FuzzyCandidate {
  uint32_t number = 0;         // Internal segment number.
  int distance = 0;            // Token edit distance to the query.
  int score = 0;               // FuzzyScore(distance, ...).
  std::vector<uint32_t> ids;   // The segment's source token ids.
};

struct FuzzyQuery {
  const std::vector<uint32_t>* ids = nullptr;  // The query's token ids; not empty.
  int min_score = 70;                          // 0..100.
  bool brute_force = false;                    // Score every segment instead of using the postings.
  std::unordered_set<uint32_t> tags;           // Collection tags to keep; empty: all.
  std::function<bool()> cancelled;             // Polled between lists and every 256 verifications.
};

// The segments scoring at least query.min_score in `txn`, in segment-number order (as a scan meets them).
Result<std::vector<FuzzyCandidate>> FindFuzzyCandidates(const LmdbTxn& txn, const Databases& dbs,
                                                        const FuzzyQuery& query);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_FUZZY_INDEX_H_
