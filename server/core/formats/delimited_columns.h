// DelimitedColumns: what the columns of a tab-separated or CSV file mean, from its header row (recognised
// or declared) or from the layout's default, and the check that every row has a column count the layout
// allows — so a header is never imported as data and a surplus column never silently becomes an id.
//
// Header names are matched case-insensitively, a leading '#' and blanks ignored: Chinese / zh / zh-CN /
// 中文 / source / 原文 …, English / en / en-US / 英文 / target / 译文 …, id, comment / note / 备注, status, and the
// names of heluo's own CSV layout. With HeaderRow::kAuto the first row is a header when every cell is such
// a name and one of them names a language.
//
// Thread-safety: one instance per file being read.
#ifndef HELUO_SERVER_CORE_FORMATS_DELIMITED_COLUMNS_H_
#define HELUO_SERVER_CORE_FORMATS_DELIMITED_COLUMNS_H_

#include <string>
#include <vector>

#include "server/core/status.h"

namespace heluo {

enum class HeaderRow { kAuto, kPresent, kAbsent };

class DelimitedColumns {
 public:
  // Where a row's fields go; -1 when the layout has no such column.
  struct Layout {
    int zh = 0, en = 1, id = -1, note = -1;
    int status = -1;  // A glossary's term-status cell (see TermStatusCell); only under a header naming it.
  };

  // `fallback`: the columns without a header; rows may have min_columns..max_columns fields
  // (each count in `extra_columns` is also allowed: heluo's full CSV layouts, read by position). `comments`: a first row starting
  // with '#' is a comment unless it is a header (TSV, as OmegaT writes). `what` names the layout in messages.
  DelimitedColumns(HeaderRow mode, Layout fallback, size_t min_columns, size_t max_columns,
                   std::vector<size_t> extra_columns, bool comments, std::string what);

  // Feeds the next row. *data is false when it was the header or a '#' comment; otherwise the row must be
  // read with layout(). INVALID_ARGUMENT naming the line for a row with a wrong column count, or a header
  // that names no Chinese and English column.
  Status Take(const std::vector<std::string>& row, long line, bool* data);
  const Layout& layout() const { return layout_; }
  // row[index], or "" when the row is shorter or the layout has no such column (index -1).
  static std::string Cell(const std::vector<std::string>& row, int index) {
    return index >= 0 && static_cast<size_t>(index) < row.size() ? row[static_cast<size_t>(index)]
                                                                 : std::string();
  }

 private:
  HeaderRow mode_;
  Layout layout_;
  size_t min_, max_;
  std::vector<size_t> extra_;
  bool comments_;
  std::string what_;
  bool header_seen_ = false;
  bool Extra(size_t n) const;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_FORMATS_DELIMITED_COLUMNS_H_
