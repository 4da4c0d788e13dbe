// How `heluo check` and `heluo audit` show terminology issues: a line per issue with the spans underlined
// in the terminal, and the rows of the TSV report.
#ifndef HELUO_CLIENT_ISSUE_OUTPUT_H_
#define HELUO_CLIENT_ISSUE_OUTPUT_H_

#include <ostream>
#include <string>

#include "heluo/v1/terminology_check.pb.h"

namespace heluo::cli {

// MISSING_RENDERING, … (the names docs/terminology-qa.md uses).
const char* IssueName(heluo::v1::TermIssueKind k);
// "error" or "warning".
const char* SeverityName(heluo::v1::TermIssueSeverity s);
// The issue, then source and target with ^ under its spans (East Asian wide characters take two columns).
void PrintIssue(const heluo::v1::TermIssue& i, const std::string& source, const std::string& target);

// The TSV report: a header, then a row per issue (tabs and line breaks in a cell become spaces).
void WriteIssueTsvHeader(std::ostream& out);
void WriteIssueTsvRow(std::ostream& out, const std::string& segment_id, long line, const heluo::v1::TermIssue& i);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_ISSUE_OUTPUT_H_
