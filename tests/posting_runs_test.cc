// The import's external sort (server/core/tm/posting_runs.h): entries spilled as many runs come back merged
// in std::sort order per table, and a sealed directory can be read again after the process that wrote it.
#include "server/core/tm/posting_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "tests/temp_dir.h"

namespace heluo {
namespace {

std::vector<WaitingPosting> Merged(PostingRuns& runs, IndexTable table) {
  std::vector<WaitingPosting> out;
  Result<std::unique_ptr<PostingRuns::Merge>> merge = runs.MergeTable(table);
  EXPECT_TRUE(merge.ok()) << merge.status().ToString();
  if (!merge.ok()) return out;
  WaitingPosting w;
  for (Result<bool> more = (*merge)->Next(&w); more.ok() && *more; more = (*merge)->Next(&w)) out.push_back(w);
  return out;
}

TEST(PostingRunsTest, ManySpilledRunsMergeIntoSortedOrderPerTableAndSurviveSealing) {
  TempDir dir;
  std::mt19937_64 rng(18);
  std::vector<WaitingPosting> expected[kIndexTables];
  {
    PostingRuns runs(dir.Sub("runs"), /*max_entries=*/10000);
    ASSERT_TRUE(runs.Open().ok());
    for (int i = 0; i < 100000; ++i) {
      const int t = static_cast<int>(rng() % kIndexTables);
      // Few distinct keys with many values (bigrams), values in increasing and in random order, large numbers
      // (the varint's long forms), and equal keys across runs.
      const uint64_t key = rng() % 3 == 0 ? rng() : (uint64_t{0x4E00 + rng() % 40} << 32) | (rng() % 40);
      const uint64_t value = rng() % 2 == 0 ? static_cast<uint64_t>(i) : rng() >> (rng() % 64);
      ASSERT_TRUE(runs.Add(static_cast<IndexTable>(t), key, value).ok());
      expected[t].push_back({key, value});
    }
    EXPECT_GE(runs.runs(), 9);
    for (auto& e : expected) std::sort(e.begin(), e.end());
    for (int t = 0; t < kIndexTables; ++t) EXPECT_TRUE(Merged(runs, static_cast<IndexTable>(t)) == expected[t]) << t;
    ASSERT_TRUE(runs.Seal().ok());
    // Nothing sealed elsewhere.
    EXPECT_EQ(PostingRuns::OpenSealed(dir.Sub("elsewhere")).status().code(), Status::Code::kNotFound);
    // As a restarted process finds them: read again from the files alone.
    Result<std::unique_ptr<PostingRuns>> sealed = PostingRuns::OpenSealed(dir.Sub("runs"));
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    for (int t = 0; t < kIndexTables; ++t) EXPECT_TRUE(Merged(**sealed, static_cast<IndexTable>(t)) == expected[t]) << t;
  }
  // The writer removes its files when it goes (a finished or failed import).
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("runs")));
}

TEST(PostingRunsTest, AMissingRunIsNotUsed) {
  TempDir dir;
  PostingRuns runs(dir.Sub("runs"), /*max_entries=*/10);
  ASSERT_TRUE(runs.Open().ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(runs.Add(IndexTable::kTargetGrams, i % 7, i).ok());
  ASSERT_TRUE(runs.Seal().ok());
  std::filesystem::remove(dir.Sub("runs") + "/run-3-1");
  EXPECT_EQ(PostingRuns::OpenSealed(dir.Sub("runs")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace heluo
