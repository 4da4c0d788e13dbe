#include "server/core/translation_memory.h"

#include <gtest/gtest.h>

#include "server/core/bundle.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class TranslationMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    tm_ = std::make_unique<TranslationMemory>(store_.get());
    Bundle bundle{"test", "",
                  R"({"id": "t-1", "section": "1", "zh": "新增专利227件，增长57.8%。", "en": "We added 227 patents, up 57.8 percent."}
{"id": "t-2", "section": "1", "zh": "扎实做好“六稳”工作。", "en": "We ensured stability on six fronts."}
{"id": "t-3", "section": "2", "zh": "營商環境持續優化。", "en": "The business environment kept improving."}
)"};
    Result<BundleImport> imported = ImportBundleOnce(*store_, bundle);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  }

  TmMatch Only(std::string_view text) {
    Result<std::vector<TmMatch>> r = tm_->Lookup(text, 0, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.ok() ? r->size() : 0u, 1u) << text;
    return r.ok() && r->size() == 1 ? (*r)[0] : TmMatch{};
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
  EXPECT_EQ(tm_->Lookup(std::string("\xed\xa0\x80", 3), 0, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup("", 0, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup(std::string(5001, 'a'), 0, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup("一句。", 51, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup("一句。", -1, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(tm_->Lookup("一句。", 0, {"nope"}).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(tm_->Get("missing").status().code(), Status::Code::kNotFound);
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
