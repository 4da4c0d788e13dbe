// Decimal: an exact non-negative decimal number (digits × 10^exponent) for figures. Figures are compared
// and converted by powers of ten (亿 = 10^8, billion = 10^9), which binary floating point cannot do
// exactly (17.8 × 10^8 is not 1780000000.0 in a double), so they never go through a double.
#ifndef HELUO_SERVER_CORE_TEXT_DECIMAL_H_
#define HELUO_SERVER_CORE_TEXT_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heluo {

class Decimal {
 public:
  Decimal() = default;  // Zero.

  // Parses ASCII digits with optional thousands commas and one decimal point ("12,200", "17.8", "0.5").
  // Nothing else is accepted; at most 40 significant digits.
  static std::optional<Decimal> Parse(std::string_view text);
  static Decimal FromInt(uint64_t n);

  // This × 10^power (negative powers divide; exact).
  Decimal Shifted(int power) const;

  bool IsZero() const { return digits_.empty(); }
  bool IsInteger() const { return exponent_ >= 0; }
  // The value when it is an integer below 2^63.
  std::optional<int64_t> ToInt() const;
  // Position of the leading digit: 0 for 1..9.99, 3 for 1000..9999, -1 for 0.1..0.99. REQUIRES: !IsZero().
  int LeadingPower() const { return static_cast<int>(digits_.size()) - 1 + exponent_; }

  // <0, 0, >0.
  int Compare(const Decimal& other) const;
  bool operator==(const Decimal& other) const = default;

  // Plain notation with as many decimals as needed and no more: "18", "81.41", "0.5".
  std::string ToString() const;
  // The same with commas between groups of three integer digits: "12,200".
  std::string ToGroupedString() const;

 private:
  std::string digits_;  // Significant digits: no leading or trailing zeros; empty for zero.
  int exponent_ = 0;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_DECIMAL_H_
