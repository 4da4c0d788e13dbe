// TermCache: stored term records already decoded. Decoding a record (MessagePack into a JSON tree, then
// into a TermEntry) was most of a term lookup's server CPU, and a third of a RecognizeTerms call's, while
// the few thousand entries of a glossary rarely change. A decoded entry is kept with the exact bytes it
// was decoded from and handed out only for those bytes: a reader always gets the entry of the record in
// its own snapshot, whatever other transactions wrote since (a changed record decodes again and replaces
// the cached one). So the cache needs no invalidation and cannot serve stale content.
//
// Memory: at most kMaxEntries records and their decoded entries, about 2 KB each for a typical entry (so
// ~40 MB at most; a glossary larger than that keeps its most recently decoded part: at the limit the cache
// starts again empty).
// Thread-safety: Decode() may be called from any thread.
#ifndef HELUO_SERVER_CORE_TERM_CACHE_H_
#define HELUO_SERVER_CORE_TERM_CACHE_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "server/core/glossary.h"
#include "server/core/status.h"

namespace heluo {

class TermCache {
 public:
  static constexpr size_t kMaxEntries = 20000;
  using Decoder = Result<TermEntry> (*)(std::string_view record);

  explicit TermCache(Decoder decode) : decode_(decode) {}

  // The entry `record` (the bytes stored under `id` in the caller's snapshot) decodes to.
  Result<TermEntry> Decode(std::string_view id, std::string_view record);
  // The same, shared instead of copied (a reader of a few fields of many entries need not copy them all);
  // it stays valid after the cache drops or replaces it.
  Result<std::shared_ptr<const TermEntry>> DecodeShared(std::string_view id, std::string_view record);

 private:
  struct Decoded {
    std::string record;
    TermEntry entry;
  };

  Decoder decode_;
  std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const Decoded>, std::less<>> entries_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TERM_CACHE_H_
