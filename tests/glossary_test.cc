#include "server/core/glossary.h"

#include <gtest/gtest.h>

#include "server/core/term_cache.h"
#include "tests/glossary_store_test.h"

namespace heluo {
namespace {

TermEntry Entry(std::string id, std::string zh, std::vector<std::string> zh_variants, std::string en,
                std::string collection = "test") {
  TermEntry e;
  e.id = std::move(id);
  e.collection = std::move(collection);
  e.zh = std::move(zh);
  e.zh_variants = std::move(zh_variants);
  e.en = std::move(en);
  e.rendering_status = RenderingStatus::kProject;
  return e;
}

class GlossaryTest : public GlossaryStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(GlossaryStoreTest::SetUp());
    ASSERT_TRUE(Put({Entry("sanzhong-xintai", "三种心态", {"“三种心态”", "三種心態"}, "the three mindsets"),
                     Entry("liuwen", "六稳", {"“六稳”"}, "stability on six fronts"),
                     Entry("liubao", "六保", {"“六保”"}, "security in six areas", "other")})
                    .ok());
  }
};

TEST_F(GlossaryTest, LookupFindsHeadwordQuotedTraditionalAndEnglishForms) {
  const std::vector<std::string> want = {"sanzhong-xintai"};
  EXPECT_EQ(LookupIds("三种心态"), want);
  EXPECT_EQ(LookupIds("三種心態"), want);
  EXPECT_EQ(LookupIds("“三种心态”"), want);
  EXPECT_EQ(LookupIds("「三種心態」"), want);
  EXPECT_EQ(LookupIds("The Three Mindsets"), want);
  EXPECT_TRUE(LookupIds("三种精神").empty());
}

TEST_F(GlossaryTest, LanguageAndCollectionFiltersApply) {
  EXPECT_TRUE(LookupIds("the three mindsets", Language::kZh).empty());
  EXPECT_EQ(LookupIds("the three mindsets", Language::kEn), std::vector<std::string>{"sanzhong-xintai"});
  EXPECT_TRUE(LookupIds("六保", Language::kAny, {"test"}).empty());
  EXPECT_EQ(LookupIds("六保", Language::kAny, {"other"}), std::vector<std::string>{"liubao"});
  Result<std::vector<TermEntry>> unknown = glossary_->Lookup("六保", Language::kAny, {"nope"});
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
}

TEST_F(GlossaryTest, UpsertReplacesTheOldIndexKeys) {
  ASSERT_TRUE(Put({Entry("liuwen", "六稳工作", {}, "work to ensure stability on six fronts")}).ok());
  EXPECT_TRUE(LookupIds("六稳").empty());
  EXPECT_EQ(LookupIds("六稳工作"), std::vector<std::string>{"liuwen"});
  EXPECT_EQ(glossary_->Get("liuwen")->en, "work to ensure stability on six fronts");
}

TEST_F(GlossaryTest, BadInputIsRejectedAndNothingIsWritten) {
  const std::string bad_utf8("\xc3\x28", 2);
  EXPECT_EQ(glossary_->Lookup(bad_utf8, Language::kAny, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(glossary_->Lookup("  ", Language::kAny, {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(glossary_->Lookup(std::string(300, 'a'), Language::kAny, {}).status().code(),
            Status::Code::kInvalidArgument);
  // A batch whose second entry is bad leaves the first unwritten too.
  Status st = Put({Entry("new-one", "新词", {}, "new word"), Entry("bad", "坏" + bad_utf8, {}, "bad")});
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(glossary_->Get("new-one").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(LookupIds("新词").empty());
  EXPECT_EQ(glossary_->Get("no-such-term").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(glossary_->Get("bad id with spaces").status().code(), Status::Code::kInvalidArgument);
}

TEST_F(GlossaryTest, ListPagesInIdOrder) {
  Result<TermPage> first = glossary_->List(2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->entries.size(), 2u);
  EXPECT_EQ(first->entries[0].id, "liubao");
  EXPECT_EQ(first->entries[1].id, "liuwen");
  ASSERT_FALSE(first->next_page_token.empty());
  Result<TermPage> second = glossary_->List(2, first->next_page_token);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->entries.size(), 1u);
  EXPECT_EQ(second->entries[0].id, "sanzhong-xintai");
  EXPECT_TRUE(second->next_page_token.empty());
  EXPECT_EQ(glossary_->List(2, "garbage").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(glossary_->List(501, "").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(glossary_->List(-1, "").status().code(), Status::Code::kInvalidArgument);
}

// The decoded-record cache hands out an entry only for the exact bytes it was decoded from: a reader whose
// snapshot holds an older record than the one cached gets that older record's entry, never the newer one,
// and a record is decoded once however often it is read.
int g_decodes = 0;
Result<TermEntry> DecodeEn(std::string_view record) {
  ++g_decodes;
  if (record.empty()) return Status::DataLoss("empty record");
  TermEntry e;
  e.en = std::string(record);
  return e;
}

TEST(TermCacheTest, AnEntryIsHandedOutOnlyForTheBytesItWasDecodedFrom) {
  TermCache cache(&DecodeEn);
  g_decodes = 0;
  EXPECT_EQ(cache.Decode("t1", "old")->en, "old");
  EXPECT_EQ(cache.Decode("t1", "old")->en, "old");
  EXPECT_EQ(g_decodes, 1);
  EXPECT_EQ(cache.Decode("t1", "new")->en, "new");  // A later snapshot's record.
  EXPECT_EQ(cache.Decode("t1", "old")->en, "old");  // An earlier snapshot still reading.
  EXPECT_EQ(cache.Decode("t2", "new")->en, "new");  // The same bytes under another id: its own entry.
  EXPECT_EQ(g_decodes, 4);
  EXPECT_EQ(cache.Decode("t3", "").status().code(), Status::Code::kDataLoss);  // Failures are not cached.
  EXPECT_EQ(cache.Decode("t3", "").status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(g_decodes, 6);
}

// Through the Glossary: an entry read (and so cached), then changed by Put, is read back changed at once by
// Lookup, Get and Suggest.
TEST_F(GlossaryTest, AChangedEntryIsReadBackChangedThoughItsOldRecordWasCached) {
  ASSERT_EQ(glossary_->Get("liuwen")->en, "stability on six fronts");
  ASSERT_EQ(LookupIds("六稳"), std::vector<std::string>{"liuwen"});
  ASSERT_TRUE(Put({Entry("liuwen", "六稳", {"“六稳”"}, "six stabilities, revised")}).ok());
  EXPECT_EQ(glossary_->Get("liuwen")->en, "six stabilities, revised");
  Result<std::vector<TermEntry>> found = glossary_->Lookup("六稳", Language::kAny, {});
  ASSERT_TRUE(found.ok() && found->size() == 1);
  EXPECT_EQ((*found)[0].en, "six stabilities, revised");
  Result<std::vector<TermSuggestion>> suggested = glossary_->Suggest("六", Language::kZh, 10);
  ASSERT_TRUE(suggested.ok());
  for (const TermSuggestion& s : *suggested) {
    if (s.entry.id == "liuwen") {
      EXPECT_EQ(s.entry.en, "six stabilities, revised");
    }
  }
}

}  // namespace
}  // namespace heluo
