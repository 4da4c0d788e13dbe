#include "server/core/store/change_log.h"

namespace heluo {
namespace {

void AppendLength(std::string* out, size_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((n >> shift) & 0xFF));
}

bool ReadLength(std::string_view* in, size_t* n) {
  if (in->size() < 4) return false;
  *n = 0;
  for (int i = 0; i < 4; ++i) *n = (*n << 8) | static_cast<unsigned char>((*in)[static_cast<size_t>(i)]);
  in->remove_prefix(4);
  return true;
}

bool ReadPart(std::string_view* in, std::string_view* part) {
  size_t n = 0;
  if (!ReadLength(in, &n) || in->size() < n) return false;
  *part = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

void AppendChange(std::string* log, ChangeKind kind, std::string_view key, std::string_view value) {
  log->push_back(static_cast<char>(kind));
  AppendLength(log, key.size());
  log->append(key);
  AppendLength(log, value.size());
  log->append(value);
}

Result<std::vector<Change>> ParseChangeLog(std::string_view log) {
  std::vector<Change> changes;
  const size_t total = log.size();
  while (!log.empty()) {
    const auto kind = static_cast<ChangeKind>(static_cast<unsigned char>(log[0]));
    log.remove_prefix(1);
    Change c{kind, {}, {}};
    const bool known = kind == ChangeKind::kTermPut || kind == ChangeKind::kTermDelete ||
                       kind == ChangeKind::kSegmentPut || kind == ChangeKind::kSegmentDelete;
    if (!known || !ReadPart(&log, &c.key) || !ReadPart(&log, &c.value)) {
      return Status::DataLoss("change log damaged at byte " + std::to_string(total - log.size()) + " of " +
                              std::to_string(total));
    }
    changes.push_back(c);
  }
  return changes;
}

}  // namespace heluo
