// A real store in a test's directory with a bundle imported, for the core tests that need content (the
// pipelines' tests, the TM's): Store::Open, then ImportBundleOnce, failing the test on either.
#ifndef HELUO_TESTS_BUNDLED_STORE_H_
#define HELUO_TESTS_BUNDLED_STORE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "server/core/bundle.h"
#include "server/core/store/store.h"

namespace heluo {

// Call with ASSERT_NO_FATAL_FAILURE from SetUp.
inline void OpenWithBundle(const std::string& dir, std::unique_ptr<Store>* store,
                           const Bundle& bundle = EmbeddedBundle()) {
  Result<std::unique_ptr<Store>> opened = Store::Open(dir);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  *store = std::move(*opened);
  Result<BundleImport> imported = ImportBundleOnce(**store, bundle);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
}

}  // namespace heluo

#endif  // HELUO_TESTS_BUNDLED_STORE_H_
