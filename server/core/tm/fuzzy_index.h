// Fuzzy candidates: every stored segment whose source scores at least min_score against a query, found
// through the bigram postings and the count filter (count_filter.h) and verified with the bit-parallel edit
// distance — the same set a scan of every segment gives (docs/matching.md has the proof; recall_test.cc
// checks it against the scan).
//
// With a SourceArray the candidates are verified from it, and when the count filter cannot prune enough
// (predicted from the sizes of the query's posting lists before reading them) the whole length window of
// the array is scanned on every core instead (docs/matching.md).
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
#include "server/core/tm/source_array.h"

namespace heluo {

struct FuzzyCandidate {
  uint32_t number = 0;  // Internal segment number.
  int distance = 0;     // Token edit distance to the query.
  int score = 0;        // FuzzyScore(distance, ...).
};

enum class FuzzyMethod {
  kIndexed,           // Postings and count filter, or a scan of the length window when that is cheaper.
  kBruteForceStore,   // Score every segment read from LMDB: the independent reference of the tests.
  kBruteForceMemory,  // Score every segment of the SourceArray on one core: the benchmarks' baseline.
};

// How kIndexed finds candidates when there is an array: by the cost model, or forced (the property tests
// prove each plan exact on its own). kPostingsInBands counts the postings in two length bands, on two cores
// when a helper thread is idle (the cost model does so for long queries).
enum class FuzzyPlan { kAuto, kPostings, kScan, kPostingsInBands };

// What kIndexed did for one query (benchmarks profile the cost model with it; tests check its choices).
struct FuzzyStats {
  enum class Plan { kNone, kPostings, kScan, kSwitchedToScan } plan = Plan::kNone;
  size_t window = 0;         // Array entries in the query's length window.
  size_t postings_read = 0;  // Postings read and counted.
  size_t counted = 0;        // Distinct segments counted (admitted) from the postings.
  size_t verified = 0;       // Candidates scored with the edit distance (postings plan).
  int bands = 1;             // Length bands the postings were counted in (2: on two cores if one was idle).
  double scan_cost_ns = 0, index_cost_ns = 0;  // The cost model's prediction, when there was one.
};

struct FuzzyQuery {
  const std::vector<uint32_t>* ids = nullptr;  // The query's token ids; not empty.
  int min_score = 70;                          // 0..100.
  FuzzyMethod method = FuzzyMethod::kIndexed;
  // The src_tokens of the lookup's own snapshot (SourceArray generation equal to txn's), or null: then
  // candidates are read from LMDB (and kBruteForceMemory acts as kBruteForceStore).
  const SourceArray* array = nullptr;
  FuzzyPlan plan = FuzzyPlan::kAuto;
  std::unordered_set<uint32_t> tags;  // Collection tags to keep; empty: all.
  std::function<bool()> cancelled;    // Polled between lists and every few hundred verifications.
  FuzzyStats* stats = nullptr;        // Filled in when set.
};

// kAuto counts a query's admitting postings in two length bands, on two cores, when their predicted cost
// (nanoseconds) exceeds this threshold and a helper thread is idle. Default: never (infinity); on the shared
// 2-core machine the split cost more CPU than it saved in wall time (docs/performance.md, match-4).
// matching_bench --split_ns compares settings.
void SetFuzzySplitThreshold(double ns);

// The segments scoring at least query.min_score in `txn`, in segment-number order (as a scan meets them).
Result<std::vector<FuzzyCandidate>> FindFuzzyCandidates(const LmdbTxn& txn, const Databases& dbs,
                                                        const FuzzyQuery& query);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_FUZZY_INDEX_H_
