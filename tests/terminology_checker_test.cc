#include "server/core/qa/terminology_checker.h"

#include <gtest/gtest.h>

#include "tests/temp_dir.h"

namespace heluo {
namespace {

// A real store and recognizer with a handful of entries; the status fields (deprecated, forbidden,
// do-not-translate, case-sensitive) are given to the checker in memory (Load), as the store keeps them
// only from term-status's store upgrade on.
class TerminologyCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    auto entry = [](std::string id, std::string zh, std::vector<std::string> zh_variants, std::string en,
                    std::vector<std::string> en_variants = {}) {
      TermEntry e;
      e.id = std::move(id);
      e.collection = "test";
      e.zh = std::move(zh);
      e.zh_variants = std::move(zh_variants);
      e.en = std::move(en);
      e.en_variants = std::move(en_variants);
      return e;
    };
    entries_ = {
        entry("liuwen", "六稳", {"“六稳”", "六穩"}, "stability on six fronts", {"stability in six fronts"}),
        entry("sige-yipi", "四个一批", {"“四个一批”", "四個一批"}, "the Four Batches project"),
        entry("yipi", "一批", {}, "a batch"),
        entry("sanzhong-xintai", "三种心态", {"三種心態"}, "the three mindsets"),
        entry("yingshang", "营商环境", {"營商環境"}, "business environment"),
        entry("qiye", "瞪羚企业", {}, "gazelle enterprise"),
        entry("huawei", "华为", {"華為"}, "Huawei"),
        entry("cesuo", "厕所革命", {}, "toilet revolution", {"Toilet Revolution"}),
        entry("laji", "垃圾", {}, "waste"),
        entry("shipin", "食品安全", {}, "FOOD SAFETY"),
        entry("yiji-sanqu", "一极三区", {}, "One Pole, Three Zones"),
        entry("sanqu-tongjian", "三区同建", {}, "building the district through industry, ecology and culture"),
    };
    entries_[11].en_forbidden = {"Three Zones"};
    entries_[0].en_deprecated = {"six stabilities"};
    entries_[7].en_forbidden = {"lavatory revolution"};
    entries_[6].do_not_translate = true;
    entries_[9].case_sensitive = true;
    Glossary glossary(store_.get());
    ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
      for (const TermEntry& e : entries_) HELUO_RETURN_IF_ERROR(glossary.Put(txn, e));
      return Status::Ok();
    }).ok());
    recognizer_ = std::make_unique<TermRecognizer>(store_.get());
    ASSERT_TRUE(recognizer_->Rebuild().ok());
    checker_ = std::make_unique<TerminologyChecker>(store_.get(), recognizer_.get());
    checker_->Load(entries_);
  }

  std::vector<TermIssue> Check(std::string_view zh, std::string_view en, TermCheckOptions options = {}) {
    Result<std::vector<TermIssue>> r = checker_->Check(zh, en, {}, options);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<TermIssue>{};
  }
  static std::vector<TermIssueKind> Kinds(const std::vector<TermIssue>& issues) {
    std::vector<TermIssueKind> out;
    for (const TermIssue& i : issues) out.push_back(i.kind);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<TermEntry> entries_;
  std::unique_ptr<TermRecognizer> recognizer_;
  std::unique_ptr<TerminologyChecker> checker_;
};

using K = TermIssueKind;

TEST_F(TerminologyCheckerTest, PreferredOrAdmittedRenderingAtStartOrEndIsClean) {
  EXPECT_TRUE(Check("做好六稳工作", "Stability on six fronts was maintained").empty());
  EXPECT_TRUE(Check("做好六稳工作", "We maintained stability in six fronts").empty());
  EXPECT_TRUE(Check("做好“六稳”工作", "We kept \"stability on six fronts.\"").empty());
}

TEST_F(TerminologyCheckerTest, SimplifiedTraditionalAndFullWidthSourcesFindTheSameTerm) {
  for (std::string_view zh : {"做好六稳工作", "做好六穩工作", "做好“六稳”工作", "做好「六穩」工作"}) {
    std::vector<TermIssue> issues = Check(zh, "We kept growth steady.");
    ASSERT_EQ(Kinds(issues), std::vector<K>{K::kMissingRendering}) << zh;
    EXPECT_EQ(issues[0].term_id, "liuwen");
    EXPECT_EQ(issues[0].expected, (std::vector<std::string>{"stability on six fronts", "stability in six fronts"}));
  }
  // Full-width Latin and digits in the source fold too (NFKC): the term is found, the figure matches.
  EXPECT_TRUE(Check("２０２１年做好六稳工作", "In 2021 we ensured stability on six fronts").empty());
}

// Where `part` (the n-th time it occurs) sits in `text`, in code points and in UTF-16 units: counted here
// from the bytes, independently of the checker's own span code.
TextSpan SpanOf(std::string_view text, std::string_view part, int n = 1) {
  size_t at = text.find(part);
  while (--n > 0 && at != std::string_view::npos) at = text.find(part, at + 1);
  EXPECT_NE(at, std::string_view::npos) << part << " not in " << text;
  auto count = [&](size_t end, bool utf16) {
    uint32_t units = 0;
    for (size_t i = 0; i < end; ++i) {
      const auto b = static_cast<unsigned char>(text[i]);
      if ((b & 0xC0) != 0x80) units += (utf16 && b >= 0xF0) ? 2 : 1;
    }
    return units;
  };
  TextSpan span;
  span.cp_begin = count(at, false);
  span.cp_end = count(at + part.size(), false);
  span.utf16_begin = count(at, true);
  span.utf16_end = count(at + part.size(), true);
  return span;
}

// Every kind of issue, each with a Simplified, a Traditional and a full-width source (「」 quotes, full-width
// digits), all behind a character outside the BMP in both texts, so that code-point and UTF-16 spans differ:
// the same kind, the same entry, and both spans on the term or figure as written (counted independently).
TEST_F(TerminologyCheckerTest, EveryKindWithSimplifiedTraditionalAndFullWidthSourcesAndSpansInBothUnits) {
  struct Case {
    K kind;
    std::string id;           // The entry, or "" for UNTRANSLATED and FIGURE_MISMATCH.
    std::string zh, en;       // Both texts after the astral prefix.
    std::string source_part;  // Where the source span must lie ("" when it has none).
    std::string target_part;  // Where the target span must lie ("" when it has none).
  };
  const std::vector<Case> cases = {
      {K::kMissingRendering, "liuwen", "做好六稳工作", "We kept growth steady.", "六稳", ""},
      {K::kMissingRendering, "liuwen", "做好六穩工作", "We kept growth steady.", "六穩", ""},
      {K::kMissingRendering, "liuwen", "做好「六穩」工作", "We kept growth steady.", "「六穩」", ""},
      {K::kDeprecatedRendering, "liuwen", "做好六稳工作", "We ensured the six stabilities.", "六稳",
       "six stabilities"},
      {K::kDeprecatedRendering, "liuwen", "做好六穩工作", "We ensured the six stabilities.", "六穩",
       "six stabilities"},
      {K::kDeprecatedRendering, "liuwen", "做好「六穩」工作", "We ensured the six stabilities.", "「六穩」",
       "six stabilities"},
      {K::kForbiddenRendering, "cesuo", "推进厕所革命", "the Lavatory Revolution", "厕所革命",
       "Lavatory Revolution"},
      {K::kForbiddenRendering, "cesuo", "推進廁所革命", "the Lavatory Revolution", "廁所革命",
       "Lavatory Revolution"},
      {K::kForbiddenRendering, "cesuo", "推进「厕所革命」", "the Lavatory Revolution", "「厕所革命」",
       "Lavatory Revolution"},
      {K::kDoNotTranslateChanged, "huawei", "与华为合作", "cooperation with Huawei", "华为", ""},
      {K::kDoNotTranslateChanged, "huawei", "與華為合作", "cooperation with Huawei", "華為", ""},
      {K::kDoNotTranslateChanged, "huawei", "与「华为」合作", "cooperation with Huawei", "「华为」", ""},
      {K::kCountMismatch, "liuwen", "六稳和六稳", "stability on six fronts, twice", "六稳", ""},
      {K::kCountMismatch, "liuwen", "六穩和六穩", "stability on six fronts, twice", "六穩", ""},
      {K::kCountMismatch, "liuwen", "「六穩」和「六穩」", "stability on six fronts, twice", "「六穩」", ""},
      {K::kUntranslated, "", "处理垃圾", "handling 垃圾 waste", "", "垃圾"},
      {K::kUntranslated, "", "處理垃圾", "handling 處理 waste", "", "處理"},
      {K::kUntranslated, "", "处理「垃圾」", "handling 「垃圾」 waste", "", "垃圾"},
      {K::kFigureMismatch, "", "收入178亿元", "revenue of 1.78 billion yuan", "178亿元", "1.78 billion yuan"},
      {K::kFigureMismatch, "", "收入178億元", "revenue of 1.78 billion yuan", "178億元", "1.78 billion yuan"},
      {K::kFigureMismatch, "", "收入１７８亿元", "revenue of 1.78 billion yuan", "１７８亿元",
       "1.78 billion yuan"},
  };
  const std::string astral_zh = "𠀀", astral_en = "𝐀 ";
  for (const Case& c : cases) {
    const std::string zh = astral_zh + c.zh, en = astral_en + c.en;
    SCOPED_TRACE(zh + " | " + en);
    std::vector<TermIssue> issues = Check(zh, en);
    ASSERT_EQ(Kinds(issues), std::vector<K>{c.kind});
    const TermIssue& i = issues[0];
    EXPECT_EQ(i.term_id, c.id);
    auto same = [](const std::optional<TextSpan>& got, const TextSpan& want) {
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(got->cp_begin, want.cp_begin);
      EXPECT_EQ(got->cp_end, want.cp_end);
      EXPECT_EQ(got->utf16_begin, want.utf16_begin);
      EXPECT_EQ(got->utf16_end, want.utf16_end);
      EXPECT_EQ(got->utf16_begin, got->cp_begin + 1) << "the prefix is one code point, two UTF-16 units";
    };
    if (!c.source_part.empty()) {
      // COUNT_MISMATCH points at the occurrence left without a rendering: the second.
      same(i.source_span, SpanOf(zh, c.source_part, c.kind == K::kCountMismatch ? 2 : 1));
    }
    if (!c.target_part.empty()) same(i.target_span, SpanOf(en, c.target_part));
  }
}

TEST_F(TerminologyCheckerTest, MissingRenderingSpansAreInCodePointsAndUtf16) {
  // 𠀀 is outside the BMP: two UTF-16 units, so the two span kinds differ after it.
  std::vector<TermIssue> issues = Check("𠀀做好“六稳”", "Done.");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kMissingRendering});
  ASSERT_TRUE(issues[0].source_span.has_value());
  EXPECT_EQ(issues[0].source_span->cp_begin, 3u);  // The quotes belong to the term's surface.
  EXPECT_EQ(issues[0].source_span->cp_end, 7u);
  EXPECT_EQ(issues[0].source_span->utf16_begin, 4u);
  EXPECT_EQ(issues[0].source_span->utf16_end, 8u);
  EXPECT_EQ(issues[0].source_text, "“六稳”");
  EXPECT_FALSE(issues[0].target_span.has_value());
}

TEST_F(TerminologyCheckerTest, InflectionCaseHyphensQuotesAndArticlesAreTolerated) {
  EXPECT_TRUE(Check("坚持三种心态", "with The Three Mindsets' help").empty());
  EXPECT_TRUE(Check("坚持三种心态", "adopting three mindsets").empty());
  EXPECT_TRUE(Check("优化营商环境", "improving business environments").empty());
  EXPECT_TRUE(Check("优化营商环境", "the business-environment's quality").empty());
  EXPECT_TRUE(Check("培育瞪羚企业", "new Gazelle Enterprises").empty());
  EXPECT_TRUE(Check("推进厕所革命", "the ‘toilet revolution’ went on").empty());
  // A different word is not an inflection.
  EXPECT_EQ(Kinds(Check("坚持三种心态", "three minds")), std::vector<K>{K::kMissingRendering});
}

TEST_F(TerminologyCheckerTest, CaseSensitiveEntriesKeepCase) {
  EXPECT_TRUE(Check("保障食品安全", "ensure FOOD SAFETY").empty());
  EXPECT_EQ(Kinds(Check("保障食品安全", "ensure food safety")), std::vector<K>{K::kMissingRendering});
}

TEST_F(TerminologyCheckerTest, LongestSourceTermWinsAndIsReportedOnce) {
  std::vector<TermIssue> issues = Check("实施四个一批", "We carried out a batch of measures.");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kMissingRendering});
  EXPECT_EQ(issues[0].term_id, "sige-yipi");
}

TEST_F(TerminologyCheckerTest, TwoOccurrencesNeedTwoRenderings) {
  EXPECT_TRUE(Check("六稳和六稳", "stability on six fronts and stability in six fronts").empty());
  std::vector<TermIssue> issues = Check("六稳和六稳", "stability on six fronts, twice");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kCountMismatch});
  EXPECT_EQ(issues[0].source_span->cp_begin, 3u);  // The second occurrence is the unrendered one.
  EXPECT_EQ(issues[0].severity, IssueSeverity::kWarning);
  TermCheckOptions no_counts;
  no_counts.check_counts = false;
  EXPECT_TRUE(Check("六稳和六稳", "stability on six fronts, twice", no_counts).empty());
  std::vector<TermIssue> none = Check("六稳和六稳", "nothing");
  EXPECT_EQ(Kinds(none), (std::vector<K>{K::kMissingRendering, K::kMissingRendering}));
}

TEST_F(TerminologyCheckerTest, ARenderingInsideAnotherTermsLongerRenderingDoesNotCount) {
  entries_[4].en = "business environment";
  entries_.push_back(entries_[4]);
  entries_.back().id = "liuzui";
  entries_.back().zh = "六最营商环境";
  entries_.back().zh_variants = {};
  entries_.back().en = "Six Bests business environment";
  Glossary glossary(store_.get());
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary.Put(txn, entries_.back()); }).ok());
  ASSERT_TRUE(recognizer_->Rebuild().ok());
  checker_->Load(entries_);
  std::vector<TermIssue> issues = Check("优化营商环境，打造六最营商环境", "to create a Six Bests business environment");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kMissingRendering});
  EXPECT_EQ(issues[0].term_id, "yingshang");
}

TEST_F(TerminologyCheckerTest, DeprecatedAndForbiddenRenderingsAreNamedWhereFound) {
  std::vector<TermIssue> issues = Check("做好六稳工作", "We ensured the six stabilities.");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kDeprecatedRendering});
  EXPECT_EQ(issues[0].severity, IssueSeverity::kWarning);
  EXPECT_EQ(issues[0].found, "six stabilities");
  ASSERT_TRUE(issues[0].target_span.has_value());
  EXPECT_EQ(issues[0].target_span->cp_begin, 15u);
  EXPECT_EQ(issues[0].target_span->cp_end, 30u);
  issues = Check("推进厕所革命", "Lavatory Revolution");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kForbiddenRendering});
  EXPECT_EQ(issues[0].severity, IssueSeverity::kError);
  EXPECT_EQ(issues[0].target_span->cp_begin, 0u);
  EXPECT_EQ(issues[0].expected[0], "toilet revolution");
}

TEST_F(TerminologyCheckerTest, AForbiddenFormInsideAnotherTermsRenderingIsNotReported) {
  // Segment 0178's shape: "Three Zones" is forbidden for 三区同建 but is part of 一极三区's own rendering.
  const std::string zh = "以“一极三区”为发展定位，以“三区同建”为发展战略";
  EXPECT_TRUE(Check(zh, "Our positioning is One Pole, Three Zones; our strategy is building the district through "
                        "industry, ecology and culture.")
                  .empty());
  // Dropping 三区同建's rendering is then reported as missing, not hidden behind the other term's words.
  std::vector<TermIssue> dropped = Check(zh, "Our positioning is One Pole, Three Zones; our strategy is this.");
  ASSERT_EQ(Kinds(dropped), std::vector<K>{K::kMissingRendering});
  EXPECT_EQ(dropped[0].term_id, "sanqu-tongjian");
  // Standing alone, the forbidden form is still reported.
  std::vector<TermIssue> alone = Check("以“三区同建”为发展战略", "Our strategy is the Three Zones.");
  ASSERT_EQ(Kinds(alone), std::vector<K>{K::kForbiddenRendering});
}

TEST_F(TerminologyCheckerTest, DoNotTranslateTermsMustBeKept) {
  EXPECT_TRUE(Check("与华为合作", "cooperation with 华为").empty());  // Kept: neither changed nor untranslated.
  std::vector<TermIssue> issues = Check("与华为合作", "cooperation with Huawei");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kDoNotTranslateChanged});
  EXPECT_EQ(issues[0].expected, std::vector<std::string>{"华为"});
}

TEST_F(TerminologyCheckerTest, HanLeftInTheTargetIsUntranslated) {
  std::vector<TermIssue> issues = Check("处理垃圾", "handling 垃圾 waste and 其他");
  ASSERT_EQ(Kinds(issues), (std::vector<K>{K::kUntranslated, K::kUntranslated}));
  EXPECT_EQ(issues[0].found, "垃圾");
  EXPECT_EQ(issues[0].target_span->cp_begin, 9u);
  EXPECT_EQ(issues[1].found, "其他");
}

TEST_F(TerminologyCheckerTest, FiguresFollowTheFigureModel) {
  EXPECT_TRUE(Check("收入178亿元", "revenue of 17.8 billion yuan").empty());
  std::vector<TermIssue> issues = Check("收入178亿元", "revenue of 1.78 billion yuan");
  ASSERT_EQ(Kinds(issues), std::vector<K>{K::kFigureMismatch});
  EXPECT_EQ(issues[0].source_text, "178亿元");
  EXPECT_EQ(issues[0].found, "1.78 billion yuan");
  EXPECT_EQ(issues[0].expected[0], "17.8 billion");  // DescribeInEnglish: the value.
  EXPECT_EQ(issues[0].target_span->cp_begin, 11u);
  EXPECT_EQ(Kinds(Check("增长5%，PM2.5下降", "up 5 percent; PM2.5 fell")), std::vector<K>{});
  EXPECT_EQ(Kinds(Check("增长5%，PM2.5下降", "up 5 percent; fine particles fell")), std::vector<K>{K::kFigureMismatch});
  TermCheckOptions no_figures;
  no_figures.check_figures = false;
  EXPECT_TRUE(Check("收入178亿元", "revenue of 1.78 billion yuan", no_figures).empty());
}

TEST_F(TerminologyCheckerTest, BadInputIsRefusedClearly) {
  auto code = [&](std::string_view zh, std::string_view en, std::vector<std::string> collections = {}) {
    return checker_->Check(zh, en, collections, {}).status();
  };
  EXPECT_EQ(code("\xff六稳", "x").code(), Status::Code::kInvalidArgument);
  EXPECT_NE(code("\xff六稳", "x").message().find("source"), std::string::npos);
  EXPECT_EQ(code("六稳", "a\xc3").code(), Status::Code::kInvalidArgument);
  EXPECT_NE(code("六稳", "  ").message().find("target is empty"), std::string::npos);
  EXPECT_EQ(code("", "x").code(), Status::Code::kInvalidArgument);
  EXPECT_NE(code(std::string(kMaxCheckTextLength + 1, 'a'), "x").message().find("longer than"), std::string::npos);
  Status unknown = code("六稳", "x", {"no-such"});
  EXPECT_EQ(unknown.code(), Status::Code::kNotFound);
  EXPECT_NE(unknown.message().find("no-such"), std::string::npos);
  EXPECT_TRUE(code("六稳", "stability on six fronts", {"test"}).ok());
}

}  // namespace
}  // namespace heluo
