#include "client/issue_output.h"

#include <iostream>

namespace heluo::cli {
namespace {

// Decodes UTF-8 (the server has validated it) to code points.
std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

// Terminal columns of a code point: East Asian wide and full-width characters take two.
int Columns(char32_t c) {
  const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

// The text, and under it a line of ^ under code points [begin, end).
void Underline(const char* label, const std::string& text, const heluo::v1::TextSpan& span) {
  const std::u32string cps = Decode(text);
  std::string marks;
  for (size_t i = 0; i < cps.size() && static_cast<int>(i) < span.code_point_end(); ++i) {
    const char mark = static_cast<int>(i) >= span.code_point_begin() ? '^' : ' ';
    marks.append(static_cast<size_t>(Columns(cps[i])), mark);
  }
  std::cout << "    " << label << text << "\n    " << std::string(std::char_traits<char>::length(label), ' ')
            << marks << "\n";
}

std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

const char* IssueName(heluo::v1::TermIssueKind k) {
  // TERM_ISSUE_KIND_MISSING_RENDERING → MISSING_RENDERING.
  static const std::string prefix = "TERM_ISSUE_KIND_";
  return heluo::v1::TermIssueKind_Name(k).c_str() + prefix.size();
}

const char* SeverityName(heluo::v1::TermIssueSeverity s) {
  return s == heluo::v1::TERM_ISSUE_SEVERITY_ERROR ? "error" : "warning";
}

void PrintIssue(const heluo::v1::TermIssue& i, const std::string& source, const std::string& target) {
  std::cout << SeverityName(i.severity()) << " " << IssueName(i.kind());
  if (!i.term_id().empty()) std::cout << " [" << i.term_id() << "]";
  std::cout << ": " << i.message() << "\n";
  if (i.has_source_span()) Underline("source: ", source, i.source_span());
  if (i.has_target_span()) Underline("target: ", target, i.target_span());
}

void WriteIssueTsvHeader(std::ostream& out) {
  out << "segment_id\tkind\tseverity\tterm_id\tsource_text\texpected\tfound\tmessage\tline\n";
}

void WriteIssueTsvRow(std::ostream& out, const std::string& segment_id, long line, const heluo::v1::TermIssue& i) {
  out << Cell(segment_id) << "\t" << IssueName(i.kind()) << "\t" << SeverityName(i.severity()) << "\t" << i.term_id()
      << "\t" << Cell(i.source_text()) << "\t" << Cell(i.expected().empty() ? "" : i.expected(0)) << "\t"
      << Cell(i.found()) << "\t" << Cell(i.message()) << "\t" << (line > 0 ? std::to_string(line) : "") << "\n";
}

}  // namespace heluo::cli
