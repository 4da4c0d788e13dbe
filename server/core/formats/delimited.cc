#include "server/core/formats/formats.h"

namespace heluo {

void AppendTsvRow(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back('\t');
    for (char c : fields[i]) out->push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
  }
  out->push_back('\n');
}

void AppendCsvRow(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      *out += f;
      continue;
    }
    out->push_back('"');
    for (char c : f) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  }
  *out += "\r\n";
}

Status ReadDelimited(const ChunkSource& source, char separator,
                     const std::function<Status(const std::vector<std::string>&, long line)>& on_row) {
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, after_quote = false, row_has_content = false, first_row = true;
  long line = 1, row_line = 1;
  auto end_row = [&]() -> Status {
    row.push_back(std::move(field));
    field.clear();
    const bool comment = separator == '\t' && !row.empty() && !row[0].empty() && row[0][0] == '#';
    const bool blank = row.size() == 1 && row[0].empty();
    // A '#' first row may be a header ("# source\ttarget\tid", as heluo writes): the caller decides.
    Status st = ((comment && !first_row) || blank) ? Status::Ok() : on_row(row, row_line);
    if (!blank) first_row = false;
    row.clear();
    row_has_content = false;
    return st;
  };
  std::string chunk;
  bool first = true;
  while (source(&chunk)) {
    size_t i = 0;
    if (first && chunk.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;  // UTF-8 byte order mark.
    first = false;
    for (; i < chunk.size(); ++i) {
      const char c = chunk[i];
      if (!row_has_content) {
        row_line = line;
        row_has_content = true;
      }
      if (quoted) {
        if (c == '"') {
          quoted = false;
          after_quote = true;
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
        }
        continue;
      }
      if (c == '"' && separator == ',') {
        if (after_quote) field.push_back('"');  // "" inside a quoted field.
        quoted = field.empty() || after_quote;
        if (!quoted) field.push_back(c);
        after_quote = false;
        continue;
      }
      after_quote = false;
      if (c == separator) {
        row.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        if (!field.empty() && field.back() == '\r') field.pop_back();
        HELUO_RETURN_IF_ERROR(end_row());
        ++line;
      } else {
        field.push_back(c);
      }
    }
  }
  if (quoted) return Status::InvalidArgument("unterminated quoted field starting on line " + std::to_string(row_line));
  if (row_has_content) {
    if (!field.empty() && field.back() == '\r') field.pop_back();
    HELUO_RETURN_IF_ERROR(end_row());
  }
  return Status::Ok();
}

}  // namespace heluo
