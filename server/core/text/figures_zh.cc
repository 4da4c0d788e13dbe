// Reading figures from Chinese (a folded key): Arabic numbers with magnitudes, units and marks, and
// Chinese numerals.
#include <array>
#include <utility>

#include "server/core/text/figures.h"
#include "server/core/text/figures_internal.h"
#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

using namespace figures_internal;

struct Word {
  std::u32string_view text;
  const char* unit;  // Canonical measurement unit, or nullptr for a counter (measure word).
};

// Longest first where one is a prefix of another.
constexpr std::array kUnits = {
    Word{U"美元", "usd"},   Word{U"元", "yuan"},     Word{U"亩", "mu"},         Word{U"公顷", "ha"},
    Word{U"公斤", "kg"},    Word{U"千克", "kg"},     Word{U"吨", "t"},          Word{U"平方公里", "km2"},
    Word{U"平方米", "m2"},  Word{U"立方米", "m3"},   Word{U"公里", "km"},       Word{U"千米", "km"},
    Word{U"千瓦", "kw"},    Word{U"人次", nullptr},  Word{U"个月", nullptr},    Word{U"个", nullptr},
    Word{U"家", nullptr},   Word{U"件", nullptr},    Word{U"户", nullptr},      Word{U"座", nullptr},
    Word{U"条", nullptr},   Word{U"所", nullptr},    Word{U"项", nullptr},      Word{U"名", nullptr},
    Word{U"人", nullptr},   Word{U"次", nullptr},    Word{U"辆", nullptr},      Word{U"套", nullptr},
    Word{U"间", nullptr},   Word{U"处", nullptr},    Word{U"台", nullptr},      Word{U"株", nullptr},
    Word{U"棵", nullptr},   Word{U"栋", nullptr},    Word{U"幢", nullptr},      Word{U"场", nullptr},
    Word{U"批", nullptr},   Word{U"支", nullptr},    Word{U"只", nullptr},      Word{U"头", nullptr},
    Word{U"张", nullptr},   Word{U"篇", nullptr},    Word{U"份", nullptr},      Word{U"部", nullptr},
    Word{U"天", nullptr},   Word{U"岁", nullptr},    Word{U"位", nullptr},      Word{U"种", nullptr},
    Word{U"类", nullptr},   Word{U"届", nullptr},    Word{U"期", nullptr},      Word{U"轮", nullptr},
    Word{U"村", nullptr},    Word{U"镇", nullptr},      Word{U"倍", nullptr},
    Word{U"床", nullptr},   Word{U"千瓦时", "kwh"},  Word{U"千伏", "kv"},
};

bool IsNumeralDigit(char32_t c) { return std::u32string_view(U"〇零一二三四五六七八九两").find(c) != std::u32string_view::npos; }
bool IsNumeralUnit(char32_t c) { return std::u32string_view(U"十百千万亿").find(c) != std::u32string_view::npos; }
int NumeralDigit(char32_t c) {
  constexpr std::u32string_view kDigits = U"〇一二三四五六七八九";
  if (c == U'零') return 0;
  if (c == U'两') return 2;
  return static_cast<int>(kDigits.find(c));
}

// The Chinese magnitude at `*j` (万亿, 亿, 万, 千万, 百万, 千 but not 千米/千克/千瓦): its power of ten.
int ReadMagnitude(std::u32string_view s, size_t* j) {
  for (auto [word, power] : {std::pair{std::u32string_view(U"万亿"), 12}, {U"千万", 7}, {U"百万", 6},
                             {U"亿", 8}, {U"万", 4}}) {
    if (At(s, *j, word)) {
      *j += word.size();
      return power;
    }
  }
  if (At(s, *j, U"千") && !(At(s, *j + 1, U"米") || At(s, *j + 1, U"克") || At(s, *j + 1, U"瓦") || At(s, *j + 1, U"伏"))) {
    ++*j;
    return 3;
  }
  return 0;
}

bool ReadMore(std::u32string_view s, size_t* j, Figure* f) {
  if (*j < s.size() && (s[*j] == U'余' || s[*j] == U'多')) {
    f->approx = Approximation::kMoreThan;
    ++*j;
    return true;
  }
  return false;
}

// What follows the number and its magnitude: unit or counter, kind (%, 个百分点, 年, 月, 日), marks.
void ReadTail(std::u32string_view s, size_t* j, Figure* f) {
  ReadMore(s, j, f);
  if (At(s, *j, U"个百分点") || At(s, *j, U"百分点")) {
    f->kind = FigureKind::kPercentagePoints;
    *j += At(s, *j, U"个") ? 4 : 3;
  } else if (At(s, *j, U"%")) {
    f->kind = FigureKind::kPercent;
    ++*j;
  } else if (At(s, *j, U"周年")) {
    f->kind = FigureKind::kOrdinal;  // 建党100周年: "the 100th anniversary".
    f->counter = "周年";
    *j += 2;
  } else if (At(s, *j, U"年")) {
    if (f->magnitude == 0 && !f->grouped && SmallInt(f->written, 1000, 2999) >= 0 && f->kind != FigureKind::kOrdinal) {
      f->kind = FigureKind::kYear;
    } else {
      f->counter = "年";
    }
    ++*j;
  } else if (At(s, *j, U"月") && f->magnitude == 0 && SmallInt(f->written, 1, 12) >= 0 &&
             f->kind != FigureKind::kOrdinal) {
    f->kind = FigureKind::kMonth;
    ++*j;
    if (At(s, *j, U"底")) {
      f->month_end = true;
      ++*j;
    }
  } else if ((At(s, *j, U"日") || At(s, *j, U"号")) && f->magnitude == 0 && SmallInt(f->written, 1, 31) >= 0) {
    f->kind = FigureKind::kDay;
    ++*j;
  } else {
    for (const Word& w : kUnits) {
      if (!At(s, *j, w.text)) continue;
      // 千瓦时 before 千瓦: the table lists the shorter first only where the longer is rare; check it here.
      if (w.text == U"千瓦" && At(s, *j, U"千瓦时")) continue;
      if (w.unit) f->unit = w.unit;
      f->counter = w.unit ? "" : EncodeUtf8(w.text);
      *j += w.text.size();
      break;
    }
  }
  for (auto [word, approx] : {std::pair{std::u32string_view(U"左右"), Approximation::kAbout},
                              {U"以上", Approximation::kOrMore}, {U"以内", Approximation::kWithin},
                              {U"以下", Approximation::kWithin}}) {
    if (At(s, *j, word)) {
      f->approx = approx;
      *j += word.size();
      break;
    }
  }
}

// Marks before the number: 第 (ordinal), 近, 约, 超过/超, 逾.
void ReadHead(std::u32string_view s, Figure* f) {
  size_t b = f->begin;
  if (b >= 1 && s[b - 1] == U'第') {
    f->kind = FigureKind::kOrdinal;
    f->begin = static_cast<uint32_t>(--b);
  }
  for (auto [word, approx] : {std::pair{std::u32string_view(U"超过"), Approximation::kMoreThan},
                              {U"超", Approximation::kMoreThan}, {U"逾", Approximation::kMoreThan},
                              {U"近", Approximation::kNearly}, {U"约", Approximation::kAbout}}) {
    if (b >= word.size() && s.substr(b - word.size(), word.size()) == word) {
      f->approx = approx;
      f->begin = static_cast<uint32_t>(b - word.size());
      break;
    }
  }
}

bool IsRangeMark(char32_t c) { return std::u32string_view(U"—–-~至到").find(c) != std::u32string_view::npos; }

// One Arabic figure at `i` (and the second end when it starts a range); returns the index after it.
size_t ReadArabicFigure(std::u32string_view s, size_t i, std::vector<Figure>* out) {
  Figure f;
  f.begin = f.number_begin = static_cast<uint32_t>(i);
  size_t j = i;
  f.written = ReadArabic(s, &j, &f.grouped);
  f.number_end = static_cast<uint32_t>(j);
  ReadHead(s, &f);
  ReadMore(s, &j, &f);
  f.magnitude = ReadMagnitude(s, &j);
  f.magnitude_end = static_cast<uint32_t>(j);
  f.value = f.written.Shifted(f.magnitude);
  ReadTail(s, &j, &f);
  f.end = static_cast<uint32_t>(j);
  const size_t at = out->size();
  out->push_back(std::move(f));
  size_t k = j;
  while (k < s.size() && IsRangeMark(s[k]) && k - j < 2) ++k;  // "——" is one mark.
  return ReadRangeEnd(s, j, k, at, out, ReadArabicFigure);
}

// Chinese numerals at `i`; returns the index after them. A lone 一 (一般, 统一, 进一步) and lone
// magnitude characters (万安山, 百园) are words, not figures.
size_t ReadNumerals(std::u32string_view s, size_t i, std::vector<Figure>* out) {
  size_t j = i;
  bool has_digit = false;
  while (j < s.size() && (IsNumeralDigit(s[j]) || IsNumeralUnit(s[j]))) has_digit |= IsNumeralDigit(s[j++]);
  const std::u32string_view run = s.substr(i, j - i);
  const bool ordinal = i >= 1 && s[i - 1] == U'第';
  if ((run == U"一" && !ordinal) || (!has_digit && run != U"十")) return j;
  Figure f;
  f.words = true;
  f.begin = f.number_begin = static_cast<uint32_t>(i);
  f.number_end = f.magnitude_end = static_cast<uint32_t>(j);
  // Digits only (二〇二一): positional. Otherwise sections of 万 and 亿 with 十/百/千 inside.
  bool positional = run.size() > 1;
  for (char32_t c : run) positional &= IsNumeralDigit(c);
  uint64_t total = 0, section = 0, digit = 0;
  bool pending = false;
  for (char32_t c : run) {
    if (positional) {
      total = total * 10 + static_cast<uint64_t>(NumeralDigit(c));
    } else if (IsNumeralDigit(c)) {
      if (pending && NumeralDigit(c) != 0) f.has_value = false;  // 十三五: two digits in a row.
      digit = static_cast<uint64_t>(NumeralDigit(c));
      pending = NumeralDigit(c) != 0;
    } else if (c == U'万' || c == U'亿') {
      const uint64_t scale = c == U'万' ? 10000 : 100000000;
      total = (total + section + digit) * scale;
      section = digit = 0;
      pending = false;
    } else {
      const uint64_t scale = c == U'十' ? 10 : c == U'百' ? 100 : 1000;
      section += (pending || digit > 0 ? digit : 1) * scale;
      digit = 0;
      pending = false;
    }
  }
  total += section + digit;
  f.written = f.value = Decimal::FromInt(total);
  ReadHead(s, &f);
  ReadTail(s, &j, &f);
  f.end = static_cast<uint32_t>(j);
  out->push_back(std::move(f));
  return j;
}

}  // namespace

std::vector<Figure> ParseChineseFigures(std::u32string_view s) {
  std::vector<Figure> out;
  for (size_t i = 0; i < s.size();) {
    if (IsDigit(s[i])) {
      i = ReadArabicFigure(s, i, &out);
    } else if (IsNumeralDigit(s[i]) || IsNumeralUnit(s[i])) {
      i = ReadNumerals(s, i, &out);
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace heluo
