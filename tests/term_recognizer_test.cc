#include "server/core/term_recognizer.h"

#include <gtest/gtest.h>

#include "tests/temp_dir.h"

namespace heluo {
namespace {

class TermRecognizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    Glossary glossary(store_.get());
    auto entry = [](std::string id, std::string zh, std::vector<std::string> variants, std::string en) {
      TermEntry e;
      e.id = std::move(id);
      e.collection = "test";
      e.zh = std::move(zh);
      e.zh_variants = std::move(variants);
      e.en = std::move(en);
      return e;
    };
    ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("9-2", "9+2工作布局", {"“9+2”工作布局"}, "\"9+2\" work layout")));
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("1-x", "1+X产业布局", {"“1+X”产业布局"}, "\"1+X\" industrial layout")));
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("shisiwu", "十四五", {"“十四五”"}, "the 14th Five-Year Plan")));
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("liuwen", "六稳", {}, "stability on six fronts")));
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("chanye", "产业", {}, "industry")));
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, entry("gao", "高质量发展", {}, "high-quality development")));
      return glossary.Put(txn, entry("fazhan", "发展", {}, "development"));
    }).ok());
    recognizer_ = std::make_unique<TermRecognizer>(store_.get());
    ASSERT_TRUE(recognizer_->Rebuild().ok());
  }

  std::vector<TermHit> Hits(std::string_view text, bool overlapping = false, Language lang = Language::kAny) {
    Result<std::vector<TermHit>> r = recognizer_->Recognize(text, lang, overlapping);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<TermHit>{};
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TermRecognizer> recognizer_;
};

TEST_F(TermRecognizerTest, FindsTermsWithDigitsAndSymbolsLeftmostLongest) {
  std::vector<TermHit> hits = Hits("深化提升“9+2”工作布局，构建“1+X”产业布局，推动高质量发展，做好“六稳”，开局“十四五”。");
  ASSERT_EQ(hits.size(), 5u);
  EXPECT_EQ(hits[0].term_id, "9-2");
  EXPECT_EQ(hits[0].surface, "“9+2”工作布局");  // The opening mark is part of the quoted term.
  EXPECT_EQ(hits[1].term_id, "1-x");  // Not 产业 inside it.
  EXPECT_EQ(hits[2].term_id, "gao");  // Not 发展 inside it.
  EXPECT_EQ(hits[3].term_id, "liuwen");
  EXPECT_EQ(hits[4].term_id, "shisiwu");
  EXPECT_EQ(hits[4].surface, "“十四五”");  // A fully quoted term keeps both marks.
}

TEST_F(TermRecognizerTest, OverlappingModeReturnsNestedTerms) {
  std::vector<TermHit> hits = Hits("推动高质量发展", true);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].term_id, "gao");
  EXPECT_EQ(hits[1].term_id, "fazhan");
}

TEST_F(TermRecognizerTest, SpansAreInTheCallersTextInCodePointsAndUtf16) {
  // "𠀀" is outside the BMP (2 UTF-16 units); full-width and Traditional forms fold.
  std::vector<TermHit> hits = Hits("𠀀ＡＢ六穩");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].surface, "六穩");
  EXPECT_TRUE(hits[0].folded);
  EXPECT_EQ(hits[0].span.cp_begin, 3u);
  EXPECT_EQ(hits[0].span.cp_end, 5u);
  EXPECT_EQ(hits[0].span.utf16_begin, 4u);
  EXPECT_EQ(hits[0].span.utf16_end, 6u);
}

TEST_F(TermRecognizerTest, EnglishFormsNeedWordBoundaries) {
  EXPECT_EQ(Hits("We ensured Stability on Six Fronts.", false, Language::kEn).size(), 1u);
  EXPECT_TRUE(Hits("industrya", false, Language::kEn).empty());
  EXPECT_EQ(Hits("the industry grew", false, Language::kEn).size(), 1u);
  EXPECT_TRUE(Hits("the industry grew", false, Language::kZh).empty());
}

TEST_F(TermRecognizerTest, RebuildSeesNewTerms) {
  EXPECT_TRUE(Hits("三种心态").empty());
  Glossary glossary(store_.get());
  TermEntry e;
  e.id = "sanzhong";
  e.collection = "test";
  e.zh = "三种心态";
  e.en = "the three mindsets";
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary.Put(txn, e); }).ok());
  ASSERT_TRUE(recognizer_->Rebuild().ok());
  EXPECT_EQ(Hits("克服三种心态").size(), 1u);
}

TEST_F(TermRecognizerTest, BadInputIsRejected) {
  EXPECT_EQ(recognizer_->Recognize(std::string("\xff", 1), Language::kAny, false).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(recognizer_->Recognize(" ", Language::kAny, false).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(recognizer_->Recognize(std::string(5001, 'a'), Language::kAny, false).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(TermRecognizerTest, SuggestCompletesInBothLanguagesShortestFirst) {
  Glossary glossary(store_.get());
  Result<std::vector<TermSuggestion>> zh = glossary.Suggest("产", Language::kAny, 10);
  ASSERT_TRUE(zh.ok());
  ASSERT_EQ(zh->size(), 1u);
  EXPECT_EQ((*zh)[0].entry.id, "chanye");
  Result<std::vector<TermSuggestion>> en = glossary.Suggest("HIGH", Language::kAny, 10);
  ASSERT_TRUE(en.ok());
  ASSERT_EQ(en->size(), 1u);
  EXPECT_EQ((*en)[0].form, "high-quality development");
  EXPECT_EQ((*en)[0].language, Language::kEn);
  Result<std::vector<TermSuggestion>> many = glossary.Suggest("“", Language::kAny, 10);
  EXPECT_EQ(many.status().code(), Status::Code::kInvalidArgument);  // Folds to nothing.
  EXPECT_EQ(glossary.Suggest("产", Language::kAny, 51).status().code(), Status::Code::kInvalidArgument);
  Result<std::vector<TermSuggestion>> digits = glossary.Suggest("9+", Language::kZh, 10);
  ASSERT_TRUE(digits.ok());
  ASSERT_EQ(digits->size(), 1u);
  EXPECT_EQ((*digits)[0].entry.id, "9-2");
}

}  // namespace
}  // namespace heluo
