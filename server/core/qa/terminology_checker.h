// TerminologyChecker: checks a translation against the glossary — the terms of the Chinese source must
// appear in the English target in an accepted rendering, do-not-translate terms unchanged, no Han text
// left, every figure carried over — and says where, in both texts, each problem is.
//
// Source terms are found by the TermRecognizer (leftmost-longest, so 四个一批 wins over 一批 and nothing is
// reported twice); renderings by a RenderingMatcher compiled once per glossary generation (Rebuild());
// figures by the one figure model (text/figures.h), aligned as placeables align them.
//
// Per occurrence of a source term: rendered by a preferred or admitted form (fine), by a deprecated or
// forbidden form (DEPRECATED_RENDERING / FORBIDDEN_RENDERING, at the form found), or not at all
// (MISSING_RENDERING when the target has no rendering of the term at all, COUNT_MISMATCH when it has
// fewer than the source has occurrences).
//
// Thread-safety: Check() may run on any thread, concurrently with Rebuild(); each call sees one index.
#ifndef HELUO_SERVER_CORE_QA_TERMINOLOGY_CHECKER_H_
#define HELUO_SERVER_CORE_QA_TERMINOLOGY_CHECKER_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/qa/check_index.h"
#include "server/core/qa/term_issue.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/term_recognizer.h"

namespace heluo {

inline constexpr int kMaxCheckTextLength = 5000;  // Code points, per side.

class TerminologyChecker {
 public:
  // REQUIRES: `recognizer` outlives the checker and is rebuilt whenever the checker is.
  TerminologyChecker(const Store* store, const TermRecognizer* recognizer) : store_(store), recognizer_(recognizer) {}

  // Compiles the glossary's renderings anew (after the glossary changed).
  Status Rebuild();
  // Compiles `entries` (what Rebuild() reads from the store); for callers that already hold them.
  void Load(const std::vector<TermEntry>& entries);

  // The issues of `target` as a translation of `source`, in source order per kind. `collections` empty
  // means every collection. INVALID_ARGUMENT for invalid UTF-8, a blank source or target, or a side over
  // kMaxCheckTextLength; NOT_FOUND for a collection without terms.
  // OK when every one of `collections` holds glossary terms; NOT_FOUND naming the first that does not.
  Status CheckCollections(const std::vector<std::string>& collections) const;

  Result<std::vector<TermIssue>> Check(std::string_view source, std::string_view target,
                                       const std::vector<std::string>& collections,
                                       const TermCheckOptions& options) const;

 private:
  std::shared_ptr<const TermCheckIndex> Current() const;
  const Store* store_;
  const TermRecognizer* recognizer_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TermCheckIndex> index_;
};

// Rebuilds what is compiled from the glossary — the recognizer's automaton, then the checker's index, which
// reads the recognizer — after the glossary changed, whether by a write on this server (GlossaryService) or
// by one a replica applied (the replication follower): one function, so both rebuild the same, in order.
Status ReloadTerms(TermRecognizer& recognizer, TerminologyChecker& checker);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_TERMINOLOGY_CHECKER_H_
