#include <string_view>

#include "server/core/formats/formats.h"

namespace heluo {
namespace {

std::string JoinBars(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "|" : "") + v[i];
  return out;
}

std::vector<std::string> SplitBars(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t bar = s.find('|');
    out.emplace_back(s.substr(0, bar));
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string TermStatusCell(const TermEntry& e) {
  std::string out;
  auto add = [&](const std::string& item) { out += (out.empty() ? "" : "; ") + item; };
  if (!e.en_deprecated.empty()) add("deprecated: " + JoinBars(e.en_deprecated));
  if (!e.en_forbidden.empty()) add("forbidden: " + JoinBars(e.en_forbidden));
  if (e.do_not_translate) add("do_not_translate");
  if (e.case_sensitive) add("case_sensitive");
  return out;
}

Status ParseTermStatusCell(std::string_view cell, TermEntry* e) {
  while (!cell.empty()) {
    const size_t semi = cell.find(';');
    const std::string_view item = Trim(cell.substr(0, semi));
    cell = semi == std::string_view::npos ? std::string_view() : cell.substr(semi + 1);
    if (item.empty()) continue;
    if (item == "do_not_translate") {
      e->do_not_translate = true;
    } else if (item == "case_sensitive") {
      e->case_sensitive = true;
    } else if (item.rfind("deprecated:", 0) == 0) {
      for (const std::string& v : SplitBars(item.substr(11))) e->en_deprecated.emplace_back(Trim(v));
    } else if (item.rfind("forbidden:", 0) == 0) {
      for (const std::string& v : SplitBars(item.substr(10))) e->en_forbidden.emplace_back(Trim(v));
    } else {
      return Status::InvalidArgument("unknown status item \"" + std::string(item) +
                                     "\" (accepted: \"deprecated: a|b\", \"forbidden: a|b\", do_not_translate, "
                                     "case_sensitive, separated by ';')");
    }
  }
  return Status::Ok();
}

}  // namespace heluo
