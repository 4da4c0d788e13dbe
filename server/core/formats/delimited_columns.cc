#include "server/core/formats/delimited_columns.h"

#include <algorithm>
#include <map>

namespace heluo {
namespace {

enum class Role { kUnknown, kZh, kEn, kId, kNote, kStatus, kOther };

// What a header cell names.
Role RoleOf(std::string cell) {
  const size_t begin = cell.find_first_not_of("# \t");
  const size_t end = cell.find_last_not_of(" \t");
  cell = begin == std::string::npos ? "" : cell.substr(begin, end - begin + 1);
  std::transform(cell.begin(), cell.end(), cell.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::map<std::string, Role>* kNames =
      new std::map<std::string, Role>{{"zh", Role::kZh},
                                      {"zh-cn", Role::kZh},
                                      {"zh_cn", Role::kZh},
                                      {"zh-hans", Role::kZh},
                                      {"chinese", Role::kZh},
                                      {"中文", Role::kZh},
                                      {"汉语", Role::kZh},
                                      {"source", Role::kZh},
                                      {"source (zh-cn)", Role::kZh},
                                      {"原文", Role::kZh},
                                      {"源文", Role::kZh},
                                      {"术语", Role::kZh},
                                      {"term", Role::kZh},
                                      {"en", Role::kEn},
                                      {"en-us", Role::kEn},
                                      {"en_us", Role::kEn},
                                      {"en-gb", Role::kEn},
                                      {"english", Role::kEn},
                                      {"英文", Role::kEn},
                                      {"英语", Role::kEn},
                                      {"target", Role::kEn},
                                      {"target (en-us)", Role::kEn},
                                      {"译文", Role::kEn},
                                      {"translation", Role::kEn},
                                      {"rendering", Role::kEn},
                                      {"id", Role::kId},
                                      {"comment", Role::kNote},
                                      {"comments", Role::kNote},
                                      {"note", Role::kNote},
                                      {"notes", Role::kNote},
                                      {"备注", Role::kNote},
                                      {"注释", Role::kNote},
                                      // The other columns of heluo's CSV layout (see ExportGlossary).
                                      {"zh_variants", Role::kOther},
                                      {"en_variants", Role::kOther},
                                      {"definition_zh", Role::kOther},
                                      {"definition_en", Role::kOther},
                                      {"rendering_status", Role::kOther},
                                      {"source_outlet", Role::kOther},
                                      {"source_title", Role::kOther},
                                      {"source_url", Role::kOther},
                                      {"source_date", Role::kOther},
                                      {"status", Role::kStatus},
                                      {"term status", Role::kStatus},
                                      {"en_deprecated", Role::kOther},
                                      {"en_forbidden", Role::kOther},
                                      {"do_not_translate", Role::kOther},
                                      {"case_sensitive", Role::kOther}};
  auto it = kNames->find(cell);
  return it == kNames->end() ? Role::kUnknown : it->second;
}

}  // namespace

DelimitedColumns::DelimitedColumns(HeaderRow mode, Layout fallback, size_t min_columns, size_t max_columns,
                                   std::vector<size_t> extra_columns, bool comments, std::string what)
    : mode_(mode),
      layout_(fallback),
      min_(min_columns),
      max_(max_columns),
      extra_(std::move(extra_columns)),
      comments_(comments),
      what_(std::move(what)) {}

Status DelimitedColumns::Take(const std::vector<std::string>& row, long line, bool* data) {
  *data = false;
  const bool comment = comments_ && !row.empty() && !row[0].empty() && row[0][0] == '#';
  const std::string where = "line " + std::to_string(line) + ": ";
  if (!header_seen_ && mode_ != HeaderRow::kAbsent) {
    std::vector<Role> roles;
    bool all_known = true, names_language = false;
    for (const std::string& cell : row) {
      roles.push_back(RoleOf(cell));
      all_known = all_known && roles.back() != Role::kUnknown;
      names_language = names_language || roles.back() == Role::kZh || roles.back() == Role::kEn;
    }
    const bool header = all_known && names_language;
    if (header || (mode_ == HeaderRow::kPresent && !comment)) {
      header_seen_ = true;
      Layout named{-1, -1, -1, -1, -1};
      for (size_t i = 0; i < roles.size(); ++i) {
        int* slot = roles[i] == Role::kZh     ? &named.zh
                    : roles[i] == Role::kEn   ? &named.en
                    : roles[i] == Role::kId   ? &named.id
                    : roles[i] == Role::kNote ? &named.note
                    : roles[i] == Role::kStatus ? &named.status
                                              : nullptr;
        if (slot != nullptr && *slot < 0) *slot = static_cast<int>(i);
      }
      if (Extra(row.size())) return Status::Ok();  // heluo's CSV layout: read by position.
      if (named.zh < 0 || named.en < 0) {
        return Status::InvalidArgument(where +
                                       "the header row names no Chinese and English columns (e.g. \"zh\" "
                                       "and \"en\", \"中文\" and \"English\"); nothing was imported");
      }
      layout_ = named;
      min_ = static_cast<size_t>(std::max(named.zh, named.en)) + 1;
      max_ = std::max(max_, row.size());
      return Status::Ok();
    }
  }
  if (comment && row.size() == 1) return Status::Ok();  // '#' comments reach here only as a first row.
  if (comment && !header_seen_) return Status::Ok();
  header_seen_ = true;
  const size_t n = row.size();
  if ((n < min_ || n > max_) && !Extra(n)) {
    std::string allowed =
        min_ == max_ ? std::to_string(min_) : std::to_string(min_) + " to " + std::to_string(max_);
    for (size_t extra : extra_) allowed += " (or " + std::to_string(extra) + ")";
    return Status::InvalidArgument(where + "the row has " + std::to_string(n) + " column" +
                                   (n == 1 ? "" : "s") + "; " + what_ + " takes " + allowed +
                                   "; nothing was imported");
  }
  *data = true;
  return Status::Ok();
}

bool DelimitedColumns::Extra(size_t n) const {
  return std::find(extra_.begin(), extra_.end(), n) != extra_.end();
}

}  // namespace heluo
