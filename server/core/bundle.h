// Bundle: the content shipped with heluo (data/) and how it gets into a store the first time.
//
// A bundle is a named collection with a glossary and a TM, each as JSON Lines (the formats are documented
// in data/README.md). ImportBundleOnce() loads a bundle in one write transaction and records a marker in
// the meta database, so a restart never imports it twice and a bad line imports nothing.
#ifndef HELUO_SERVER_CORE_BUNDLE_H_
#define HELUO_SERVER_CORE_BUNDLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/core/formats/formats.h"  // ParseGlossaryJsonl, ParseTmJsonl: the bundle's files.
#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/translation_memory.h"

namespace heluo {

struct Bundle {
  std::string collection;    // e.g. "yanshi-2021".
  std::string glossary_jsonl;
  std::string tm_jsonl;
};

struct BundleImport {
  bool imported = false;  // False when the marker showed it was imported before.
  int terms = 0;
  int segments = 0;
};

// Imports `bundle` unless it was imported before.
Result<BundleImport> ImportBundleOnce(Store& store, const Bundle& bundle);

// The bundle compiled into the binary from data/ (see CMakeLists.txt).
Bundle EmbeddedBundle();
// A bundle read from a directory laid out like data/: glossary/<collection>.jsonl and tm/<collection>.jsonl.
Result<Bundle> ReadBundleDirectory(const std::string& dir, const std::string& collection);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_BUNDLE_H_
