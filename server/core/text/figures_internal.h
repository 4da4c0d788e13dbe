// Helpers shared by the Chinese and English figure readers (figures_zh.cc, figures_en.cc, figures.cc).
#ifndef HELUO_SERVER_CORE_TEXT_FIGURES_INTERNAL_H_
#define HELUO_SERVER_CORE_TEXT_FIGURES_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/core/text/figures.h"

namespace heluo::figures_internal {

inline bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool IsLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Whether `s` has `word` at `at`.
inline bool At(std::u32string_view s, size_t at, std::u32string_view word) {
  return at <= s.size() && s.substr(at).substr(0, word.size()) == word;
}

// Reads an Arabic number at `*i` (digits; commas before groups of exactly three digits; a decimal point
// followed by digits) and advances past it. `grouped` tells whether commas were used.
inline Decimal ReadArabic(std::u32string_view s, size_t* i, bool* grouped) {
  std::string ascii;
  size_t j = *i;
  while (j < s.size() && IsDigit(s[j])) ascii.push_back(static_cast<char>(s[j++]));
  *grouped = false;
  while (j + 3 < s.size() + 0 && s[j] == U',' && IsDigit(s[j + 1]) && IsDigit(s[j + 2]) && IsDigit(s[j + 3]) &&
         (j + 4 >= s.size() || !IsDigit(s[j + 4]))) {
    for (size_t k = 1; k <= 3; ++k) ascii.push_back(static_cast<char>(s[j + k]));
    j += 4;
    *grouped = true;
  }
  if (j + 1 < s.size() && s[j] == U'.' && IsDigit(s[j + 1])) {
    ascii.push_back('.');
    ++j;
    while (j < s.size() && IsDigit(s[j])) ascii.push_back(static_cast<char>(s[j++]));
  }
  *i = j;
  std::optional<Decimal> d = Decimal::Parse(ascii);
  return d ? *d : Decimal();
}

// The value as an integer in [lo, hi], or -1.
inline int64_t SmallInt(const Decimal& d, int64_t lo, int64_t hi) {
  std::optional<int64_t> v = d.ToInt();
  return v && *v >= lo && *v <= hi ? *v : -1;
}

inline constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};

// A range joins two figures: the first end takes what only the second one wrote (5—8万 is 5万 to 8万).
inline void JoinRange(Figure* first, Figure* second) {
  first->in_range = second->in_range = true;
  if (first->magnitude == 0 && first->unit.empty() && first->counter.empty() && first->kind == FigureKind::kNumber) {
    first->magnitude = second->magnitude;
    first->unit = second->unit;
    first->counter = second->counter;
    if (second->kind != FigureKind::kMonth && second->kind != FigureKind::kDay) first->kind = second->kind;
    first->value = first->written.Shifted(first->magnitude);
  }
}

using ReadFigure = size_t (*)(std::u32string_view s, size_t i, std::vector<Figure>* out);

// When a range mark ends at `mark_end` (> `figure_end`) and a number follows, reads the second end with
// `read` and joins it to figure `at`; returns where reading goes on.
inline size_t ReadRangeEnd(std::u32string_view s, size_t figure_end, size_t mark_end, size_t at,
                           std::vector<Figure>* out, ReadFigure read) {
  if (mark_end <= figure_end || mark_end >= s.size() || !IsDigit(s[mark_end])) return figure_end;
  const size_t next = read(s, mark_end, out);
  JoinRange(&(*out)[at], &(*out)[at + 1]);
  return next;
}

}  // namespace heluo::figures_internal

#endif  // HELUO_SERVER_CORE_TEXT_FIGURES_INTERNAL_H_
