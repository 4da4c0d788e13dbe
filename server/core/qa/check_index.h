// TermCheckIndex: the glossary compiled for the terminology check, once per glossary generation.
//
// For every entry: the patterns of its preferred and admitted renderings (accepted), of its deprecated and
// forbidden ones, and of its Chinese forms (what a do-not-translate term must keep), all interned in one
// RenderingMatcher, so a check compiles nothing per call.
//
// Thread-safety: immutable after Build(); share it through a shared_ptr<const TermCheckIndex>.
#ifndef HELUO_SERVER_CORE_QA_CHECK_INDEX_H_
#define HELUO_SERVER_CORE_QA_CHECK_INDEX_H_

#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/core/glossary.h"
#include "server/core/qa/rendering_matcher.h"

namespace heluo {

struct CheckEntry {
  std::string id;
  std::string collection;
  bool do_not_translate = false;
  std::vector<std::string> expected;  // en, then en_variants.
  std::vector<RenderingPattern> accepted, deprecated, forbidden, source_forms;
};

class TermCheckIndex {
 public:
  static std::shared_ptr<const TermCheckIndex> Build(const std::vector<TermEntry>& entries);

  // The entry with this id, or null (deleted since the recognizer's automaton was built).
  const CheckEntry* Find(const std::string& id) const;
  bool HasCollection(const std::string& name) const { return collections_.count(name) > 0; }
  const RenderingMatcher& matcher() const { return matcher_; }

 private:
  RenderingMatcher matcher_;
  std::unordered_map<std::string, CheckEntry> entries_;
  std::set<std::string> collections_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_CHECK_INDEX_H_
