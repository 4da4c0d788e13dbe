// How many terms and segments the bundled collection holds, counted from the bundle compiled into the binary
// (the same one the server under test imports), so that no test types the glossary or TM size.
#ifndef HELUO_TESTS_BUNDLE_COUNTS_H_
#define HELUO_TESTS_BUNDLE_COUNTS_H_

#include <gtest/gtest.h>

#include <string>

#include "server/core/bundle.h"

namespace heluo {

inline int BundledTermCount() {
  static const int n = [] {
    const Bundle b = EmbeddedBundle();
    Result<std::vector<TermEntry>> terms = ParseGlossaryJsonl(b.glossary_jsonl, b.collection);
    EXPECT_TRUE(terms.ok());
    return terms.ok() ? static_cast<int>(terms->size()) : -1;
  }();
  return n;
}

inline int BundledSegmentCount() {
  static const int n = [] {
    const Bundle b = EmbeddedBundle();
    Result<std::vector<Segment>> segments = ParseTmJsonl(b.tm_jsonl, b.collection);
    EXPECT_TRUE(segments.ok());
    return segments.ok() ? static_cast<int>(segments->size()) : -1;
  }();
  return n;
}

}  // namespace heluo

#endif  // HELUO_TESTS_BUNDLE_COUNTS_H_
