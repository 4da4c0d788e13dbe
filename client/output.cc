#include "client/output.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>

namespace heluo::cli {

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

void PrintJson(const google::protobuf::Message& m) { std::cout << ToJson(m) << std::endl; }

const char* StatusName(heluo::v1::RenderingStatus s) {
  switch (s) {
    case heluo::v1::RENDERING_STATUS_ESTABLISHED:
      return "established";
    case heluo::v1::RENDERING_STATUS_PROJECT:
      return "project's own rendering";
    default:
      return "unspecified";
  }
}

std::string NotCarriedOver(const heluo::v1::Match& m) {
  std::string out;
  for (const auto& s : m.substitutions()) {
    if (s.applied()) continue;
    out += (out.empty() ? "figures not carried over: " : ", ") + s.stored() + " → " + s.query();
  }
  return out;
}

const char* KindName(heluo::v1::MatchKind k) {
  switch (k) {
    case heluo::v1::MATCH_KIND_CONTEXT:
      return "in-context";
    case heluo::v1::MATCH_KIND_EXACT:
      return "exact";
    case heluo::v1::MATCH_KIND_FUZZY:
      return "fuzzy";
    default:
      return "?";
  }
}

std::string Slice(const std::string& s, int begin, int end) {
  std::string out;
  int cp = 0;
  for (size_t i = 0; i < s.size(); ++cp) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    if (cp >= begin && cp < end) out += s.substr(i, len);
    i += len;
  }
  return out;
}

}  // namespace heluo::cli
