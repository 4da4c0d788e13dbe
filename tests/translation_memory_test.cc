#include "server/core/translation_memory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/bundled_store.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class TranslationMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Bundle bundle{"test", "",
                  R"({"id": "t-1", "section": "1", "zh": "新增专利227件，增长57.8%。", "en": "We added 227 patents, up 57.8 percent."}
{"id": "t-2", "section": "1", "zh": "扎实做好“六稳”工作。", "en": "We ensured stability on six fronts."}
{"id": "t-3", "section": "2", "zh": "營商環境持續優化。", "en": "The business environment kept improving."}
)"};
    ASSERT_NO_FATAL_FAILURE(OpenWithBundle(dir_.path(), &store_, bundle));
    tm_ = std::make_unique<TranslationMemory>(store_.get());
  }

  static TmQuery Q(std::string text, int max_results = 5, std::vector<std::string> collections = {}) {
    TmQuery q;
    q.text = std::move(text);
    q.max_results = max_results;
    q.collections = std::move(collections);
    return q;
  }

  TmMatch Only(std::string_view text) {
    TmQuery q = Q(std::string(text));
    q.min_score = 95;  // Folding penalties cost a point each.
    Result<std::vector<TmMatch>> r = tm_->Lookup(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.ok() ? r->size() : 0u, 1u) << text;
    return r.ok() && r->size() == 1 ? (*r)[0] : TmMatch{};
  }

  // Records (duplicates included) in one database of `store`.
  static size_t Entries(Store& store, MDB_dbi Databases::*db) {
    size_t n = 0;
    EXPECT_TRUE(store.Read([&](const LmdbTxn& txn) {
      return ScanRecords(txn, store.dbs().*db, "", [&](std::string_view, std::string_view) -> Result<bool> { return ++n > 0; });
    }).ok());
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TranslationMemory> tm_;
};

TEST_F(TranslationMemoryTest, IdenticalTextIsAnExactMatchWithoutPenalty) {
  TmMatch m = Only("新增专利227件，增长57.8%。");
  EXPECT_EQ(m.segment.id, "t-1");
  EXPECT_EQ(m.kind, MatchKind::kExact);
  EXPECT_EQ(m.score, 100);
  EXPECT_TRUE(m.penalties.empty());
  EXPECT_EQ(m.segment.target, "We added 227 patents, up 57.8 percent.");
}

TEST_F(TranslationMemoryTest, FoldedMatchesCarryNamedPenalties) {
  TmMatch spaced = Only("新增专利 227 件，增长 57.8%。");
  EXPECT_EQ(spaced.segment.id, "t-1");
  EXPECT_EQ(spaced.score, 99);
  ASSERT_EQ(spaced.penalties.size(), 1u);
  EXPECT_EQ(spaced.penalties[0].name, "whitespace");

  TmMatch wide = Only("新增专利２２７件，增长５７．８％。");
  EXPECT_EQ(wide.segment.id, "t-1");
  ASSERT_EQ(wide.penalties.size(), 1u);
  EXPECT_EQ(wide.penalties[0].name, "width");

  TmMatch simplified = Only("营商环境持续优化。");  // Stored in Traditional script.
  EXPECT_EQ(simplified.segment.id, "t-3");
  ASSERT_EQ(simplified.penalties.size(), 1u);
  EXPECT_EQ(simplified.penalties[0].name, "script");
  EXPECT_EQ(simplified.segment.source, "營商環境持續優化。");  // Stored text is never rewritten.

  TmMatch quotes = Only("扎实做好「六稳」工作。");
  EXPECT_EQ(quotes.penalties[0].name, "punctuation");
}

TEST_F(TranslationMemoryTest, DocumentContextIsKept) {
  Result<Segment> s = tm_->Get("t-2");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->previous_id, "t-1");
  EXPECT_EQ(s->next_id, "t-3");
  EXPECT_EQ(s->position, 2);
  EXPECT_EQ(s->collection, "test");
}

TEST_F(TranslationMemoryTest, BundleIsImportedOnlyOnce) {
  Bundle again{"test", "", R"({"id": "t-9", "zh": "又一句。", "en": "One more."})"};
  Result<BundleImport> r = ImportBundleOnce(*store_, again);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->imported);
  EXPECT_EQ(tm_->Get("t-9").status().code(), Status::Code::kNotFound);
}

TEST_F(TranslationMemoryTest, BadBundleImportsNothing) {
  Bundle bad{"fresh", "", "{\"id\": \"f-1\", \"zh\": \"一句。\", \"en\": \"One.\"}\n{\"id\": \"f-2\", \"zh\": 7}\n"};
  Result<BundleImport> r = ImportBundleOnce(*store_, bad);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("tm line 2"), std::string::npos) << r.status().message();
  EXPECT_EQ(tm_->Get("f-1").status().code(), Status::Code::kNotFound);
}

TEST_F(TranslationMemoryTest, BadLookupsAreRejected) {
  EXPECT_EQ(tm_->Lookup(Q(std::string("\xed\xa0\x80", 3))).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(Q("")).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(Q(std::string(5001, 'a'))).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(Q("一句。", 51)).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(Q("一句。", 0)).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(Q("一句。", 5, {"nope"})).status().code(), Status::Code::kNotFound);
  TmQuery bad_score = Q("一句。");
  bad_score.min_score = 102;
  EXPECT_EQ(tm_->Lookup(bad_score).status().code(), Status::Code::kInvalidArgument);
  bad_score.min_score = -1;
  EXPECT_EQ(tm_->Lookup(bad_score).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Concordance("", ConcordanceSide::kBoth, 5, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Concordance("专利", ConcordanceSide::kBoth, 0, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Concordance("专利", ConcordanceSide::kBoth, 201, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Get("missing").status().code(), Status::Code::kNotFound);
}

TEST_F(TranslationMemoryTest, FuzzyMatchScoresEditDistanceAndExplainsTheDifference) {
  TmQuery q = Q("新增专利227项，增长57.8%。");  // 件 → 项: one token of 11 differs.
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const TmMatch& m = (*r)[0];
  EXPECT_EQ(m.kind, MatchKind::kFuzzy);
  EXPECT_EQ(m.score, 91);  // 12 tokens (新 增 专 利 227 项 , 增 长 57.8 % 。), one differs: floor(100 × 11/12).
  ASSERT_EQ(m.diffs.size(), 1u);
  ASSERT_TRUE(m.diffs[0].query.has_value());
  EXPECT_EQ(m.diffs[0].query->cp_begin, 7u);  // "项" in the query.
  EXPECT_EQ(m.diffs[0].source->cp_begin, 7u);
  EXPECT_FALSE(m.placeable);
}

TEST_F(TranslationMemoryTest, NumbersOnlyDifferenceIsAPlaceableWithSubstitutedTarget) {
  Result<std::vector<TmMatch>> r = tm_->Lookup(Q("新增专利230件，增长60.5%。"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  const TmMatch& m = (*r)[0];
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "We added 230 patents, up 60.5 percent.");
  EXPECT_EQ(m.segment.target, "We added 227 patents, up 57.8 percent.");  // Untouched.
  ASSERT_EQ(m.substitutions.size(), 2u);
  EXPECT_TRUE(m.substitutions[0].applied);
}

TEST_F(TranslationMemoryTest, ContextMakesAn101Match) {
  TmQuery q = Q("扎实做好“六稳”工作。");
  q.previous_text = "新增专利227件，增长57.8%。";
  q.next_text = "营商环境持续优化。";  // Folds to the stored Traditional neighbour.
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].kind, MatchKind::kContext);
  EXPECT_EQ((*r)[0].score, 101);

  q.next_text = "别的句子。";
  r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].kind, MatchKind::kExact);
  EXPECT_EQ((*r)[0].score, 100);
  q.min_score = 101;  // In-context only.
  r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST_F(TranslationMemoryTest, An101NeedsContextTheCallerSent) {
  // A unit without neighbours, as every unit of a TMX from another tool is.
  Segment alone;
  alone.id = "x-1";
  alone.collection = "test";
  alone.source = "持续深化“放管服”改革。";
  alone.target = "We continued to deepen reform.";
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, alone); }).ok());
  TmQuery q = Q(alone.source);
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);  // No context sent: exact, never in-context.
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].kind, MatchKind::kExact);
  EXPECT_EQ((*r)[0].score, 100);
  q.previous_text = "";  // "Nothing before it": matches a unit stored without a previous segment.
  q.next_text = "";
  r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].kind, MatchKind::kContext);
  EXPECT_EQ((*r)[0].score, 101);
  q.previous_text = "新增专利227件，增长57.8%。";  // Sent, and the stored unit has nothing there.
  r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].kind, MatchKind::kExact);

  // Only one side sent: compared on that side alone.
  TmQuery one = Q("扎实做好“六稳”工作。");
  one.previous_text = "新增专利227件，增长57.8%。";
  r = tm_->Lookup(one);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].kind, MatchKind::kContext);
  EXPECT_EQ(Only("扎实做好“六稳”工作。").kind, MatchKind::kExact);
}

TEST_F(TranslationMemoryTest, FiguresThatDifferOnlyInNotationAreTheSameFigure) {
  // 227 → ２２７ is width folding (exact); 57.8% is unchanged; 2.2亿 vs 22000万 is the same amount.
  Segment amount;
  amount.id = "x-2";
  amount.collection = "test";
  amount.source = "完成投资2.2亿元，新建项目35个。";
  amount.target = "Investment reached 220 million yuan and 35 projects were started.";
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, amount); }).ok());
  TmQuery q = Q("完成投资22000万元，新建项目36个。");
  q.min_score = 50;
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  const TmMatch& m = (*r)[0];
  EXPECT_TRUE(m.placeable);
  ASSERT_EQ(m.substitutions.size(), 1u);  // Only 35 → 36: the amount is the same figure.
  EXPECT_EQ(m.substitutions[0].stored, "35");
  EXPECT_EQ(m.substituted_target, "Investment reached 220 million yuan and 36 projects were started.");
}

TEST_F(TranslationMemoryTest, AFigureTheTargetDoesNotWriteIsNotCarriedOverAndNoTargetIsOffered) {
  Segment s;
  s.id = "x-3";
  s.collection = "test";
  s.source = "新建学校12所，新增学位3000个。";
  s.target = "We built twelve schools, adding 3,000 places.";  // 12 in words: never rewritten.
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, s); }).ok());
  TmQuery q = Q("新建学校13所，新增学位3200个。");
  q.min_score = 50;
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->empty());
  const TmMatch& m = (*r)[0];
  EXPECT_FALSE(m.placeable);
  EXPECT_TRUE(m.substituted_target.empty());  // Never "twelve schools, adding 3,200 places".
  ASSERT_EQ(m.substitutions.size(), 2u);
  EXPECT_EQ(m.substitutions[0].stored, "12");
  EXPECT_EQ(m.substitutions[0].query, "13");
  EXPECT_FALSE(m.substitutions[0].applied);
  EXPECT_NE(m.substitutions[0].reason.find("as \"twelve\""), std::string::npos) << m.substitutions[0].reason;
  EXPECT_TRUE(m.substitutions[1].applied);
  EXPECT_EQ(m.substitutions[1].stored_rendering, "3,000");
  EXPECT_EQ(m.substitutions[1].query_rendering, "3,200");
}

TEST_F(TranslationMemoryTest, SpelledOutCountsAreRewrittenInTheTargetsStyle) {
  // The house style spells out one to nine in running text; the substitution keeps that style.
  auto put = [&](const char* id, const char* zh, const char* en) {
    Segment s;
    s.id = id;
    s.collection = "test";
    s.source = zh;
    s.target = en;
    ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, s); }).ok());
  };
  auto best = [&](const char* zh) {
    TmQuery q = Q(zh);
    q.min_score = 50;
    Result<std::vector<TmMatch>> r = tm_->Lookup(q);
    EXPECT_TRUE(r.ok() && !r->empty()) << zh;
    return r.ok() && !r->empty() ? (*r)[0] : TmMatch{};
  };
  put("w-1", "新建幼儿园2所、公厕12座。", "We built two kindergartens and 12 public toilets.");
  TmMatch m = best("新建幼儿园5所、公厕12座。");
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "We built five kindergartens and 12 public toilets.");
  m = best("新建幼儿园15所、公厕12座。");
  EXPECT_EQ(m.substituted_target, "We built 15 kindergartens and 12 public toilets.");

  put("w-2", "6家单位获评先进集体。", "Six units were named advanced collectives.");
  m = best("7家单位获评先进集体。");
  EXPECT_EQ(m.substituted_target, "Seven units were named advanced collectives.");
  m = best("16家单位获评先进集体。");  // Never "16 units were …" nor a stale "Six": the house style's recast.
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "A total of 16 units were named advanced collectives.");

  put("w-3", "打造1个电商公共品牌。", "We will create one public e-commerce brand.");
  m = best("打造3个电商公共品牌。");  // Never "three public e-commerce brand".
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "We will create three public e-commerce brands.");
  ASSERT_EQ(m.substitutions.size(), 1u);
  EXPECT_EQ(m.substitutions[0].query_rendering, "three public e-commerce brands");
  put("w-5", "1例输入病例得到成功治愈。", "One case imported from Wuhan was successfully cured.");
  m = best("3例输入病例得到成功治愈。");  // "was" would have to become "were": not attempted.
  EXPECT_FALSE(m.placeable);
  ASSERT_EQ(m.substitutions.size(), 1u);
  EXPECT_NE(m.substitutions[0].reason.find("singular and plural"), std::string::npos) << m.substitutions[0].reason;

  // The same figure twice, each copy changed: the k-th copy is the k-th English rendering when the English
  // keeps the order of the figures around them; when it moved a clause, which is which is unclear.
  put("w-6", "完成整治1200亩，实施补充耕地项目1200亩，新建游园5个。",
      "We completed clean-ups on 1,200 mu, carried out farmland replenishment covering 1,200 mu, and built five pocket parks.");
  m = best("完成整治1300亩，实施补充耕地项目800亩，新建游园5个。");
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target,
            "We completed clean-ups on 1,300 mu, carried out farmland replenishment covering 800 mu, and built five pocket parks.");
  put("w-7", "帮助8家企业纳入名单，申报贷款4.03亿元，为8家企业申报资金1.7亿元。",
      "We helped eight enterprises onto the list, applied for 403 million yuan of loans, and applied for 170 million yuan of funds for eight enterprises.");
  m = best("帮助3家企业纳入名单，申报贷款4.03亿元，为5家企业申报资金1.7亿元。");
  EXPECT_FALSE(m.placeable);  // The second 8 moved after 1.7亿: its order no longer says which "eight" it is.
  EXPECT_TRUE(m.substituted_target.empty());
  ASSERT_EQ(m.substitutions.size(), 2u);
  EXPECT_NE(m.substitutions[0].reason.find("more than once"), std::string::npos) << m.substitutions[0].reason;
  put("w-8", "新建1座城市驿站，打造城市书房1座。", "We will build one new city service station and one model city reading room.");
  m = best("新建2座城市驿站，打造城市书房3座。");
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "We will build two new city service stations and three model city reading rooms.");
  m = best("新建2座城市驿站，打造城市书房1座。");  // Only the first copy changes: the first "one".
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "We will build two new city service stations and one model city reading room.");

  // A number word in a name neither takes the figure's place nor counts as a second copy of it.
  put("w-4", "2.民营经济“两个健康”。", "2. The \"Two Healthy Developments\" of the private economy.");
  m = best("3.民营经济“两个健康”。");
  EXPECT_TRUE(m.placeable);
  EXPECT_EQ(m.substituted_target, "3. The \"Two Healthy Developments\" of the private economy.");
}

TEST_F(TranslationMemoryTest, ConcordanceFindsPhrasesOnEitherSideWithHighlights) {
  Result<std::vector<ConcordanceHit>> zh = tm_->Concordance("专利", ConcordanceSide::kSource, 10, {});
  ASSERT_TRUE(zh.ok());
  ASSERT_EQ(zh->size(), 1u);
  EXPECT_EQ((*zh)[0].segment.id, "t-1");
  ASSERT_EQ((*zh)[0].source_highlights.size(), 1u);
  EXPECT_EQ((*zh)[0].source_highlights[0].cp_begin, 2u);
  EXPECT_EQ((*zh)[0].source_highlights[0].cp_end, 4u);

  Result<std::vector<ConcordanceHit>> en = tm_->Concordance("Stability", ConcordanceSide::kTarget, 10, {});
  ASSERT_TRUE(en.ok());
  ASSERT_EQ(en->size(), 1u);
  EXPECT_EQ((*en)[0].segment.id, "t-2");
  EXPECT_EQ((*en)[0].target_highlights[0].cp_begin, 11u);

  Result<std::vector<ConcordanceHit>> single = tm_->Concordance("環", ConcordanceSide::kBoth, 10, {});
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(single->size(), 1u);
  EXPECT_EQ((*single)[0].segment.id, "t-3");

  Result<std::vector<ConcordanceHit>> none = tm_->Concordance("专利", ConcordanceSide::kTarget, 10, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(TranslationMemoryTest, ReplacingASegmentRemovesItsOldIndexEntries) {
  Segment s = *tm_->Get("t-2");
  s.source = "全面落实“六保”任务。";
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, s); }).ok());
  Result<std::vector<TmMatch>> old = tm_->Lookup(Q("扎实做好“六稳”工作。"));
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->empty());
  Result<std::vector<ConcordanceHit>> c = tm_->Concordance("六稳", ConcordanceSide::kSource, 10, {});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
  Result<std::vector<TmMatch>> now = tm_->Lookup(Q("全面落实“六保”任务。"));
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].segment.position, 2);
}

// Imports put postings through a PostingBatch (sorted, several per LMDB operation). A store filled that way,
// with the batch flushing whenever it is full and a pair replaced while its postings still wait, answers every
// lookup and concordance exactly like a store filled with one put per posting.
TEST_F(TranslationMemoryTest, BatchedPutsIndexExactlyLikeSinglePuts) {
  const std::u32string alphabet = U"发展经济改革创新建设推进工作全面加强";
  std::vector<Segment> segments;
  uint32_t seed = 7;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  for (int i = 0; i < 1500; ++i) {
    std::u32string text;
    for (uint32_t n = 8 + next() % 20; n > 0; --n) text += alphabet[(next() >> 8) % alphabet.size()];
    Segment s;
    s.id = "b-" + std::to_string(i);
    s.collection = "batch";
    s.source = EncodeUtf8(text) + "。";
    s.target = "Sentence " + std::to_string(i) + " about development.";
    segments.push_back(std::move(s));
  }
  Segment replaced = segments.back();  // Put again below, while its first postings still wait.
  replaced.source = "全面推进乡村振兴战略。";
  TempDir other_dir;
  std::unique_ptr<Store> other = std::move(*Store::Open(other_dir.path()));
  TranslationMemory single(other.get());
  ASSERT_TRUE(other->Write([&](LmdbTxn& txn) -> Status {
    for (const Segment& s : segments) HELUO_RETURN_IF_ERROR(single.Put(txn, s));
    return single.Put(txn, replaced);
  }).ok());
  const size_t bundle_src = Entries(*store_, &Databases::src_grams), bundle_tgt = Entries(*store_, &Databases::tgt_grams);
  Status batched = store_->Write([&](LmdbTxn& txn) -> Status {
    PostingBatch batch(5000);  // Full every ~50 pairs.
    for (const Segment& s : segments) HELUO_RETURN_IF_ERROR(tm_->Put(txn, s, &batch));
    EXPECT_GT(batch.waiting(), 0u);  // So the last pair's postings are waiting (a flush would leave none).
    HELUO_RETURN_IF_ERROR(tm_->Put(txn, replaced, &batch));
    EXPECT_GT(batch.waiting(), 0u);
    HELUO_RETURN_IF_ERROR(tm_->Flush(txn, batch));
    EXPECT_EQ(batch.waiting(), 0u);
    return Status::Ok();
  });
  ASSERT_TRUE(batched.ok()) << batched.ToString();
  auto ids = [](const Result<std::vector<TmMatch>>& r) {
    std::vector<std::pair<std::string, int>> out;
    for (const TmMatch& m : *r) out.emplace_back(m.segment.id, m.score);
    return out;
  };
  for (int i = 0; i < 1500; i += 37) {
    for (int min_score : {50, 70, 90}) {
      TmQuery q = Q(segments[(i * 7) % 1500].source, 50, {"batch"});
      q.min_score = min_score;
      Result<std::vector<TmMatch>> a = tm_->Lookup(q), b = single.Lookup(q);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(ids(a), ids(b)) << q.text << " at " << min_score;
      EXPECT_FALSE(a->empty());
    }
  }
  // The replaced pair's first source is gone from every index; its new one is found.
  TmQuery old_text = Q(segments.back().source, 50, {"batch"});
  old_text.min_score = 100;
  Result<std::vector<TmMatch>> gone = tm_->Lookup(old_text);
  ASSERT_TRUE(gone.ok());
  for (const TmMatch& m : *gone) EXPECT_NE(m.segment.id, "b-1499");
  Result<std::vector<TmMatch>> now = tm_->Lookup(Q("全面推进乡村振兴战略。", 5, {"batch"}));
  ASSERT_TRUE(now.ok() && !now->empty());
  EXPECT_EQ((*now)[0].segment.id, "b-1499");
  // The same index entries, one for one (no posting of the replaced version left behind).
  for (MDB_dbi Databases::*db : {&Databases::src_grams, &Databases::tgt_grams}) {
    EXPECT_EQ(Entries(*store_, db) - (db == &Databases::src_grams ? bundle_src : bundle_tgt), Entries(*other, db));
  }
  Result<std::vector<ConcordanceHit>> ca = tm_->Concordance("development", ConcordanceSide::kTarget, 200, {"batch"});
  Result<std::vector<ConcordanceHit>> cb = single.Concordance("development", ConcordanceSide::kTarget, 200, {"batch"});
  ASSERT_TRUE(ca.ok() && cb.ok());
  EXPECT_EQ(ca->size(), cb->size());
  EXPECT_EQ(ca->size(), 200u);
}

// A data directory written with schema version 1 (source postings were number, then length) is refused
// untouched by a plain Store::Open, and upgraded by one with TranslationMemory::UpgradeSchema: afterwards its
// postings are exactly what version 2 writes, and lookups find what they found before.
TEST_F(TranslationMemoryTest, SchemaOneStoreIsUpgradedOrRefusedUntouched) {
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
    for (int i = 0; i < 400; ++i) {
      Segment s;
      s.id = "u-" + std::to_string(i);
      s.collection = "upgrade";
      s.source = "第" + std::to_string(i) + "项工作稳步推进，成效明显。";
      s.target = "Task " + std::to_string(i) + " progressed steadily.";
      HELUO_RETURN_IF_ERROR(tm_->Put(txn, s));
    }
    return Status::Ok();
  }).ok());
  auto postings = [](Store& store) {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(store.Read([&](const LmdbTxn& txn) {
      return ScanRecords(txn, store.dbs().src_grams, "", [&](std::string_view k, std::string_view v) -> Result<bool> {
        out.emplace_back(k, v);
        return true;
      });
    }).ok());
    return out;
  };
  const auto current = postings(*store_);
  ASSERT_GT(current.size(), 1000u);
  // Rewrite the store as version 1 wrote it.
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
    if (int rc = mdb_drop(txn.get(), store_->dbs().src_grams, 0); rc != 0) return LmdbError(rc, "drop");
    for (const auto& [k, v] : current) HELUO_RETURN_IF_ERROR(txn.Put(store_->dbs().src_grams, k, v.substr(2, 4) + v.substr(0, 2)));
    return txn.Put(store_->dbs().meta, "schema_version", "1");
  }).ok());
  ASSERT_NE(postings(*store_), current);
  tm_.reset();
  store_.reset();
  const std::string data_file = dir_.path() + "/data.mdb";
  auto bytes = [&] {
    std::ifstream in(data_file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string before = bytes();

  Result<std::unique_ptr<Store>> refused = Store::Open(dir_.path());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("schema version 1"), std::string::npos) << refused.status().message();
  EXPECT_EQ(bytes(), before);

  StoreOptions options;
  options.upgrade = &TranslationMemory::UpgradeSchema;
  Result<std::unique_ptr<Store>> upgraded = Store::Open(dir_.path(), options);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  store_ = std::move(*upgraded);
  tm_ = std::make_unique<TranslationMemory>(store_.get());
  EXPECT_EQ(store_->upgraded_from(), 1);
  EXPECT_EQ(postings(*store_), current);
  TmQuery q = Q("第123项工作稳步推进，成效明显。", 5, {"upgrade"});
  q.min_score = 80;
  Result<std::vector<TmMatch>> found = tm_->Lookup(q);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].segment.id, "u-123");
  EXPECT_GE((*found)[0].score, 100);  // Exact (in context: it has no stored neighbours).
  EXPECT_GE(found->size(), 2u);  // Its neighbours differ in one number: fuzzy matches through the postings.
  // Opened again, it is current: no second upgrade.
  tm_.reset();
  store_.reset();
  Result<std::unique_ptr<Store>> again = Store::Open(dir_.path(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->upgraded_from(), 0);
}

TEST_F(TranslationMemoryTest, ACancelledLookupStopsWithCancelled) {
  TmQuery q = Q("新增专利227项，增长57.8%。");
  q.min_score = 0;  // A scan of everything: the slowest kind of lookup.
  int polls = 0;
  q.cancelled = [&] { return ++polls > 0; };
  Result<std::vector<TmMatch>> r = tm_->Lookup(q);
  EXPECT_EQ(r.status().code(), Status::Code::kCancelled);
  q.min_score = 70;
  r = tm_->Lookup(q);
  EXPECT_EQ(r.status().code(), Status::Code::kCancelled);
  EXPECT_GT(polls, 0);
  q.cancelled = [] { return false; };
  EXPECT_TRUE(tm_->Lookup(q).ok());
}

TEST_F(TranslationMemoryTest, ListPagesInDocumentOrder) {
  Result<SegmentPage> first = tm_->List(2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->segments.size(), 2u);
  EXPECT_EQ(first->segments[0].id, "t-1");
  Result<SegmentPage> second = tm_->List(2, first->next_page_token);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->segments.size(), 1u);
  EXPECT_EQ(second->segments[0].id, "t-3");
  EXPECT_TRUE(second->next_page_token.empty());
  EXPECT_EQ(tm_->List(2, "p1.zz").status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace heluo
