// The bundled content (data/, not the copy compiled into the server) loaded into a real store, with the
// product's TerminologyChecker over it: what the content tests audit the TM with.
#ifndef HELUO_TESTS_CONTENT_AUDIT_H_
#define HELUO_TESTS_CONTENT_AUDIT_H_

#include <gtest/gtest.h>

#include <memory>

#include "server/core/bundle.h"
#include "server/core/qa/terminology_checker.h"
#include "tests/temp_dir.h"

namespace heluo::content {

struct BundledChecker {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<TermRecognizer> recognizer;
  std::unique_ptr<TerminologyChecker> checker;
};

// Built once per test binary. Fails the calling test when data/ cannot be loaded.
inline const BundledChecker& Bundled() {
  static BundledChecker* b = [] {
    auto* out = new BundledChecker();
    Result<std::unique_ptr<Store>> store = Store::Open(out->dir.path());
    EXPECT_TRUE(store.ok());
    out->store = std::move(*store);
    Result<Bundle> bundle = ReadBundleDirectory(HELUO_DATA_DIR, "yanshi-2021");
    EXPECT_TRUE(bundle.ok()) << bundle.status().message();
    EXPECT_TRUE(ImportBundleOnce(*out->store, *bundle).ok());
    out->recognizer = std::make_unique<TermRecognizer>(out->store.get());
    EXPECT_TRUE(out->recognizer->Rebuild().ok());
    out->checker = std::make_unique<TerminologyChecker>(out->store.get(), out->recognizer.get());
    EXPECT_TRUE(out->checker->Rebuild().ok());
    return out;
  }();
  return *b;
}

}  // namespace heluo::content

#endif  // HELUO_TESTS_CONTENT_AUDIT_H_
