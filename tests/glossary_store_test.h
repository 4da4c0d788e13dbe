// The base of a test of the core Glossary on a real store in a fresh directory: (re)opening the store,
// writing entries in one transaction, and the ids a lookup finds.
#ifndef HELUO_TESTS_GLOSSARY_STORE_TEST_H_
#define HELUO_TESTS_GLOSSARY_STORE_TEST_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/glossary.h"
#include "tests/temp_dir.h"

namespace heluo {

class GlossaryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(StoreOptions{}); }

  // Opens the store anew (closing any open one) and a Glossary on it.
  void Open(const StoreOptions& options) {
    glossary_.reset();
    store_.reset();
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path(), options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    glossary_ = std::make_unique<Glossary>(store_.get());
  }

  // Puts `entries` in one write transaction: all or, on an error, none.
  Status Put(const std::vector<TermEntry>& entries) {
    return store_->Write([&](LmdbTxn& txn) -> Status {
      for (const TermEntry& e : entries) HELUO_RETURN_IF_ERROR(glossary_->Put(txn, e));
      return Status::Ok();
    });
  }
  Status Put(const TermEntry& entry) { return Put(std::vector<TermEntry>{entry}); }

  // The ids Lookup finds for `text`, in its order; a failed lookup fails the test and finds none.
  std::vector<std::string> LookupIds(std::string_view text, Language lang = Language::kAny,
                                     std::vector<std::string> collections = {}) {
    Result<std::vector<TermEntry>> r = glossary_->Lookup(text, lang, collections);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const TermEntry& e : *r) ids.push_back(e.id);
    }
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Glossary> glossary_;
};

}  // namespace heluo

#endif  // HELUO_TESTS_GLOSSARY_STORE_TEST_H_
