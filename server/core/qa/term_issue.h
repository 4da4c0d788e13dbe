// TermIssue: one finding of the terminology check (qa/terminology_checker.h) on a source/target pair.
#ifndef HELUO_SERVER_CORE_QA_TERM_ISSUE_H_
#define HELUO_SERVER_CORE_QA_TERM_ISSUE_H_

#include <optional>
#include <string>
#include <vector>

#include "server/core/text/normalizer.h"

namespace heluo {

enum class TermIssueKind {
  kMissingRendering,       // A source term none of whose preferred/admitted renderings is in the target.
  kDeprecatedRendering,    // The target renders a source term with a deprecated form.
  kForbiddenRendering,     // The target renders a source term with a forbidden form.
  kDoNotTranslateChanged,  // A do-not-translate term is not kept as written in the source.
  kCountMismatch,          // The term occurs more often in the source than its renderings in the target.
  kUntranslated,           // Han text left in the target.
  kFigureMismatch,         // A figure of the source missing from, or different in, the target.
};
inline constexpr int kTermIssueKindCount = 7;

enum class IssueSeverity {
  kError,    // The target is wrong as it stands.
  kWarning,  // Worth a reviewer's look; often right (a pronoun for a repeated term, a superseded form).
};

struct TermIssue {
  TermIssueKind kind = TermIssueKind::kMissingRendering;
  IssueSeverity severity = IssueSeverity::kError;
  std::string term_id;                // Empty for UNTRANSLATED and FIGURE_MISMATCH.
  std::vector<std::string> expected;  // Renderings the target should use, preferred first.
  std::string source_text;            // The source term or figure as written.
  std::string found;                  // What the target has in its place (empty when nothing was found).
  std::optional<TextSpan> source_span;
  std::optional<TextSpan> target_span;
  std::string message;  // One sentence for a person.
};

// Which checks run. All on by default.
struct TermCheckOptions {
  bool check_counts = true;
  bool check_untranslated = true;
  bool check_figures = true;
};

// "MISSING_RENDERING", … (the names the API and reports use).
const char* TermIssueKindName(TermIssueKind kind);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_TERM_ISSUE_H_
