#include "client/output.h"

#include <google/protobuf/util/json_util.h>

#include <iostream>

namespace heluo::cli {

void PrintJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  std::cout << out << std::endl;
}

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

namespace {

// A match kind's word for people and its key for JSON output, in one table.
struct KindNames {
  heluo::v1::MatchKind kind;
  const char* name;
  const char* key;
};
constexpr KindNames kKinds[] = {{heluo::v1::MATCH_KIND_CONTEXT, "in-context", "context"},
                                {heluo::v1::MATCH_KIND_EXACT, "exact", "exact"},
                                {heluo::v1::MATCH_KIND_FUZZY, "fuzzy", "fuzzy"}};

const KindNames* FindKind(heluo::v1::MatchKind k) {
  for (const KindNames& n : kKinds) {
    if (n.kind == k) return &n;
  }
  return nullptr;
}

void PrintList(const char* label, const google::protobuf::RepeatedPtrField<std::string>& forms,
               const std::string& indent) {
  if (forms.empty()) return;
  std::cout << indent << label << ": ";
  for (int i = 0; i < forms.size(); ++i) std::cout << (i ? "; " : "") << forms[i];
  std::cout << "\n";
}

}  // namespace

const char* KindName(heluo::v1::MatchKind k) {
  const KindNames* n = FindKind(k);
  return n ? n->name : "?";
}

const char* KindKey(heluo::v1::MatchKind k) {
  const KindNames* n = FindKind(k);
  return n ? n->key : "none";
}

void PrintTermStatus(const heluo::v1::TermEntry& e, const std::string& indent) {
  PrintList("admitted", e.en_variants(), indent);
  PrintList("deprecated (do not use)", e.en_deprecated(), indent);
  PrintList("forbidden (do not use)", e.en_forbidden(), indent);
  if (e.do_not_translate()) std::cout << indent << "do not translate: the target keeps the source form\n";
  if (e.case_sensitive()) std::cout << indent << "case-sensitive\n";
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
