#include "server/core/term_cache.h"

#include <mutex>

namespace heluo {

Result<TermEntry> TermCache::Decode(std::string_view id, std::string_view record) {
  Result<std::shared_ptr<const TermEntry>> entry = DecodeShared(id, record);
  if (!entry.ok()) return entry.status();
  return **entry;
}

Result<std::shared_ptr<const TermEntry>> TermCache::DecodeShared(std::string_view id, std::string_view record) {
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(id);
    if (it != entries_.end() && it->second->record == record) {
      return std::shared_ptr<const TermEntry>(it->second, &it->second->entry);
    }
  }
  Result<TermEntry> entry = decode_(record);
  if (!entry.ok()) return entry.status();
  auto decoded = std::make_shared<const Decoded>(Decoded{std::string(record), std::move(*entry)});
  std::shared_ptr<const TermEntry> shared(decoded, &decoded->entry);
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(std::string(id), std::move(decoded));
  return shared;
}

}  // namespace heluo
