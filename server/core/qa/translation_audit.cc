#include "server/core/qa/translation_audit.h"

#include "server/core/interchange.h"

namespace heluo {
namespace {

void Skip(AuditSummary* summary, const TmxPair& p, const std::string& reason) {
  ++summary->skipped;
  if (summary->skipped_pairs.size() < kMaxAuditSkips) summary->skipped_pairs.push_back({p.id, p.line, p.column, reason});
}

void Count(const std::vector<TermIssue>& issues, AuditSummary* summary) {
  ++summary->pairs_with_issues;
  for (const TermIssue& i : issues) {
    const size_t kind = static_cast<size_t>(i.kind);
    ++summary->issues;
    ++(i.severity == IssueSeverity::kError ? summary->errors : summary->warnings);
    ++summary->per_kind[kind];
    if (i.term_id.empty()) continue;
    AuditEntryCount& entry = summary->per_entry[i.term_id];
    ++entry.issues;
    ++entry.kinds[kind];
  }
}

}  // namespace

Result<AuditSummary> AuditTmxFile(const TerminologyChecker& checker, const std::string& path,
                                  const AuditOptions& options, const AuditSink& sink) {
  HELUO_RETURN_IF_ERROR(checker.CheckCollections(options.glossary_collections));
  int64_t bytes = 0;
  HELUO_RETURN_IF_ERROR(ReadTmxPairs(path, options.tm_collection, &bytes, [](TmxPair&) { return Status::Ok(); }));
  AuditSummary summary;
  HELUO_RETURN_IF_ERROR(ReadTmxPairs(path, options.tm_collection, &summary.bytes, [&](TmxPair& p) -> Status {
    if (options.cancelled && options.cancelled()) return Status::Cancelled("the audit was cancelled or ran out of time");
    if (!p.problem.empty()) {
      Skip(&summary, p, p.problem);
      return Status::Ok();
    }
    Result<std::vector<TermIssue>> issues = checker.Check(p.source, p.target, options.glossary_collections, options.check);
    if (!issues.ok()) {
      if (issues.status().code() != Status::Code::kInvalidArgument) return issues.status();
      Skip(&summary, p, issues.status().message());
      return Status::Ok();
    }
    ++summary.pairs;
    if (issues->empty()) return Status::Ok();
    Count(*issues, &summary);
    AuditedPair pair{std::move(p.id), p.line, p.column, std::move(p.source), std::move(p.target), std::move(*issues)};
    if (!sink(pair)) return Status::Cancelled("the audit stopped: its receiver went away");
    return Status::Ok();
  }));
  return summary;
}

}  // namespace heluo
