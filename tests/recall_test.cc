// The fuzzy index must not lose matches: on randomized corpora and queries, Lookup returns exactly the
// segments (and scores) that scoring every segment returns.
#include <gtest/gtest.h>

#include <latch>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include "server/core/bundle.h"
#include "server/core/text/normalizer.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/fuzzy_index.h"
#include "server/core/tm/postings.h"
#include "server/core/tm/source_array.h"
#include "server/core/translation_memory.h"
#include "tests/bench/synthetic_corpus.h"
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
    TranslationMemory lmdb_only(store->get(), nullptr, TranslationMemoryOptions{.source_array = false});
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
      query.min_score = 30 + static_cast<int>(rng() % 71);
      query.max_results = kMaxResults;
      Result<std::vector<TmMatch>> indexed = tm.Lookup(query);
      Result<std::vector<TmMatch>> from_store = lmdb_only.Lookup(query);
      Result<std::vector<TmMatch>> brute = tm.LookupBruteForce(query);
      ASSERT_TRUE(indexed.ok()) << indexed.status().ToString();
      ASSERT_TRUE(from_store.ok()) << from_store.status().ToString();
      ASSERT_TRUE(brute.ok());
      if (brute->size() == static_cast<size_t>(kMaxResults)) continue;  // Truncated: CandidatesEqualBruteForce covers it.
      ASSERT_EQ(Scores(indexed), Scores(brute)) << "query \"" << query.text << "\" min_score " << query.min_score;
      ASSERT_EQ(Scores(from_store), Scores(brute)) << "query \"" << query.text << "\" min_score " << query.min_score;
      ++compared;
      nonempty += brute->empty() ? 0 : 1;
    }
  }
  EXPECT_GT(compared, 1350);
  EXPECT_GT(nonempty, 300);  // The comparison is not vacuous.
}

using Found = std::vector<std::tuple<uint32_t, int, int>>;  // (number, distance, score), in number order.

Found Candidates(const LmdbTxn& txn, const Databases& dbs, const std::vector<uint32_t>& ids, int min_score,
                 FuzzyMethod method, const SourceArray* array, FuzzyPlan plan, FuzzyStats* stats = nullptr) {
  FuzzyQuery q;
  q.stats = stats;
  q.ids = &ids;
  q.min_score = min_score;
  q.method = method;
  q.array = array;
  q.plan = plan;
  Result<std::vector<FuzzyCandidate>> r = FindFuzzyCandidates(txn, dbs, q);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  Found out;
  if (r.ok()) {
    for (const FuzzyCandidate& c : *r) out.emplace_back(c.number, c.distance, c.score);
  }
  return out;
}

// Writes `count` segments of a NearDuplicateCorpus(seed) as s0, s1, … and returns their sources.
std::vector<std::string> WriteNearDuplicates(Store& store, const TranslationMemory& tm, NearDuplicateCorpus& corpus, int count) {
  std::vector<std::string> sources;
  Status written = store.Write([&](LmdbTxn& txn) -> Status {
    sources.clear();
    for (int i = 0; i < count; ++i) {
      sources.push_back(corpus.Source());
      HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"s" + std::to_string(i), "c", sources.back(), "t " + std::to_string(i % 7), "", i + 1, "", "", "", "", "", ""}));
    }
    return Status::Ok();
  });
  EXPECT_TRUE(written.ok()) << written.ToString();
  return sources;
}

// Issue 19's near-duplicate shape at small size (segments of 1–5 whole clauses of the report, a third with
// changed figures; exact, edited and fresh queries), at every threshold from 30 to 100, without a result
// cap: every way of finding candidates — postings read from LMDB, postings verified from the SourceArray,
// the postings counted in two length bands (on a helper thread when one is idle),
// a scan of the array's length window on all cores, the cost model's choice, the in-memory brute force —
// gives exactly the brute-force scan of LMDB.
TEST(RecallTest, CandidatesEqualBruteForceOnNearDuplicates) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  NearDuplicateCorpus corpus(20210428);
  const std::vector<std::string> sources = WriteNearDuplicates(**store, tm, corpus, 3000);
  NearDuplicateCorpus queries(11);
  size_t nonempty = 0, compared = 0;
  std::map<FuzzyStats::Plan, int> chosen;  // What the cost model picked, per plan.
  Status read = (*store)->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = (*store)->dbs();
    Result<std::shared_ptr<const SourceArray>> array = SourceArray::Build(txn, dbs);
    EXPECT_TRUE(array.ok());
    EXPECT_EQ((*array)->size(), 3000u);
    for (int i = 0; i < 120; ++i) {
      Folded q;
      HELUO_RETURN_IF_ERROR(Fold(queries.Query(sources), &q));
      if (q.ids.empty()) continue;
      const int min_score = 30 + 10 * (i % 8);  // 30, 40, …, 100.
      const Found brute = Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kBruteForceStore, nullptr, FuzzyPlan::kAuto);
      EXPECT_EQ(Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kIndexed, nullptr, FuzzyPlan::kAuto), brute)
          << "postings from LMDB, min_score " << min_score;
      for (FuzzyPlan plan : {FuzzyPlan::kAuto, FuzzyPlan::kPostings, FuzzyPlan::kPostingsInBands, FuzzyPlan::kScan}) {
        FuzzyStats stats;
        EXPECT_EQ(Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kIndexed, array->get(), plan, &stats), brute)
            << "array, plan " << static_cast<int>(plan) << ", min_score " << min_score;
        if (plan == FuzzyPlan::kAuto) ++chosen[stats.plan];
      }
      EXPECT_EQ(Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kBruteForceMemory, array->get(), FuzzyPlan::kAuto), brute);
      nonempty += brute.empty() ? 0 : 1;
      ++compared;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(compared, 120u);
  EXPECT_GT(nonempty, 60u);  // Most queries have matches: the comparison is not vacuous.
  // The cost model's every choice was among those compared: postings, scan, and postings abandoned for
  // the scan once the distinct candidates counted made verifying them dearer.
  EXPECT_GT(chosen[FuzzyStats::Plan::kPostings], 0);
  EXPECT_GT(chosen[FuzzyStats::Plan::kScan], 0);
  EXPECT_GT(chosen[FuzzyStats::Plan::kSwitchedToScan], 0);
}

// A query of 255 or more distinct bigrams counts in two-byte counters (shorter ones count in bytes, which
// would wrap at 256 shared bigrams and lose its near-duplicates): long segments, their near-duplicates and
// unrelated ones, every plan against the brute-force scan of LMDB at thresholds 50–90.
TEST(RecallTest, LongQueriesAreCountedWithoutOverflow) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  std::mt19937 rng(19);
  auto random_text = [&](size_t chars) {
    std::u32string text;
    for (size_t i = 0; i < chars; ++i) text += static_cast<char32_t>(0x4E00 + rng() % 3000);
    return text;
  };
  auto edited = [&](std::u32string text, int edits) {
    for (int e = 0; e < edits; ++e) text[rng() % text.size()] = static_cast<char32_t>(0x4E00 + rng() % 3000);
    return text;
  };
  std::vector<std::u32string> bases;
  for (int i = 0; i < 6; ++i) bases.push_back(random_text(300 + 10 * i));
  Status written = (*store)->Write([&](LmdbTxn& txn) -> Status {
    for (int i = 0; i < 300; ++i) {
      const std::u32string source = i % 3 == 2 ? random_text(280) : edited(bases[(i / 3) % bases.size()], i % 40);
      HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"s" + std::to_string(i), "c", EncodeUtf8(source), "t", "", i + 1, "", "", "", "", "", ""}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(written.ok()) << written.ToString();
  size_t nonempty = 0;
  Status read = (*store)->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = (*store)->dbs();
    Result<std::shared_ptr<const SourceArray>> array = SourceArray::Build(txn, dbs);
    EXPECT_TRUE(array.ok());
    for (int i = 0; i < 12; ++i) {
      Folded q;
      HELUO_RETURN_IF_ERROR(Fold(EncodeUtf8(edited(bases[i % bases.size()], i)), &q));
      EXPECT_GE(DistinctGrams(q.ids, true).size(), 255u);
      const int min_score = 50 + 10 * (i % 5);  // 50, 60, …, 90.
      const Found brute = Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kBruteForceStore, nullptr, FuzzyPlan::kAuto);
      EXPECT_EQ(Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kIndexed, nullptr, FuzzyPlan::kAuto), brute)
          << "postings from LMDB, min_score " << min_score;
      for (FuzzyPlan plan : {FuzzyPlan::kPostings, FuzzyPlan::kPostingsInBands}) {
        EXPECT_EQ(Candidates(txn, dbs, q.ids, min_score, FuzzyMethod::kIndexed, array->get(), plan), brute)
            << "array, plan " << static_cast<int>(plan) << ", min_score " << min_score;
      }
      nonempty += brute.empty() ? 0 : 1;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_GE(nonempty, 10u);  // The near-duplicates are found: the comparison is not vacuous.
}

// The array follows writes: after inserts, replacements and deletions every lookup still equals the
// brute-force scan of LMDB, and a deleted or replaced source is never matched from a stale copy.
TEST(RecallTest, ArrayFollowsWrites) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  NearDuplicateCorpus corpus(5);
  const std::vector<std::string> sources = WriteNearDuplicates(**store, tm, corpus, 200);
  auto put = [&](int i, const std::string& source) {
    return (*store)->Write([&](LmdbTxn& txn) {
      return tm.Put(txn, Segment{"s" + std::to_string(i), "c", source, "t", "", i + 1, "", "", "", "", "", ""});
    });
  };
  auto check = [&](const std::string& text, int min_score) -> std::map<std::string, int> {
    TmQuery q;
    q.text = text;
    q.min_score = min_score;
    q.max_results = kMaxResults;
    Result<std::vector<TmMatch>> indexed = tm.Lookup(q), brute = tm.LookupBruteForce(q);
    EXPECT_TRUE(indexed.ok() && brute.ok());
    if (!indexed.ok() || !brute.ok()) return {};
    EXPECT_EQ(Scores(indexed), Scores(brute)) << text << " at " << min_score;
    return Scores(indexed);
  };
  const std::string probe = sources[7];
  EXPECT_EQ(check(probe, 100).count("s7"), 1u);
  // Replace s7 with something else: the old source must no longer match.
  ASSERT_TRUE(put(7, "完全不同的一句话，与任何条款无关").ok());
  EXPECT_EQ(check(probe, 100).count("s7"), 0u);
  EXPECT_EQ(check("完全不同的一句话，与任何条款无关", 90).count("s7"), 1u);
  // Delete it: gone.
  ASSERT_TRUE((*store)->Write([&](LmdbTxn& txn) { return tm.Delete(txn, "s7"); }).ok());
  EXPECT_EQ(check("完全不同的一句话，与任何条款无关", 90).count("s7"), 0u);
  // An aborted write (a dry run) changes nothing the array shows.
  ASSERT_TRUE((*store)->Write([&](LmdbTxn& txn) { return tm.Put(txn, Segment{"s9999", "c", "一句只在试运行里的话", "t", "", 1, "", "", "", "", "", ""}); }, false).ok());
  EXPECT_EQ(check("一句只在试运行里的话", 90).count("s9999"), 0u);
  for (int i = 0; i < 40; ++i) check(corpus.Query(sources), 30 + (i % 8) * 10);
}

// A lookup with fewer results returns exactly the first ones of a lookup with the most (the candidates
// that cannot rank are dropped before the per-match work, which must not change what comes first), at the
// low thresholds where thousands of near-duplicates match.
TEST(RecallTest, FewerResultsArePrefixOfMore) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  NearDuplicateCorpus corpus(3);
  const std::vector<std::string> sources = WriteNearDuplicates(**store, tm, corpus, 2000);
  for (int i = 0; i < 40; ++i) {
    TmQuery q;
    q.text = corpus.Query(sources);
    q.min_score = 30 + (i % 7) * 10;
    q.max_results = kMaxResults;
    Result<std::vector<TmMatch>> all = tm.Lookup(q);
    ASSERT_TRUE(all.ok());
    for (int n : {1, 5, 10}) {
      q.max_results = n;
      Result<std::vector<TmMatch>> few = tm.Lookup(q);
      ASSERT_TRUE(few.ok());
      ASSERT_EQ(few->size(), std::min<size_t>(all->size(), static_cast<size_t>(n)));
      for (size_t j = 0; j < few->size(); ++j) {
        EXPECT_EQ((*few)[j].segment.id, (*all)[j].segment.id) << q.text << " min " << q.min_score << " top " << n;
        EXPECT_EQ((*few)[j].score, (*all)[j].score);
      }
    }
  }
}

// A reader never sees a mix of two snapshots: an array copied for a newer snapshot is not handed to a
// lookup still reading an older one (it reads LMDB), and the newer snapshot gets an array that has the
// newer write.
TEST(RecallTest, ArrayBelongsToOneSnapshot) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get());
  auto put = [&](int i) {
    return (*store)->Write([&](LmdbTxn& txn) {
      return tm.Put(txn, Segment{"s" + std::to_string(i), "c", "第" + std::to_string(i) + "条", "t", "", i + 1, "", "", "", "", "", ""});
    });
  };
  ASSERT_TRUE(put(0).ok());
  SourceArrayCache cache(store->get(), 1000);
  std::latch old_open(1), newer_written(1);
  std::shared_ptr<const SourceArray> old_array, old_after;
  std::thread old_reader([&] {
    (void)(*store)->Read([&](const LmdbTxn& txn) -> Status {
      old_array = cache.For(txn);
      old_open.count_down();
      newer_written.wait();
      old_after = cache.For(txn);
      return Status::Ok();
    });
  });
  old_open.wait();
  ASSERT_TRUE(put(1).ok());
  std::shared_ptr<const SourceArray> new_array;
  ASSERT_TRUE((*store)->Read([&](const LmdbTxn& txn) -> Status {
    new_array = cache.For(txn);
    return Status::Ok();
  }).ok());
  newer_written.count_down();
  old_reader.join();
  ASSERT_NE(old_array, nullptr);
  ASSERT_NE(new_array, nullptr);
  EXPECT_EQ(old_array->size(), 1u);
  EXPECT_EQ(new_array->size(), 2u);
  EXPECT_GT(new_array->generation(), old_array->generation());
  EXPECT_EQ(old_after, nullptr);  // The older snapshot is not given the newer array.
}

// A store larger than the synchronous limit gets its array in the background; lookups meanwhile read LMDB
// and agree with brute force, and once warm they use the array and still agree.
TEST(RecallTest, BackgroundArrayAgrees) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  TranslationMemory tm(store->get(), nullptr, TranslationMemoryOptions{.source_array = true, .sync_array_limit = 0});
  NearDuplicateCorpus corpus(9);
  const std::vector<std::string> sources = WriteNearDuplicates(**store, tm, corpus, 500);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 30; ++i) {
      TmQuery q;
      q.text = corpus.Query(sources);
      q.min_score = 40 + (i % 7) * 10;
      q.max_results = kMaxResults;
      Result<std::vector<TmMatch>> indexed = tm.Lookup(q), brute = tm.LookupBruteForce(q);
      ASSERT_TRUE(indexed.ok() && brute.ok());
      EXPECT_EQ(Scores(indexed), Scores(brute)) << q.text;
    }
    ASSERT_TRUE(tm.WarmUp().ok());
  }
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
