// The language codes translation tools send for heluo's two languages: BCP 47 and POSIX spellings in any
// case ("zh", "zh-CN", "zh_Hans", "zh-hans-cn"; "en", "en_US", "en-GB"). heluo's memory is Simplified
// Chinese → English; Traditional codes (zh-TW, zh-Hant) are not it, although lookups fold the script.
#ifndef HELUO_SERVER_HTTP_LANGUAGE_CODE_H_
#define HELUO_SERVER_HTTP_LANGUAGE_CODE_H_

#include <string>

namespace heluo::http {

bool IsChineseCode(const std::string& code);
bool IsEnglishCode(const std::string& code);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_LANGUAGE_CODE_H_
