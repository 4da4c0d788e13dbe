// Comparing and rendering figures (reading them is in figures_zh.cc and figures_en.cc).
#include "server/core/text/figures.h"

#include "server/core/text/figures_internal.h"
#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

using namespace figures_internal;

// Weights the Chinese gives in 公斤 the English writes in tonnes (data/tm/CONVENTIONS.md: 2.98亿公斤 =
// 298,000 tonnes).
bool InTonnes(const Figure& english, const Figure& chinese) {
  return english.unit == "t" && chinese.unit == "kg";
}

bool KindsCompatible(FigureKind english, FigureKind chinese) {
  if (english == chinese) return true;
  return english == FigureKind::kNumber && (chinese == FigureKind::kYear || chinese == FigureKind::kDay);
}

const char* MagnitudeWord(int power) {
  switch (power) {
    case 12: return "trillion";
    case 9: return "billion";
    case 6: return "million";
    case 3: return "thousand";
    default: return "";
  }
}

// The English magnitude the report's conventions pick for a value: billion from 10^9, million from 10^6.
int ConventionalPower(const Decimal& v) {
  if (v.IsZero()) return 0;
  const int lead = v.LeadingPower();
  return lead >= 12 ? 12 : lead >= 9 ? 9 : lead >= 6 ? 6 : 0;
}

std::string Plain(const Decimal& x, bool grouped_before) {
  const bool group = !x.IsZero() && (x.LeadingPower() >= 4 || (grouped_before && x.LeadingPower() >= 3));
  return group ? x.ToGroupedString() : x.ToString();
}

std::string OrdinalSuffix(int64_t n) {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
  }
}

// The number (and magnitude word) for a kNumber value, keeping `power` when the number stays readable.
std::string NumberWithMagnitude(const Decimal& v, int power, bool grouped_before, bool chinese_had_magnitude) {
  const Decimal x = v.Shifted(-power);
  const bool keep = power > 0 && x.Compare(Decimal::FromInt(1)) >= 0 &&
                    (power == 12 || x.Compare(Decimal::FromInt(1000)) < 0);
  if (!keep) power = power > 0 || chinese_had_magnitude ? ConventionalPower(v) : 0;
  // A converted 万 figure is written like the report writes them (4.4万 → 44,000), grouped from 1,000.
  const std::string digits = Plain(v.Shifted(-power), grouped_before || (power == 0 && chinese_had_magnitude));
  return power > 0 ? digits + " " + MagnitudeWord(power) : digits;
}

// A figure rendered in digits like `like`; empty when it cannot be.
std::string RenderDigits(const Figure& like, const Figure& chinese) {
  std::string out;
  switch (like.kind) {
    case FigureKind::kMonth: {
      const int64_t m = SmallInt(chinese.value, 1, 12);
      if (m < 0) return "";
      out = kMonthNames[m - 1];
      break;
    }
    case FigureKind::kOrdinal: {
      const int64_t n = SmallInt(chinese.value, 1, 1000000);
      if (n < 0) return "";
      out = std::to_string(n) + OrdinalSuffix(n);
      break;
    }
    case FigureKind::kDay:
    case FigureKind::kYear:
      out = chinese.value.ToString();
      break;
    case FigureKind::kPercent:
    case FigureKind::kPercentagePoints:
      out = Plain(chinese.value, like.grouped);
      break;
    case FigureKind::kNumber:
      if (chinese.kind == FigureKind::kYear || chinese.kind == FigureKind::kDay) {
        out = chinese.value.ToString();
      } else {
        const Decimal v = InTonnes(like, chinese) ? chinese.value.Shifted(-3) : chinese.value;
        out = NumberWithMagnitude(v, like.magnitude, like.grouped, chinese.magnitude > 0);
      }
      break;
  }
  return out;
}

constexpr const char* kSmallWords[] = {"one", "two",   "three", "four", "five",
                                       "six", "seven", "eight", "nine"};

// A figure rendered like the `spelled` count `like` (see RenderLike); false with the reason when it cannot
// be.
bool SpellLike(const Figure& like, const Figure& chinese, bool noun_made_plural, std::string* out,
               std::string* why_not) {
  const Decimal one = Decimal::FromInt(1);
  const bool singular_changes = (like.value == one) != (chinese.value == one);
  if (singular_changes && !(noun_made_plural && like.value == one)) {
    if (why_not)
      *why_not =
          "and the noun after it would have to change between singular and plural, which heluo does not "
          "attempt";
    return false;
  }
  const int64_t n = SmallInt(chinese.value, 1, 9);
  if (n > 0) {
    *out = kSmallWords[n - 1];
    if (like.sentence_start) (*out)[0] = static_cast<char>((*out)[0] - 'a' + 'A');
    return true;
  }
  // No numeral may start a sentence: the house style's recast (data/tm/CONVENTIONS.md), which keeps the
  // noun and the verb as they were ("Six units were …" → "A total of 16 units were …").
  *out = (like.sentence_start ? "A total of " : "") + NumberWithMagnitude(chinese.value, 0, true, chinese.magnitude > 0);
  return true;
}
}  // namespace

bool Renders(const Figure& english, const Figure& chinese) {
  if (!chinese.has_value || !english.has_value || !KindsCompatible(english.kind, chinese.kind)) return false;
  if (english.spelled && (chinese.kind != FigureKind::kNumber || !chinese.unit.empty())) return false;
  if (InTonnes(english, chinese)) return english.value.Shifted(3) == chinese.value;
  if (!english.unit.empty() && !chinese.unit.empty() && english.unit != chinese.unit) return false;
  return english.value == chinese.value;
}

std::optional<std::u32string> RenderLike(const Figure& like, const Figure& chinese, std::string* why_not,
                                         bool noun_made_plural) {
  if (like.words || chinese.words || !chinese.has_value) return std::nullopt;
  std::string out;
  if (like.spelled) {
    if (!SpellLike(like, chinese, noun_made_plural, &out, why_not)) return std::nullopt;
  } else {
    out = RenderDigits(like, chinese);
    if (out.empty()) return std::nullopt;
  }
  std::u32string decoded;
  if (!DecodeUtf8(out, &decoded).ok()) return std::nullopt;
  return decoded;
}

std::vector<int> AlignFigures(const std::vector<Figure>& chinese, const std::vector<Figure>& english) {
  std::vector<int> aligned(chinese.size(), -1);
  std::vector<bool> used(english.size(), false);
  for (size_t i = 0; i < chinese.size(); ++i) {
    for (bool words : {false, true}) {
      for (size_t k = 0; k < english.size() && aligned[i] < 0; ++k) {
        if (!used[k] && english[k].words == words && Renders(english[k], chinese[i])) {
          aligned[i] = static_cast<int>(k);
          used[k] = true;
        }
      }
    }
  }
  return aligned;
}

std::string DescribeInEnglish(const Figure& chinese) {
  if (!chinese.has_value) return "?";
  switch (chinese.kind) {
    case FigureKind::kMonth: {
      const int64_t m = SmallInt(chinese.value, 1, 12);
      return m > 0 ? kMonthNames[m - 1] : chinese.value.ToString();
    }
    case FigureKind::kPercent: return chinese.value.ToString() + "%";
    case FigureKind::kPercentagePoints: return chinese.value.ToString() + " percentage points";
    case FigureKind::kOrdinal: {
      const std::optional<int64_t> n = chinese.value.ToInt();
      return n ? std::to_string(*n) + OrdinalSuffix(*n) : chinese.value.ToString();
    }
    case FigureKind::kYear:
    case FigureKind::kDay: return chinese.value.ToString();
    case FigureKind::kNumber: return NumberWithMagnitude(chinese.value, 0, false, chinese.magnitude > 0);
  }
  return chinese.value.ToString();
}

}  // namespace heluo
