// TranslationAudit: the terminology check (terminology_checker.h) over a whole set of translations — a TMX
// file, or a TM collection written out as one — with the pairs that have issues handed on as they are
// found and a summary per issue kind and per glossary entry at the end.
//
// A file is read twice: once to the end to make sure it is well-formed TMX (so a malformed file fails,
// naming its line and column, before any pair has been reported), then to check its pairs one at a time
// (memory does not grow with the file). Nothing is written anywhere.
//
// A unit that cannot be checked — a <tu> an import would skip (no Chinese or no English variant), a side
// the checker refuses (too long, blank) — is skipped and counted, the first kMaxAuditSkips with where and why.
//
// Thread-safety: AuditTmxFile may be called from any thread; it runs on the caller's.
#ifndef HELUO_SERVER_CORE_QA_TRANSLATION_AUDIT_H_
#define HELUO_SERVER_CORE_QA_TRANSLATION_AUDIT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/core/qa/terminology_checker.h"
#include "server/core/status.h"

namespace heluo {

inline constexpr size_t kMaxAuditSkips = 50;

// A pair with at least one issue.
struct AuditedPair {
  std::string segment_id;
  long line = 0, column = 0;  // Of its <tu> in the file.
  std::string source, target;
  std::vector<TermIssue> issues;
};

struct AuditSkip {
  std::string segment_id;
  long line = 0, column = 0;
  std::string reason;
};

using IssueCounts = std::array<int64_t, kTermIssueKindCount>;  // Indexed by TermIssueKind.

struct AuditEntryCount {
  int64_t issues = 0;
  IssueCounts kinds{};
};

struct AuditSummary {
  int64_t pairs = 0;  // Checked.
  int64_t pairs_with_issues = 0;
  int64_t issues = 0, errors = 0, warnings = 0;
  int64_t skipped = 0;
  IssueCounts per_kind{};
  std::map<std::string, AuditEntryCount> per_entry;  // By term id.
  std::vector<AuditSkip> skipped_pairs;              // The first kMaxAuditSkips.
  int64_t bytes = 0;                                 // Of the file read.
};

struct AuditOptions {
  std::vector<std::string> glossary_collections;  // Whose terms count; empty: all.
  TermCheckOptions check;
  std::string tm_collection;  // As ImportOptions::collection: the collection the pairs' ids are derived in.
  std::function<bool()> cancelled;  // Polled once a unit; true stops the audit (CANCELLED). May be empty.
};

// Called for every pair with issues, in file order; false stops the audit (the receiver went away).
using AuditSink = std::function<bool(const AuditedPair&)>;

// Audits the TMX file at `path`. INVALID_ARGUMENT for a file that is not well-formed TMX (line and column
// in the message) before `sink` is called; NOT_FOUND for an unknown glossary collection; CANCELLED when the
// sink stops or `cancelled` says so.
Result<AuditSummary> AuditTmxFile(const TerminologyChecker& checker, const std::string& path,
                                  const AuditOptions& options, const AuditSink& sink);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_TRANSLATION_AUDIT_H_
