// Escaping text for XML 1.0 element content and attribute values. Stored text never holds characters XML
// cannot carry (ValidateStoredText refuses them), so escaping is all an exporter needs.
#ifndef HELUO_SERVER_CORE_FORMATS_XML_TEXT_H_
#define HELUO_SERVER_CORE_FORMATS_XML_TEXT_H_

#include <string>
#include <string_view>

namespace heluo {

inline void AppendXmlEscaped(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      case '\r': *out += "&#13;"; break;  // Kept through attribute-value and line-end normalization.
      default: out->push_back(c);
    }
  }
}

inline std::string XmlEscaped(std::string_view text) {
  std::string out;
  AppendXmlEscaped(&out, text);
  return out;
}

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_FORMATS_XML_TEXT_H_
