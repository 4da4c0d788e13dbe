// Cutting test text without cutting a character: a request that must be valid UTF-8 (a fuzzy lookup's half
// sentence, a truncated translation) is made from a stored one by this.
#ifndef HELUO_TESTS_UTF8_PREFIX_H_
#define HELUO_TESTS_UTF8_PREFIX_H_

#include <algorithm>
#include <string_view>

namespace heluo {

// The longest prefix of `s` of at most `max_bytes` bytes that ends at a character boundary (`s` is UTF-8).
inline std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  size_t n = std::min(max_bytes, s.size());
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace heluo

#endif  // HELUO_TESTS_UTF8_PREFIX_H_
