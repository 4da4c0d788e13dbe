#include "server/core/record_id.h"

#include <algorithm>
#include <string>

namespace heluo {

Status ValidateId(std::string_view id, std::string_view what) {
  // '_' may not start an id: TBX exports write ids that are not XML names (e.g. "9-2-gongzuo-buju") as
  // "_9-2-gongzuo-buju", and imports strip it again.
  const bool ok =
      !id.empty() && id.size() <= 64 && id[0] != '_' && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
      });
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      std::string(what) +
      " id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', not starting with '_'");
}

Status NoRecordWithId(std::string_view what, std::string_view id) {
  return Status::NotFound("no " + std::string(what) + " with id '" + std::string(id) + "'");
}

}  // namespace heluo
