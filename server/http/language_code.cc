#include "server/http/language_code.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace heluo::http {
namespace {

std::string Canonical(std::string code) {
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return c == '_' ? '-' : std::tolower(c); });
  return code;
}

}  // namespace

bool IsChineseCode(const std::string& code) {
  static const std::set<std::string> kChinese = {"zh",    "zh-cn",      "zh-hans", "zh-hans-cn",
                                                 "zh-sg", "zh-hans-sg", "cmn",     "cmn-hans"};
  return kChinese.count(Canonical(code)) != 0;
}

bool IsEnglishCode(const std::string& code) {
  const std::string c = Canonical(code);
  return c == "en" || c.rfind("en-", 0) == 0;
}

}  // namespace heluo::http
