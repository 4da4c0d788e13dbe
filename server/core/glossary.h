// Glossary: terminology entries (a Chinese headword and its English rendering) and how they are found.
//
// Every form of an entry — the headword, the rendering and each variant — is indexed under its folded key
// (Normalizer), tagged with its language, so that 三种心态, 三種心態 and “三种心态” all find the same entry.
// Deprecated and forbidden English forms are indexed too: looking one up finds the entry, whose lists tell
// the translator that the form is not to be used and which is. Suggest never offers them as completions.
// An English form may have one status only (preferred, admitted, deprecated or forbidden), after folding.
// Put() replaces an entry and its index keys in the caller's write transaction.
//
// Thread-safety: all methods may be called from any thread; reads see one consistent snapshot.
#ifndef HELUO_SERVER_CORE_GLOSSARY_H_
#define HELUO_SERVER_CORE_GLOSSARY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/record_id.h"
#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

class TermCache;

enum class Language { kAny, kZh, kEn };
enum class RenderingStatus { kUnspecified, kEstablished, kProject };

struct RenderingSource {
  std::string outlet, title, url, date;
};

struct TermEntry {
  std::string id;
  std::string collection;
  std::string kind;  // "report-glossary", "report-slogan", "national-term".
  std::string zh;
  std::vector<std::string> zh_variants;
  std::string en;
  std::vector<std::string> en_variants;
  // Renderings by TBX administrative status: `en` is the preferred rendering, `en_variants` the admitted ones.
  std::vector<std::string> en_deprecated;  // Superseded or informal forms a translator must not use.
  std::vector<std::string> en_forbidden;   // Wrong renderings (a collision, a mistranslation).
  bool do_not_translate = false;           // The target keeps the source form (e.g. a brand).
  bool case_sensitive = false;             // English matching keeps case.
  std::string definition_zh;
  std::string definition_en;
  RenderingStatus rendering_status = RenderingStatus::kUnspecified;
  std::optional<RenderingSource> source;
  std::string note;
  // Who created and last changed the entry, and when (ISO 8601 UTC, "2026-11-25T06:20:00Z").
  std::string created_by, created_at, changed_by, changed_at;
};

struct TermPage {
  std::vector<TermEntry> entries;
  std::string next_page_token;
};

struct TermSuggestion {
  TermEntry entry;
  std::string form;  // The entry's form that starts with the prefix.
  Language language = Language::kZh;
};

inline constexpr int kMaxLookupTextLength = 256;  // Code points.
inline constexpr int kMaxLookupResults = 50;
inline constexpr int kMaxSuggestPrefixLength = 64;  // Code points.
inline constexpr int kDefaultSuggestions = 10;
inline constexpr int kMaxSuggestions = 50;

class Glossary {
 public:
  explicit Glossary(Store* store);

  // Inserts or replaces `entry` (by id) and its index keys. INVALID_ARGUMENT for an entry without id, zh or
  // en, with invalid UTF-8, or with a form too long to index.
  Status Put(LmdbTxn& txn, const TermEntry& entry) const;

  Result<TermEntry> Get(std::string_view id) const;
  // The stored entry with this id in `txn`, or nullopt.
  Result<std::optional<TermEntry>> Find(const LmdbTxn& txn, std::string_view id) const;
  // The same without a copy (nullptr when absent): the decoded entry the glossary's cache holds.
  Result<std::shared_ptr<const TermEntry>> FindShared(const LmdbTxn& txn, std::string_view id) const;
  // Put() of an entry given as the record the store keeps (a replica applying a primary's change:
  // store/change_log.h). DATA_LOSS if the record cannot be read.
  Status PutRecord(LmdbTxn& txn, std::string_view record) const;
  // Removes the entry and its index keys. NOT_FOUND if absent.
  Status Delete(LmdbTxn& txn, std::string_view id) const;
  Result<TermPage> List(int page_size, std::string_view page_token) const;
  // Calls fn for every entry by id, in one snapshot; stops early if fn returns false.
  Status ForEach(const std::function<bool(const TermEntry&)>& fn) const;
  // Entries having a form equal to `text` after folding; `collections` empty means all.
  Result<std::vector<TermEntry>> Lookup(std::string_view text, Language language,
                                        const std::vector<std::string>& collections) const;
  // Entries with a form that starts with `prefix` after folding: shortest forms first, one per entry.
  // limit 0 means kDefaultSuggestions. Scans at most 5,000 index keys, so cost is bounded.
  Result<std::vector<TermSuggestion>> Suggest(std::string_view prefix, Language language, int limit) const;

 private:
  Store* store_;
  std::shared_ptr<TermCache> cache_;  // Decoded records (term_cache.h); shared by copies.
};

// Valid UTF-8 without control characters other than tab, line feed and carriage return (XML 1.0 cannot
// carry them); INVALID_ARGUMENT names `what` and the position.
Status ValidateStoredText(std::string_view text, const std::string& what);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_GLOSSARY_H_
