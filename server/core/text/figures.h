// Figures: the one model of numbers in heluo's texts, used by placeable matching and substitution
// (tm/placeables) and by figure checks. A figure is a number with what it counts — a magnitude (万 10^4,
// 亿 10^8, 万亿 10^12, 千; billion, million…), a unit (元/yuan, 亩/mu, 公斤/kilograms…) or a kind (percent,
// percentage points, year, month, day, ordinal) — and an approximation (余 "more than", 近 "nearly"…).
//
// Chinese is read from a folded key (text/normalizer.h: full-width digits and ％：are already ASCII);
// English from the text as written (month names are capitalised; "may" is not May). Every run of Arabic
// digits is exactly one figure, so figure i of a text is its i-th number. Chinese numerals (五连增, 十大,
// 一百二十六) and English number words (three, eighth) are figures too, marked `words`: recognised, so a
// check can see them, never rewritten.
//
// Values are exact (text/decimal.h): 178亿 and "17.8 billion" are both 17800000000, 2.2亿 equals 22000万.
#ifndef HELUO_SERVER_CORE_TEXT_FIGURES_H_
#define HELUO_SERVER_CORE_TEXT_FIGURES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/text/decimal.h"

namespace heluo {

enum class FigureKind : uint8_t {
  kNumber,            // A count or amount: 130个, 178亿元, "17.8 billion yuan", "12,200 mu".
  kPercent,           // 57.8%, "8 percent", "57.8%".
  kPercentagePoints,  // 2个百分点, "2 percentage points".
  kYear,              // 2021年; English years are plain numbers (kNumber renders kYear).
  kMonth,             // 5月, 8月底; "May", "the end of June".
  kDay,               // 28日; "April 28".
  kOrdinal,           // 第8届, 第八届; "8th", "eighth".
};

enum class Approximation : uint8_t {
  kExact,
  kMoreThan,  // 余, 多, 超过; "more than", "over".
  kNearly,    // 近; "nearly", "almost".
  kAbout,     // 约, 左右; "about", "around".
  kOrMore,    // 以上; "or more".
  kWithin,    // 以内, 以下; "within", "up to".
};

struct Figure {
  FigureKind kind = FigureKind::kNumber;
  bool has_value = true;   // False only for Chinese numerals that are not a well-formed number (十三五).
  Decimal value;           // What the figure denotes: the number × its magnitude (17.8亿 → 1780000000).
  Decimal written;         // The number as written, without the magnitude (17.8).
  int magnitude = 0;       // Power of ten of the magnitude word (亿 8, 万亿 12, billion 9); 0 without one.
  std::string unit;        // Measurement unit, canonical: "yuan", "usd", "mu", "kg", "t", "km", "m2", "km2",
                           // "m3", "kw", "ha"; empty for counts (个, 家, 人 … are `counter`).
  std::string counter;     // Chinese measure word after the figure (个, 家, 人, 项, 年 …), as written.
  Approximation approx = Approximation::kExact;
  bool words = false;      // Chinese numerals or English number words: recognised, never rewritten.
  bool spelled = false;    // An English count one..ten spelled out in running text as the house style wants
                           // ("two new projects"; "Ten towns" at a sentence start): rewritten in the same
                           // style (RenderLike). Number words in names, compounds and pronouns are `words`.
  bool sentence_start = false;  // A `spelled` figure starting a sentence (capitalised: "Six units …").
  bool grouped = false;    // Written with thousands commas ("12,200").
  bool in_range = false;   // One end of a range (5—8万, 3至5年, "5-8 million"); the first end takes the
                           // magnitude and unit of the second when it has none of its own.
  bool month_end = false;  // 8月底, 6月底前; "the end of June".
  // Spans in code points of the parsed text, end exclusive. [begin, end) is the whole figure with its
  // magnitude, unit and approximation marks; [number_begin, number_end) the number as written (or the
  // month name); [number_begin, magnitude_end) the number with its magnitude word, the part a
  // substitution rewrites ("17.8 billion" in "17.8 billion yuan").
  uint32_t begin = 0, end = 0;
  uint32_t number_begin = 0, number_end = 0, magnitude_end = 0;
};

// The figures of a Chinese text, in order. Pass the folded key (NormalizedText::key).
std::vector<Figure> ParseChineseFigures(std::u32string_view key);
// The figures of an English text as written, in order.
std::vector<Figure> ParseEnglishFigures(std::u32string_view text);

// Whether `english` can be the rendering of `chinese`: equal values (month for month, 178亿 for
// "17.8 billion"), compatible kinds and units (a unit on only one side is compatible; 元 is not US$).
// A `spelled` count ("two") renders only a count without a unit (2个, 2家, 2所): the house style keeps
// figures with units, percents and dates.
bool Renders(const Figure& english, const Figure& chinese);

// Pairs each Chinese figure with the English figure that renders it: result[i] is an index into `english`
// or -1. In order, each English figure used once; English number words that are not spelled counts (names,
// slogans, compounds: "the "Two Healthy Developments"", "five-year") stand in only when no figure or
// spelled count does, so they neither take a figure's place nor hide a missing one.
std::vector<int> AlignFigures(const std::vector<Figure>& chinese, const std::vector<Figure>& english);

// The English that replaces text[like.number_begin, like.magnitude_end) so that the figure renders
// `chinese` (a Chinese figure of the same kind as the one `like` rendered) in the style `like` was
// written in: the same magnitude word while the number stays readable with it (17.8 billion → 18 billion;
// else billion ≥ 10^9, million ≥ 10^6, as the report's conventions say), grouping commas as the target
// used them (and from 10,000 up), decimals only as many as the value needs. Nothing when it cannot be
// rendered (words, a Chinese numeral, a month outside 1..12). A `spelled` count stays a word for 1..9
// ("two" → "five", "Two" → "Five") and becomes digits from 10 ("two" → "12", "1,300"); at a sentence
// start, where the house style forbids a numeral, it is recast ("Six units" → "A total of 16 units").
// Not when the value moves between one and more than one, where the noun after it changes number
// ("one project" → "two projects"), unless the caller has made that noun plural (`noun_made_plural`,
// text/counted_noun.h; one → more only). Then, when `why_not` is given, it says why in a phrase that
// completes "the stored target writes 2个 as "two", …".
std::optional<std::u32string> RenderLike(const Figure& like, const Figure& chinese,
                                         std::string* why_not = nullptr, bool noun_made_plural = false);

// Plain English for a Chinese figure's value, for messages: "17.8 billion", "5,000", "57.8%", "June".
std::string DescribeInEnglish(const Figure& chinese);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_FIGURES_H_
