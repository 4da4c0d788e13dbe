// Term status in the core model: renderings by administrative status, the do-not-translate and
// case-sensitive flags, how they are stored, validated and found, and how a store of schema 2 reads them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/core/glossary.h"
#include "server/core/translation_memory.h"
#include "server/core/update_mask.h"
#include "tests/glossary_store_test.h"

namespace heluo {
namespace {

TermEntry SixStabilities() {
  TermEntry e;
  e.id = "liuwen";
  e.collection = "test";
  e.zh = "六稳";
  e.en = "stability on six fronts";
  e.en_variants = {"six-front stability"};
  e.en_deprecated = {"six stabilities"};
  e.en_forbidden = {"six steadies"};
  e.do_not_translate = false;
  e.case_sensitive = true;
  e.rendering_status = RenderingStatus::kProject;
  return e;
}

class TermStatusTest : public GlossaryStoreTest {
 protected:
  // Every lookup here is of an English form.
  std::vector<std::string> LookupIds(std::string_view text) {
    return GlossaryStoreTest::LookupIds(text, Language::kEn);
  }
};

TEST_F(TermStatusTest, StatusesAndFlagsAreStoredAndReadBack) {
  ASSERT_TRUE(Put(SixStabilities()).ok());
  Result<TermEntry> got = glossary_->Get("liuwen");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->en, "stability on six fronts");
  EXPECT_EQ(got->en_variants, std::vector<std::string>{"six-front stability"});
  EXPECT_EQ(got->en_deprecated, std::vector<std::string>{"six stabilities"});
  EXPECT_EQ(got->en_forbidden, std::vector<std::string>{"six steadies"});
  EXPECT_FALSE(got->do_not_translate);
  EXPECT_TRUE(got->case_sensitive);
  TermEntry dnt = SixStabilities();
  dnt.do_not_translate = true;
  dnt.case_sensitive = false;
  ASSERT_TRUE(Put(dnt).ok());
  got = glossary_->Get("liuwen");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->do_not_translate);
  EXPECT_FALSE(got->case_sensitive);
}

// Looking up a deprecated or forbidden form finds the entry, so a translator sees it is not to be used and
// what is; a completion never offers it.
TEST_F(TermStatusTest, DeprecatedAndForbiddenFormsAreFoundByLookupButNotSuggested) {
  ASSERT_TRUE(Put(SixStabilities()).ok());
  EXPECT_EQ(LookupIds("Six Stabilities"), std::vector<std::string>{"liuwen"});
  EXPECT_EQ(LookupIds("six steadies"), std::vector<std::string>{"liuwen"});
  Result<std::vector<TermSuggestion>> s = glossary_->Suggest("six", Language::kEn, 10);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].form, "six-front stability");
  s = glossary_->Suggest("six st", Language::kEn, 10);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->empty());
  // Replacing the entry drops the old forms' index keys.
  TermEntry plain = SixStabilities();
  plain.en_deprecated.clear();
  plain.en_forbidden.clear();
  ASSERT_TRUE(Put(plain).ok());
  EXPECT_TRUE(LookupIds("six stabilities").empty());
  EXPECT_TRUE(LookupIds("six steadies").empty());
}

TEST_F(TermStatusTest, ARenderingInTwoStatusesOrAnEmptyOneIsRejectedAndNothingIsWritten) {
  auto rejected = [&](TermEntry e, const std::string& want) {
    Status st = Put(e);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << want;
    EXPECT_NE(st.message().find(want), std::string::npos) << st.message();
    EXPECT_EQ(glossary_->Get(e.id).status().code(), Status::Code::kNotFound);
    EXPECT_TRUE(LookupIds("stability on six fronts").empty());
  };
  // SixStabilities() with one more rendering in `field`, and what the refusal must say.
  struct Case {
    std::vector<std::string> TermEntry::*field;
    std::string rendering;
    const char* want;
  };
  const Case cases[] = {
      {&TermEntry::en_deprecated, "Stability on Six Fronts", "in both en and en_deprecated"},  // en, folded.
      {&TermEntry::en_forbidden, "six-front stability", "in both en_variants and en_forbidden"},
      {&TermEntry::en_forbidden, "SIX STABILITIES", "in both en_deprecated and en_forbidden"},
      {&TermEntry::en_deprecated, "  ", "en_deprecated has an empty rendering"},
      {&TermEntry::en_forbidden, "", "en_forbidden has an empty rendering"},
      {&TermEntry::en_deprecated, std::string(500, 'x'), "longer than"},  // A variant's index-key limit.
      {&TermEntry::en_forbidden, "bad \x01 form", "control character"},
  };
  for (const Case& c : cases) {
    TermEntry e = SixStabilities();
    (e.*c.field).push_back(c.rendering);
    rejected(e, c.want);
  }
  // en and en_variants may still share a form (a case variant of the preferred one).
  TermEntry e = SixStabilities();
  e.en_variants.push_back("Stability On Six Fronts");
  EXPECT_TRUE(Put(e).ok());
}

TEST_F(TermStatusTest, UpdateMaskNamesTheNewFields) {
  TermEntry stored = SixStabilities();
  TermEntry update;
  update.en_deprecated = {"six stables"};
  ASSERT_TRUE(ApplyUpdate(update, UpdateMask{}, &stored).ok());  // Populated: only en_deprecated.
  EXPECT_EQ(stored.en_deprecated, std::vector<std::string>{"six stables"});
  EXPECT_EQ(stored.en_forbidden, std::vector<std::string>{"six steadies"});
  EXPECT_TRUE(stored.case_sensitive);
  UpdateMask mask{UpdateMask::Kind::kFields, {"en_forbidden", "case_sensitive", "do_not_translate"}};
  update.do_not_translate = true;
  ASSERT_TRUE(ApplyUpdate(update, mask, &stored).ok());
  EXPECT_TRUE(stored.en_forbidden.empty());
  EXPECT_FALSE(stored.case_sensitive);  // Named: cleared.
  EXPECT_TRUE(stored.do_not_translate);
  update = TermEntry{};
  update.case_sensitive = true;
  ASSERT_TRUE(ApplyUpdate(update, UpdateMask{}, &stored).ok());
  EXPECT_TRUE(stored.case_sensitive);
  EXPECT_TRUE(stored.do_not_translate);  // A false flag is not "populated": kept.
}

// A store written by schema 2 — term records without the status keys — is upgraded at open (only with an
// upgrade function; refused untouched without) and its entries read back with empty statuses, still found.
TEST_F(TermStatusTest, ASchemaTwoStoreIsUpgradedAndReadsBackWithEmptyStatuses) {
  const nlohmann::json old_record = {
      {"id", "sanzhong-xintai"}, {"collection", "test"}, {"kind", "report-glossary"}, {"zh", "三种心态"},
      {"zh_variants", {"“三种心态”"}}, {"en", "the three mindsets"}, {"en_variants", {"three mentalities"}},
      {"definition_zh", ""}, {"definition_en", ""}, {"status", 2}, {"note", "old"},
      {"cby", "heluo-bundle"}, {"cat", "2026-11-25T06:20:00Z"}, {"mby", ""}, {"mat", ""}};
  const std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(old_record);
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(txn.Put(store_->dbs().terms, "sanzhong-xintai", std::string(bytes.begin(), bytes.end())));
    HELUO_RETURN_IF_ERROR(txn.Put(store_->dbs().term_keys, "ethe three mindsets", "sanzhong-xintai"));
    HELUO_RETURN_IF_ERROR(txn.Put(store_->dbs().term_keys, "ethree mentalities", "sanzhong-xintai"));
    return txn.Put(store_->dbs().meta, "schema_version", "2");
  }).ok());
  glossary_.reset();
  store_.reset();
  Result<std::unique_ptr<Store>> refused = Store::Open(dir_.path());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("schema version 2"), std::string::npos) << refused.status().message();

  StoreOptions options;
  options.upgrade = &TranslationMemory::UpgradeSchema;
  ASSERT_NO_FATAL_FAILURE(Open(options));
  EXPECT_EQ(store_->upgraded_from(), 2);
  Result<TermEntry> got = glossary_->Get("sanzhong-xintai");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->en, "the three mindsets");
  EXPECT_EQ(got->en_variants, std::vector<std::string>{"three mentalities"});
  EXPECT_EQ(got->note, "old");
  EXPECT_TRUE(got->en_deprecated.empty());
  EXPECT_TRUE(got->en_forbidden.empty());
  EXPECT_FALSE(got->do_not_translate);
  EXPECT_FALSE(got->case_sensitive);
  EXPECT_EQ(LookupIds("Three Mentalities"), std::vector<std::string>{"sanzhong-xintai"});
  // The upgraded entry takes statuses; opened again, the store is current.
  got->en_deprecated = {"three mentalities"};
  got->en_variants.clear();
  ASSERT_TRUE(Put(*got).ok());
  ASSERT_NO_FATAL_FAILURE(Open(options));
  EXPECT_EQ(store_->upgraded_from(), 0);
  got = glossary_->Get("sanzhong-xintai");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->en_deprecated, std::vector<std::string>{"three mentalities"});
}

}  // namespace
}  // namespace heluo
