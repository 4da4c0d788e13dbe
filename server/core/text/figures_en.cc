// Reading figures from English as written: numbers with magnitude words, currencies and units, percents,
// month names, days, ordinals and number words.
#include <array>
#include <utility>

#include "server/core/text/figures.h"
#include "server/core/text/figures_internal.h"

namespace heluo {
namespace {

using namespace figures_internal;

struct Phrase {
  std::u32string_view text;
  const char* unit;
};

constexpr std::array kUnitPhrases = {
    Phrase{U"yuan", "yuan"},          Phrase{U"US dollars", "usd"},        Phrase{U"U.S. dollars", "usd"},
    Phrase{U"dollars", "usd"},        Phrase{U"mu", "mu"},                 Phrase{U"hectares", "ha"},
    Phrase{U"kilograms", "kg"},       Phrase{U"kg", "kg"},                 Phrase{U"metric tons", "t"},
    Phrase{U"tons", "t"},             Phrase{U"tonnes", "t"},              Phrase{U"square kilometers", "km2"},
    Phrase{U"square kilometres", "km2"}, Phrase{U"square meters", "m2"},  Phrase{U"square metres", "m2"},
    Phrase{U"cubic meters", "m3"},    Phrase{U"kilometers", "km"},         Phrase{U"kilometres", "km"},
    Phrase{U"km", "km"},              Phrase{U"kilowatt-hours", "kwh"},    Phrase{U"kWh", "kwh"},
    Phrase{U"kilowatts", "kw"},       Phrase{U"kW", "kw"},                 Phrase{U"kV", "kv"},
    Phrase{U"kilovolts", "kv"},
};

constexpr std::array<std::u32string_view, 21> kNumberWords = {
    U"zero",    U"one",     U"two",       U"three",    U"four",     U"five",    U"six",
    U"seven",   U"eight",   U"nine",      U"ten",      U"eleven",   U"twelve",  U"thirteen",
    U"fourteen", U"fifteen", U"sixteen",  U"seventeen", U"eighteen", U"nineteen", U"twenty"};
constexpr std::array<std::u32string_view, 21> kOrdinalWords = {
    U"zeroth",     U"first",      U"second",      U"third",      U"fourth",     U"fifth",     U"sixth",
    U"seventh",    U"eighth",     U"ninth",       U"tenth",      U"eleventh",   U"twelfth",   U"thirteenth",
    U"fourteenth", U"fifteenth",  U"sixteenth",   U"seventeenth", U"eighteenth", U"nineteenth", U"twentieth"};

// `word` at `at`, case-insensitively for ASCII, ending at a word boundary.
bool WordAt(std::u32string_view s, size_t at, std::u32string_view word) {
  if (at + word.size() > s.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    char32_t a = s[at + k], b = word[k];
    if (a >= U'A' && a <= U'Z') a += 32;
    if (b >= U'A' && b <= U'Z') b += 32;
    if (a != b) return false;
  }
  return at + word.size() == s.size() || !IsLetter(s[at + word.size()]);
}

// Whether the text before `at` ends with `phrase` (case-insensitive) at a word start.
bool EndsBefore(std::u32string_view s, size_t at, std::u32string_view phrase) {
  return at >= phrase.size() && WordAt(s.substr(0, at), at - phrase.size(), phrase) &&
         (at == phrase.size() || !IsLetter(s[at - phrase.size() - 1]));
}

void ReadApproxBefore(std::u32string_view s, Figure* f) {
  for (auto [phrase, approx] :
       {std::pair{std::u32string_view(U"more than "), Approximation::kMoreThan}, {U"over ", Approximation::kMoreThan},
        {U"nearly ", Approximation::kNearly}, {U"almost ", Approximation::kNearly}, {U"about ", Approximation::kAbout},
        {U"around ", Approximation::kAbout}, {U"up to ", Approximation::kWithin}, {U"within ", Approximation::kWithin}}) {
    if (EndsBefore(s, f->begin, phrase)) {
      f->approx = approx;
      return;
    }
  }
}

size_t ReadNumberFigure(std::u32string_view s, size_t i, std::vector<Figure>* out) {
  Figure f;
  f.number_begin = static_cast<uint32_t>(i);
  f.begin = f.number_begin;
  if (i >= 3 && s.substr(i - 3, 3) == U"US$") {
    f.unit = "usd";
    f.begin -= 3;
  } else if (i >= 1 && s[i - 1] == U'$') {
    f.unit = "usd";
    f.begin -= 1;
  } else if (EndsBefore(s, i, U"RMB ")) {
    f.unit = "yuan";
  }
  size_t j = i;
  f.written = ReadArabic(s, &j, &f.grouped);
  f.number_end = f.magnitude_end = static_cast<uint32_t>(j);
  if (!out->empty() && out->back().kind == FigureKind::kMonth && !out->back().words && out->back().end + 1 == i &&
      s[i - 1] == U' ' && SmallInt(f.written, 1, 31) >= 0) {
    f.kind = FigureKind::kDay;  // "April 28".
  }
  for (std::u32string_view suffix : {U"st", U"nd", U"rd", U"th"}) {
    if (f.kind == FigureKind::kNumber && WordAt(s, j, suffix)) {
      f.kind = FigureKind::kOrdinal;
      j += 2;
      f.number_end = f.magnitude_end = static_cast<uint32_t>(j);
    }
  }
  if (j < s.size() && s[j] == U'%') {
    f.kind = FigureKind::kPercent;
    ++j;
  } else if (f.kind == FigureKind::kNumber) {
    for (auto [word, power] : {std::pair{std::u32string_view(U"trillion"), 12}, {U"billion", 9}, {U"million", 6},
                               {U"thousand", 3}}) {
      if (j < s.size() && s[j] == U' ' && WordAt(s, j + 1, word)) {
        f.magnitude = power;
        j += 1 + word.size();
        f.magnitude_end = static_cast<uint32_t>(j);
        break;
      }
    }
    if (j < s.size() && s[j] == U' ') {
      if (WordAt(s, j + 1, U"percent") || WordAt(s, j + 1, U"per cent")) {
        f.kind = FigureKind::kPercent;
        j += WordAt(s, j + 1, U"percent") ? 8 : 9;
      } else if (WordAt(s, j + 1, U"percentage points") || WordAt(s, j + 1, U"percentage point")) {
        f.kind = FigureKind::kPercentagePoints;
        j += WordAt(s, j + 1, U"percentage points") ? 18 : 17;
      } else {
        for (const Phrase& p : kUnitPhrases) {
          if (WordAt(s, j + 1, p.text)) {
            f.unit = p.unit;
            j += 1 + p.text.size();
            break;
          }
        }
      }
    }
  }
  f.value = f.written.Shifted(f.magnitude);
  f.end = static_cast<uint32_t>(j);
  ReadApproxBefore(s, &f);
  if (WordAt(s, j, U" or more")) f.approx = Approximation::kOrMore;
  const size_t at = out->size();
  out->push_back(std::move(f));
  size_t k = j;
  if (k < s.size() && (s[k] == U'-' || s[k] == U'–' || s[k] == U'—')) {
    ++k;
  } else if (WordAt(s, k, U" to ")) {
    k += 4;
  }
  return ReadRangeEnd(s, j, k, at, out, ReadNumberFigure);
}

// The word of ASCII letters starting at `at` (empty when none starts there).
std::u32string_view WordFrom(std::u32string_view s, size_t at) {
  size_t j = at;
  while (j < s.size() && IsLetter(s[j])) ++j;
  return s.substr(at, j - at);
}

bool IsLower(char32_t c) { return c >= U'a' && c <= U'z'; }

// Whether `at` starts a sentence: nothing but spaces between it and the text start or a full stop, ! or ?.
bool AtSentenceStart(std::u32string_view s, size_t at) {
  while (at > 0 && s[at - 1] == U' ') --at;
  return at == 0 || s[at - 1] == U'.' || s[at - 1] == U'!' || s[at - 1] == U'?';
}

// Whether `at` is inside quotation marks (a slogan or label such as "Three Ones" or "one hall, one window").
bool InQuotes(std::u32string_view s, size_t at) {
  bool open = false;
  for (size_t k = 0; k < at; ++k) {
    if (s[k] == U'"')
      open = !open;
    else if (s[k] == U'\u201C')
      open = true;
    else if (s[k] == U'\u201D')
      open = false;
  }
  return open;
}

// Whether the number word one..ten at [i, j) stands as a count in running text ("two new projects", "Ten
// towns …" at a sentence start), the house style's spelling of a small figure. Everything else stays a
// recognised word, never rewritten: names and slogans ("the Two Centennial Goals", "Three Ones" in
// quotes), compounds ("one-stop", "five-year"), pronouns and partitives ("no one", "one of the", "one in
// the"), "two or more", "one hundred". When in doubt it is not a count: a figure then goes unrewritten and
// is reported, never rewritten wrongly.
bool StandsAsCount(std::u32string_view s, size_t i, size_t j, int64_t value) {
  if (i > 0 && (s[i - 1] == U'-' || s[i - 1] == U'\'' || s[i - 1] == U'"' || s[i - 1] == U'\u2018' ||
                s[i - 1] == U'\u201C')) {
    return false;
  }
  if (!IsLower(s[i]) && !AtSentenceStart(s, i)) return false;  // "Two Centennial Goals" mid-sentence: a name.
  // A word follows: lower case, or for a lower-case number a name used as an adjective ("two Luoyang-level
  // enterprises", "four "Leyangju" centers"; not after "one": "one "tough nut" after another").
  if (j + 1 >= s.size() || s[j] != U' ') return false;
  const char32_t c = s[j + 1];
  const bool name_follows = IsLower(s[i]) && ((c >= U'A' && c <= U'Z') || (c == U'"' && value != 1));
  if (!IsLower(c) && !name_follows) return false;
  const std::u32string_view next = WordFrom(s, j + 1);
  // "two or more towns" (2个以上): a count; the caller reads the or-more.
  const bool or_more = next == U"or" && WordAt(s, j + 4, U"more") && j + 9 < s.size() && s[j + 8] == U' ' &&
                       IsLower(s[j + 9]);
  static constexpr std::u32string_view kNotNouns[] = {
      U"of",        U"or",      U"and",      U"to",      U"in",    U"on",   U"at",      U"by",
      U"for",       U"from",    U"with",     U"that",    U"which", U"who",  U"whom",    U"another",
      U"the",       U"a",       U"an",       U"more",    U"less",  U"than", U"hundred", U"thousand",
      U"million",   U"billion", U"trillion", U"percent", U"per",   U"is",   U"was",     U"are",
      U"were",      U"be",      U"has",      U"have",    U"had",   U"will", U"would",   U"can",
      U"could",     U"should",  U"must",     U"may",     U"such",  U"as",   U"if",      U"nor",
      U"but",       U"so",      U"its",      U"their",   U"our",   U"half", U"quarter", U"third",
      U"percentage"};
  for (std::u32string_view w : kNotNouns) {
    if (next == w && !or_more) return false;
  }
  for (std::u32string_view w : kNumberWords) {
    if (next == w) return false;  // "twenty one", "one two three".
  }
  if (value == 1) {
    for (std::u32string_view w : {U"no ", U"any ", U"every ", U"each ", U"some ", U"this ", U"that "}) {
      if (EndsBefore(s, i, w)) return false;
    }
  }
  return !InQuotes(s, i);
}

// A word at `i` (a letter after a non-letter): a month name (capitalised), a number or ordinal word.
size_t ReadWordFigure(std::u32string_view s, size_t i, std::vector<Figure>* out) {
  size_t j = i;
  while (j < s.size() && IsLetter(s[j])) ++j;
  const std::u32string_view word = s.substr(i, j - i);
  Figure f;
  f.begin = f.number_begin = static_cast<uint32_t>(i);
  f.end = f.number_end = f.magnitude_end = static_cast<uint32_t>(j);
  for (int m = 0; m < 12; ++m) {
    const std::string_view name = kMonthNames[m];
    if (word.size() == name.size() && std::equal(word.begin(), word.end(), name.begin())) {
      f.kind = FigureKind::kMonth;
      f.written = f.value = Decimal::FromInt(static_cast<uint64_t>(m + 1));
      f.month_end = EndsBefore(s, i, U"end of ") || EndsBefore(s, i, U"end of the ");
      out->push_back(std::move(f));
      return j;
    }
  }
  for (size_t n = 0; n < kNumberWords.size(); ++n) {
    const bool ordinal = WordAt(s, i, kOrdinalWords[n]) && word.size() == kOrdinalWords[n].size();
    if (ordinal || (WordAt(s, i, kNumberWords[n]) && word.size() == kNumberWords[n].size())) {
      f.kind = ordinal ? FigureKind::kOrdinal : FigureKind::kNumber;
      f.written = f.value = Decimal::FromInt(n);
      f.spelled = !ordinal && n >= 1 && n <= 10 && StandsAsCount(s, i, j, static_cast<int64_t>(n));
      f.words = !f.spelled;
      f.sentence_start = f.spelled && !IsLower(s[i]);
      if (f.spelled) {
        ReadApproxBefore(s, &f);
        if (WordAt(s, j, U" or more")) f.approx = Approximation::kOrMore;
      }
      out->push_back(std::move(f));
      return j;
    }
  }
  return j;
}

}  // namespace

std::vector<Figure> ParseEnglishFigures(std::u32string_view s) {
  std::vector<Figure> out;
  for (size_t i = 0; i < s.size();) {
    const bool word_start = i == 0 || !(IsLetter(s[i - 1]) || IsDigit(s[i - 1]));
    if (IsDigit(s[i]) && (word_start || s[i - 1] == U'$')) {
      i = ReadNumberFigure(s, i, &out);
    } else if (IsLetter(s[i]) && word_start) {
      i = ReadWordFigure(s, i, &out);
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace heluo
