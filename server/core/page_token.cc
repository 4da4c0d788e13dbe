#include "server/core/page_token.h"

namespace heluo {
namespace {
constexpr std::string_view kPrefix = "p1.";
constexpr char kHex[] = "0123456789abcdef";

Status NotIssuedHere() {
  return Status::InvalidArgument("page_token is not one this server issued; start again with an empty one");
}
}  // namespace

std::string EncodePageToken(std::string_view last_key) {
  std::string out(kPrefix);
  for (unsigned char c : last_key) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Result<std::string> DecodePageToken(std::string_view token) {
  const Status bad = NotIssuedHere();
  if (token.substr(0, kPrefix.size()) != kPrefix || token.size() == kPrefix.size()) return bad;
  token.remove_prefix(kPrefix.size());
  if (token.size() % 2 != 0) return bad;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < token.size(); i += 2) {
    const int hi = nibble(token[i]), lo = nibble(token[i + 1]);
    if (hi < 0 || lo < 0) return bad;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Result<std::string> PageStartKey(std::string_view token, size_t key_size) {
  if (token.empty()) return std::string();
  Result<std::string> last = DecodePageToken(token);
  if (last.ok() && key_size != 0 && last->size() != key_size) return NotIssuedHere();
  return last;
}

Result<int> ResolvePageSize(int page_size) {
  if (page_size == 0) return kDefaultPageSize;
  if (page_size < 0 || page_size > kMaxPageSize) {
    return Status::InvalidArgument("page_size must be between 1 and " + std::to_string(kMaxPageSize) +
                                   " (0 means " + std::to_string(kDefaultPageSize) + ")");
  }
  return page_size;
}

}  // namespace heluo
