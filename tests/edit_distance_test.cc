#include "server/core/tm/edit_distance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace heluo {
namespace {

int Reference(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

TEST(EditDistanceTest, MatchesTheTextbookDynamicProgramAcrossBlockSizes) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 3000; ++trial) {
    const size_t la = rng() % 200, lb = rng() % 200;
    const uint32_t alphabet = 2 + rng() % 20;
    std::vector<uint32_t> a(la), b(lb);
    for (auto& x : a) x = rng() % alphabet;
    for (auto& x : b) x = rng() % alphabet;
    if (trial % 3 == 0 && la > 0) {  // Near-duplicates, the interesting case for a TM.
      b = a;
      for (int e = 0; e < 3 && !b.empty(); ++e) b[rng() % b.size()] = rng() % alphabet;
    }
    const int want = Reference(a, b);
    ASSERT_EQ(EditDistance(a, b, 1 << 20), want) << "trial " << trial << " |a|=" << a.size() << " |b|=" << b.size();
    const int bound = static_cast<int>(rng() % 40);
    const int got = EditDistance(a, b, bound);
    if (want <= bound) {
      ASSERT_EQ(got, want) << "trial " << trial;
    } else {
      ASSERT_GT(got, bound) << "trial " << trial;
    }
  }
}

TEST(EditDistanceTest, OnePatternMeasuresManyTexts) {
  std::mt19937 rng(7);
  for (size_t la : {0, 1, 40, 63, 64, 65, 300}) {  // 300: more blocks than fit on the stack.
    std::vector<uint32_t> a(la);
    for (auto& x : a) x = rng() % 30 + (rng() % 2 ? 0u : 0xFFFFFF00u);  // Large ids share hash slots' high bits.
    const EditDistancePattern pattern(a);
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<uint32_t> b = a;
      const int edits = static_cast<int>(rng() % 8);
      for (int e = 0; e < edits; ++e) {
        if (b.empty() || rng() % 2) {
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(b.empty() ? 0 : rng() % b.size()), rng() % 40);
        } else {
          b[rng() % b.size()] = rng() % 40;
        }
      }
      if (trial % 10 == 0) b.resize(rng() % (la + 2));
      const int want = Reference(a, b);
      ASSERT_EQ(pattern.Distance(b, 1 << 20), want) << "|a|=" << la << " trial " << trial;
      const int bound = static_cast<int>(rng() % 10);
      ASSERT_EQ(pattern.Distance(b, bound) <= bound, want <= bound) << "|a|=" << la << " trial " << trial;
    }
  }
}

TEST(EditDistanceTest, ScoreIsFlooredPercentOfTheLongerLength) {
  EXPECT_EQ(FuzzyScore(0, 10, 10), 100);
  EXPECT_EQ(FuzzyScore(1, 12, 12), 91);
  EXPECT_EQ(FuzzyScore(3, 10, 7), 70);
  EXPECT_EQ(MaxDistanceFor(70, 10), 3);
  EXPECT_EQ(MaxDistanceFor(100, 10), 0);
  for (int m = 0; m <= 100; ++m) {
    for (size_t len = 1; len < 80; ++len) {
      const int k = MaxDistanceFor(m, len);
      ASSERT_GE(FuzzyScore(k, len, len), m);
      if (k + 1 <= static_cast<int>(len)) {
        ASSERT_LT(FuzzyScore(k + 1, len, len), m);
      }
    }
  }
}

TEST(EditDistanceTest, AlignReportsTheDifferingRuns) {
  const std::vector<uint32_t> a = {1, 2, 3, 4, 5};
  const std::vector<uint32_t> b = {1, 9, 3, 4, 5, 6};
  std::vector<DiffRange> d = Align(a, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].a_begin, 1u);
  EXPECT_EQ(d[0].a_end, 2u);
  EXPECT_EQ(d[0].b_begin, 1u);
  EXPECT_EQ(d[0].b_end, 2u);
  EXPECT_EQ(d[1].a_begin, 5u);  // Insertion at the end: empty on a's side.
  EXPECT_EQ(d[1].a_end, 5u);
  EXPECT_EQ(d[1].b_begin, 5u);
  EXPECT_EQ(d[1].b_end, 6u);
}

}  // namespace
}  // namespace heluo
