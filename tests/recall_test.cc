// The fuzzy index must not lose matches: on randomized corpora and queries, Lookup returns exactly the
// segments (and scores) that scoring every segment returns.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "server/core/bundle.h"
#include "server/core/text/normalizer.h"
#include "server/core/translation_memory.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

std::map<std::string, int> Scores(const Result<std::vector<TmMatch>>& r) {
  std::map<std::string, int> out;
  for (const TmMatch& m : *r) out[m.segment.id] = m.base_score == 101 ? 100 : m.base_score;
  return out;
}

std::string RandomText(std::mt19937& rng, int kind) {
  static const std::vector<std::string> zh = {"发", "展", "经", "济", "建", "设", "项", "目", "城", "乡", "生", "态",
                                              "文", "化", "产", "业", "推", "进", "全", "面", "偃", "师", "区", "，"};
  static const std::vector<std::string> en = {"growth", "project", "green", "rural", "urban", "the", "of", "and",
                                              "development", "industry", "Yanshi", "culture", ","};
  std::string out;
  const int len = 3 + static_cast<int>(rng() % 40);
  for (int i = 0; i < len; ++i) {
    const int which = kind == 2 ? static_cast<int>(rng() % 2) : kind;
    if (which == 0) {
      out += zh[rng() % zh.size()];
      if (rng() % 9 == 0) out += std::to_string(rng() % 300);
    } else {
      if (!out.empty()) out += " ";
      out += en[rng() % en.size()];
    }
  }
  return out + (kind == 1 ? "." : "。");
}

// A few random character edits (substitute, insert, delete), or an unrelated text.
std::string Perturb(std::mt19937& rng, const std::string& text, int kind) {
  if (rng() % 4 == 0) return RandomText(rng, kind);
  std::u32string cps;
  if (!DecodeUtf8(text, &cps).ok()) return text;
  static const std::u32string pool = U"发展经济建设项目城乡生态abcde 0123456789，";
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !cps.empty(); ++e) {
    const size_t at = rng() % cps.size();
    switch (rng() % 3) {
      case 0: cps[at] = pool[rng() % pool.size()]; break;
      case 1: cps.insert(cps.begin() + static_cast<std::ptrdiff_t>(at), pool[rng() % pool.size()]); break;
      default: cps.erase(cps.begin() + static_cast<std::ptrdiff_t>(at)); break;
    }
  }
  std::string out = EncodeUtf8(cps);
  return out.find_first_not_of(" ，") == std::string::npos ? RandomText(rng, kind) : out;
}

TEST(RecallTest, IndexedLookupEqualsBruteForce) {
  std::mt19937 rng(20210428);
  int compared = 0, nonempty = 0;
  for (int corpus = 0; corpus < 6; ++corpus) {
    TempDir dir;
    Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
    ASSERT_TRUE(store.ok());
    TranslationMemory tm(store->get());
    const int kind = corpus % 3;  // Chinese, English, mixed.
    std::vector<std::string> sources;
    Status written = (*store)->Write([&](LmdbTxn& txn) -> Status {
      for (int i = 0; i < 300; ++i) {
        std::string s = sources.empty() || rng() % 3 ? RandomText(rng, kind) : Perturb(rng, sources[rng() % sources.size()], kind);
        sources.push_back(s);
        HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"s" + std::to_string(i), "c", s, "target " + std::to_string(i), "", i + 1, "", "", "", "", "", ""}));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(written.ok()) << written.ToString();
    for (int q = 0; q < 250; ++q) {
      TmQuery query;
      query.text = rng() % 2 ? Perturb(rng, sources[rng() % sources.size()], kind) : RandomText(rng, kind);
      query.min_score = 50 + static_cast<int>(rng() % 51);
      query.max_results = kMaxResults;
      Result<std::vector<TmMatch>> indexed = tm.Lookup(query);
      Result<std::vector<TmMatch>> brute = tm.LookupBruteForce(query);
      ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
      ASSERT_TRUE(brute.ok());
      ASSERT_LT(brute->size(), static_cast<size_t>(kMaxResults)) << "corpus too repetitive for a full comparison";
      ASSERT_EQ(Scores(indexed), Scores(brute)) << "query \"" << query.text << "\" min_score " << query.min_score;
      ++compared;
      nonempty += brute->empty() ? 0 : 1;
    }
  }
  EXPECT_EQ(compared, 1500);
  EXPECT_GT(nonempty, 300);  // The comparison is not vacuous.
}

// Equal score, placeability and position: Lookup must rank (and so truncate) exactly as the brute-force
// scan, which meets segments in store order. Each segment lacks a different query bigram, so the postings
// meet them in another order than the store's.
TEST(RecallTest, TiesRankAsInBruteForce) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  const std::u32string query = U"甲乙丙丁戊己庚辛壬癸";
  Status written = (*store)->Write([&](LmdbTxn& txn) -> Status {
    for (size_t i = 0; i < query.size(); ++i) {
      std::u32string source = query;
      source[i] = U"子丑寅卯辰巳午未申酉"[i];  // One substitution: score 90 for all.
      HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"s" + std::to_string(i), "c", EncodeUtf8(source), "t", "", 1, "", "", "", "", "", ""}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.ToString();
  for (int max_results = 1; max_results <= 10; ++max_results) {
    TmQuery q;
    q.text = EncodeUtf8(query);
    q.min_score = 80;
    q.max_results = max_results;
    Result<std::vector<TmMatch>> indexed = tm.Lookup(q), brute = tm.LookupBruteForce(q);
    ASSERT_TRUE(indexed.ok() && brute.ok());
    std::vector<std::string> a, b;
    for (const TmMatch& m : *indexed) a.push_back(m.segment.id);
    for (const TmMatch& m : *brute) b.push_back(m.segment.id);
    EXPECT_EQ(a, b) << "max_results " << max_results;
    EXPECT_EQ(a.size(), static_cast<size_t>(max_results));
  }
}

// The count bound for a segment longer than the query: insertions break at most one query bigram each, so
// a segment with lt − ls spread insertions shares exactly Need(lt) = g − 2k + (lt − ls) bigrams and must
// still be found (a bound one higher would lose it).
TEST(RecallTest, SegmentExactlyAtTheCountBoundIsFound) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  const std::string query = "甲乙丙丁戊己庚辛壬癸";           // 10 tokens, 10 distinct bigrams with the end one.
  const std::string inserted = "甲乙子丙丁戊丑己庚辛寅壬癸";  // 3 insertions, each inside a different bigram.
  Status written = (*store)->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"longer", "c", inserted, "t", "", 1, "", "", "", "", "", ""}));
    for (int i = 0; i < 50; ++i) {  // Unrelated segments, so the postings are not all the same.
      HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"other" + std::to_string(i), "c", "子丑寅卯辰巳午未" + std::to_string(i), "t", "", i + 2, "", "", "", "", "", ""}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.ToString();
  TmQuery q;
  q.text = query;
  q.min_score = 76;  // Score floor(100 · 10/13) = 76; k(13) = 3, so Need(13) = 10 − 6 + 3 = 7 = shared.
  q.max_results = 5;
  Result<std::vector<TmMatch>> indexed = tm.Lookup(q);
  ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
  ASSERT_EQ(indexed->size(), 1u);
  EXPECT_EQ(indexed->front().segment.id, "longer");
  EXPECT_EQ(indexed->front().score, 76);
  EXPECT_EQ(Scores(indexed), Scores(tm.LookupBruteForce(q)));
}

}  // namespace
}  // namespace heluo
