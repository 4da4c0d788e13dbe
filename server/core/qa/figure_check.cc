#include "server/core/qa/figure_check.h"

#include "server/core/text/figures.h"

namespace heluo {
namespace {

bool InTerm(const std::vector<TermHit>& terms, const Figure& f) {
  for (const TermHit& h : terms) {
    if (f.begin < h.key_end && h.key_begin < f.end) return true;
  }
  return false;
}

std::string Slice(const std::u32string& s, const TextSpan& span) {
  return EncodeUtf8(std::u32string_view(s).substr(span.cp_begin, span.cp_end - span.cp_begin));
}

TextSpan SpanOf(const NormalizedText& text, uint32_t cp_begin, uint32_t cp_end) {
  return TextSpan{cp_begin, cp_end, text.utf16_offset[cp_begin], text.utf16_offset[cp_end]};
}

bool IsLatin(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Digits glued to Latin letters (PM2.5, PM10, G20) are part of a code, not an amount: the code must be in
// the target as written (folded), whatever the figure parsers make of it.
bool CodeKeptInTarget(const NormalizedText& source, const Figure& f, const NormalizedText& target) {
  uint32_t begin = f.number_begin;
  while (begin > 0 && IsLatin(source.key[begin - 1])) --begin;
  if (begin == f.number_begin) return false;
  const std::u32string_view code = std::u32string_view(source.key).substr(begin, f.number_end - begin);
  for (size_t at = target.key.find(code); at != std::u32string::npos; at = target.key.find(code, at + 1)) {
    const size_t end = at + code.size();
    const bool bounded = (at == 0 || !IsLatin(target.key[at - 1])) &&
                         (end == target.key.size() || !(target.key[end] >= U'0' && target.key[end] <= U'9'));
    if (bounded) return true;
  }
  return false;
}

}  // namespace

void CheckFigures(const NormalizedText& source, const NormalizedText& target, const std::vector<TermHit>& source_terms,
                  std::vector<TermIssue>* issues) {
  std::vector<Figure> zh;
  for (Figure& f : ParseChineseFigures(source.key)) {
    if (f.words || !f.has_value || InTerm(source_terms, f) || CodeKeptInTarget(source, f, target)) continue;
    zh.push_back(std::move(f));
  }
  if (zh.empty()) return;
  const std::vector<Figure> en = ParseEnglishFigures(target.original);
  const std::vector<int> aligned = AlignFigures(zh, en);
  std::vector<bool> used(en.size(), false);
  for (int k : aligned) {
    if (k >= 0) used[static_cast<size_t>(k)] = true;
  }
  // A missing figure is shown against the next digit figure nobody claimed, in order: where a translator
  // wrote "1.78 billion" for 178亿, that is the figure they got wrong.
  size_t next_unused = 0;
  for (size_t i = 0; i < zh.size(); ++i) {
    if (aligned[i] >= 0) continue;
    TermIssue issue;
    issue.kind = TermIssueKind::kFigureMismatch;
    issue.severity = IssueSeverity::kError;
    issue.source_span = source.OriginalSpan(zh[i].begin, zh[i].end);
    issue.source_text = Slice(source.original, *issue.source_span);
    issue.expected.push_back(DescribeInEnglish(zh[i]));
    while (next_unused < en.size() && (used[next_unused] || en[next_unused].words)) ++next_unused;
    if (next_unused < en.size()) {
      const Figure& wrong = en[next_unused];
      used[next_unused] = true;
      issue.target_span = SpanOf(target, wrong.begin, wrong.end);
      issue.found = Slice(target.original, *issue.target_span);
      issue.message = "the figure " + issue.source_text + " (" + issue.expected[0] + ") is not in the target; it has \"" +
                      issue.found + "\" instead";
    } else {
      issue.message = "the figure " + issue.source_text + " (" + issue.expected[0] + ") is not in the target";
    }
    issues->push_back(std::move(issue));
  }
}

}  // namespace heluo
