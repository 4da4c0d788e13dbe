#include "server/core/text/decimal.h"

#include <algorithm>

namespace heluo {
namespace {

constexpr size_t kMaxDigits = 40;

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  std::string all;
  int fraction = -1;  // Digits after the point; -1 before it.
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      all.push_back(c);
      if (fraction >= 0) ++fraction;
    } else if (c == ',' && fraction < 0 && !all.empty()) {
      continue;
    } else if (c == '.' && fraction < 0 && !all.empty()) {
      fraction = 0;
    } else {
      return std::nullopt;
    }
  }
  if (all.empty() || fraction == 0) return std::nullopt;
  Decimal d;
  d.exponent_ = fraction > 0 ? -fraction : 0;
  const size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();
  all.erase(0, first);
  while (all.back() == '0') {
    all.pop_back();
    ++d.exponent_;
  }
  if (all.size() > kMaxDigits) return std::nullopt;
  d.digits_ = std::move(all);
  return d;
}

Decimal Decimal::FromInt(uint64_t n) { return *Parse(std::to_string(n)); }

Decimal Decimal::Shifted(int power) const {
  Decimal d = *this;
  if (!d.IsZero()) d.exponent_ += power;
  return d;
}

std::optional<int64_t> Decimal::ToInt() const {
  if (IsZero()) return 0;
  if (exponent_ < 0 || LeadingPower() > 17) return std::nullopt;
  int64_t v = 0;
  for (char c : digits_) v = v * 10 + (c - '0');
  for (int i = 0; i < exponent_; ++i) v *= 10;
  return v;
}

int Decimal::Compare(const Decimal& o) const {
  if (IsZero() || o.IsZero()) return IsZero() == o.IsZero() ? 0 : IsZero() ? -1 : 1;
  if (LeadingPower() != o.LeadingPower()) return LeadingPower() < o.LeadingPower() ? -1 : 1;
  const int c = digits_.compare(o.digits_);  // Same leading power: digit strings compare as values.
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string Decimal::ToString() const {
  if (IsZero()) return "0";
  if (exponent_ >= 0) return digits_ + std::string(static_cast<size_t>(exponent_), '0');
  const size_t fraction = static_cast<size_t>(-exponent_);
  if (fraction >= digits_.size()) return "0." + std::string(fraction - digits_.size(), '0') + digits_;
  return digits_.substr(0, digits_.size() - fraction) + "." + digits_.substr(digits_.size() - fraction);
}

std::string Decimal::ToGroupedString() const {
  const std::string plain = ToString();
  const size_t dot = std::min(plain.find('.'), plain.size());
  std::string out;
  for (size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[i]);
  }
  return out + plain.substr(dot);
}

}  // namespace heluo
