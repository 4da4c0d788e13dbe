#include "server/core/glossary.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <cstdio>
#include <set>

#include "server/core/collections.h"
#include "server/core/page_token.h"
#include "server/core/term_cache.h"
#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

using nlohmann::json;

constexpr size_t kMaxIndexKeyBytes = 400;  // LMDB keys are at most 511 bytes.

json ToRecord(const TermEntry& e) {
  json j = {{"id", e.id}, {"collection", e.collection}, {"kind", e.kind}, {"zh", e.zh},
            {"zh_variants", e.zh_variants}, {"en", e.en}, {"en_variants", e.en_variants},
            {"definition_zh", e.definition_zh}, {"definition_en", e.definition_en},
            {"status", static_cast<int>(e.rendering_status)}, {"note", e.note},
            {"cby", e.created_by}, {"cat", e.created_at}, {"mby", e.changed_by}, {"mat", e.changed_at}};
  // Written only when set, so that records of entries without a status stay as schema 2 wrote them.
  if (!e.en_deprecated.empty()) j["en_deprecated"] = e.en_deprecated;
  if (!e.en_forbidden.empty()) j["en_forbidden"] = e.en_forbidden;
  if (e.do_not_translate) j["dnt"] = true;
  if (e.case_sensitive) j["case"] = true;
  if (e.source) {
    j["source"] = {{"outlet", e.source->outlet}, {"title", e.source->title}, {"url", e.source->url},
                   {"date", e.source->date}};
  }
  return j;
}

TermEntry FromRecord(const json& j) {
  TermEntry e;
  e.id = j.at("id");
  e.collection = j.at("collection");
  e.kind = j.value("kind", "");
  e.zh = j.at("zh");
  e.zh_variants = j.value("zh_variants", std::vector<std::string>{});
  e.en = j.at("en");
  e.en_variants = j.value("en_variants", std::vector<std::string>{});
  e.en_deprecated = j.value("en_deprecated", std::vector<std::string>{});
  e.en_forbidden = j.value("en_forbidden", std::vector<std::string>{});
  e.do_not_translate = j.value("dnt", false);
  e.case_sensitive = j.value("case", false);
  e.definition_zh = j.value("definition_zh", "");
  e.definition_en = j.value("definition_en", "");
  e.rendering_status = static_cast<RenderingStatus>(j.value("status", 0));
  e.note = j.value("note", "");
  e.created_by = j.value("cby", "");
  e.created_at = j.value("cat", "");
  e.changed_by = j.value("mby", "");
  e.changed_at = j.value("mat", "");
  if (j.contains("source")) {
    const json& s = j["source"];
    e.source = RenderingSource{s.value("outlet", ""), s.value("title", ""), s.value("url", ""), s.value("date", "")};
  }
  return e;
}

std::string SerializeTerm(const TermEntry& e) {
  std::vector<uint8_t> bytes = json::to_msgpack(ToRecord(e));
  return std::string(bytes.begin(), bytes.end());
}

Result<TermEntry> ParseTerm(std::string_view bytes) {
  json j = json::from_msgpack(bytes.begin(), bytes.end(), true, false);
  if (j.is_discarded() || !j.is_object()) return Status::DataLoss("a stored term record is corrupt");
  try {
    return FromRecord(j);
  } catch (const json::exception&) {
    return Status::DataLoss("a stored term record lacks a required field");
  }
}

// Index keys of every form of `e`: language byte + folded form.
Result<std::set<std::string>> IndexKeys(const TermEntry& e) {
  std::set<std::string> keys;
  auto add = [&](char lang, const std::string& form) -> Status {
    Result<std::string> key = Normalizer::Get().Key(form);
    if (!key.ok()) return Status::InvalidArgument("term '" + e.id + "': " + key.status().message());
    if (key->empty()) return Status::Ok();
    if (key->size() > kMaxIndexKeyBytes) {
      return Status::InvalidArgument("term '" + e.id + "': a form is longer than " +
                                     std::to_string(kMaxIndexKeyBytes) + " bytes");
    }
    keys.insert(std::string(1, lang) + *key);
    return Status::Ok();
  };
  HELUO_RETURN_IF_ERROR(add('z', e.zh));
  for (const std::string& v : e.zh_variants) HELUO_RETURN_IF_ERROR(add('z', v));
  HELUO_RETURN_IF_ERROR(add('e', e.en));
  for (const std::string& v : e.en_variants) HELUO_RETURN_IF_ERROR(add('e', v));
  for (const std::string& v : e.en_deprecated) HELUO_RETURN_IF_ERROR(add('e', v));
  for (const std::string& v : e.en_forbidden) HELUO_RETURN_IF_ERROR(add('e', v));
  return keys;
}

// Each English rendering has one administrative status: a form listed under two (after folding, so
// "Six Stabilities" deprecated beside "six stabilities" admitted) would tell a translator both to use it and
// not to. Deprecated and forbidden forms may not be empty: an empty one would match nothing.
Status ValidateStatuses(const TermEntry& e) {
  struct Group {
    const char* name;
    std::vector<std::string> forms;
  };
  const Group groups[] = {{"en", {e.en}},
                          {"en_variants", e.en_variants},
                          {"en_deprecated", e.en_deprecated},
                          {"en_forbidden", e.en_forbidden}};
  // Folded form, the group it is in, whether that group is deprecated or forbidden. `en` and `en_variants`
  // may share a form (a case variant of the preferred one): both say "use it".
  struct Seen {
    std::string key;
    const char* group;
    bool status_list;
  };
  std::vector<Seen> seen;
  for (const Group& g : groups) {
    const bool status_list = &g >= &groups[2];
    for (const std::string& form : g.forms) {
      if (status_list && form.find_first_not_of(" \t\r\n") == std::string::npos) {
        return Status::InvalidArgument("term '" + e.id + "': " + g.name + " has an empty rendering");
      }
      HELUO_RETURN_IF_ERROR(ValidateStoredText(form, "term '" + e.id + "' " + g.name));
      Result<std::string> key = Normalizer::Get().Key(form);
      if (!key.ok() || key->empty()) continue;  // IndexKeys reports invalid forms.
      for (const Seen& other : seen) {
        if (other.key == *key && other.group != g.name && (status_list || other.status_list)) {
          return Status::InvalidArgument("term '" + e.id + "': rendering '" + form + "' is in both " +
                                         other.group + " and " + g.name + "; a rendering has one status");
        }
      }
      seen.push_back({*key, g.name, status_list});
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateStoredText(std::string_view text, const std::string& what) {
  std::u32string cps;
  Status st = DecodeUtf8(text, &cps);
  if (!st.ok()) return Status::InvalidArgument(what + ": " + st.message());
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    if ((c < 0x20 && c != U'\t' && c != U'\n' && c != U'\r') || c == 0xFFFE || c == 0xFFFF) {
      return Status::InvalidArgument(what + ": control character U+" + [c] {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
        return std::string(buf);
      }() + " at character " + std::to_string(i) + " cannot be stored (XML exports could not carry it)");
    }
  }
  return Status::Ok();
}

Glossary::Glossary(Store* store) : store_(store), cache_(std::make_shared<TermCache>(&ParseTerm)) {}

Result<std::optional<TermEntry>> Glossary::Find(const LmdbTxn& txn, std::string_view id) const {
  Result<std::shared_ptr<const TermEntry>> e = FindShared(txn, id);
  if (!e.ok()) return e.status();
  if (*e == nullptr) return std::optional<TermEntry>();
  return std::optional<TermEntry>(**e);
}

Result<std::shared_ptr<const TermEntry>> Glossary::FindShared(const LmdbTxn& txn, std::string_view id) const {
  Result<std::optional<std::string_view>> bytes = txn.Get(store_->dbs().terms, id);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::shared_ptr<const TermEntry>();
  return cache_->DecodeShared(id, **bytes);
}

Status Glossary::Delete(LmdbTxn& txn, std::string_view id) const {
  HELUO_RETURN_IF_ERROR(ValidateId(id, "term"));
  Result<std::optional<TermEntry>> old = Find(txn, id);
  if (!old.ok()) return old.status();
  if (!old->has_value()) return NoRecordWithId("term", id);
  const Databases& dbs = store_->dbs();
  Result<std::set<std::string>> keys = IndexKeys(**old);
  if (!keys.ok()) return keys.status();
  for (const std::string& k : *keys) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.term_keys, k, id));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.terms, id));
  txn.RecordChange(ChangeKind::kTermDelete, id, "");
  return AdjustCollectionCount(txn, dbs, CollectionItem::kTerm, (*old)->collection, -1);
}

Status Glossary::Put(LmdbTxn& txn, const TermEntry& entry) const {
  HELUO_RETURN_IF_ERROR(ValidateId(entry.id, "term"));
  HELUO_RETURN_IF_ERROR(ValidateCollectionName(entry.collection));
  if (entry.zh.empty() || entry.en.empty()) {
    return Status::InvalidArgument("term '" + entry.id + "' needs both a Chinese headword and an English rendering");
  }
  for (const std::string* field : {&entry.zh, &entry.en, &entry.definition_zh, &entry.definition_en, &entry.note}) {
    HELUO_RETURN_IF_ERROR(ValidateStoredText(*field, "term '" + entry.id + "'"));
  }
  HELUO_RETURN_IF_ERROR(ValidateStatuses(entry));
  Result<std::set<std::string>> keys = IndexKeys(entry);
  if (!keys.ok()) return keys.status();
  const Databases& dbs = store_->dbs();
  Result<std::optional<TermEntry>> old = Find(txn, entry.id);
  if (!old.ok()) return old.status();
  if (old->has_value()) HELUO_RETURN_IF_ERROR(Delete(txn, entry.id));
  const std::string record = SerializeTerm(entry);
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.terms, entry.id, record));
  txn.RecordChange(ChangeKind::kTermPut, entry.id, record);
  for (const std::string& k : *keys) HELUO_RETURN_IF_ERROR(txn.Put(dbs.term_keys, k, entry.id, MDB_NODUPDATA));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kTerm, entry.collection, +1);
}

Status Glossary::PutRecord(LmdbTxn& txn, std::string_view record) const {
  Result<TermEntry> entry = ParseTerm(record);
  if (!entry.ok()) return Status::DataLoss("a term record that cannot be read: " + entry.status().message());
  return Put(txn, *entry);
}

Result<TermEntry> Glossary::Get(std::string_view id) const {
  return GetById<TermEntry>(*store_, id, "term",
                            [this](const LmdbTxn& txn, std::string_view key) { return Find(txn, key); });
}

Status Glossary::ForEach(const std::function<bool(const TermEntry&)>& fn) const {
  return store_->Read([&](const LmdbTxn& txn) {
    return ScanRecords(txn, store_->dbs().terms, "", [&](std::string_view, std::string_view value) -> Result<bool> {
      Result<TermEntry> e = ParseTerm(value);
      if (!e.ok()) return e.status();
      return fn(*e);
    });
  });
}

Result<TermPage> Glossary::List(int page_size, std::string_view page_token) const {
  Result<int> size = ResolvePageSize(page_size);
  if (!size.ok()) return size.status();
  Result<std::string> after = PageStartKey(page_token);
  if (!after.ok()) return after.status();
  TermPage page;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) {
    return ScanRecords(txn, store_->dbs().terms, *after, [&](std::string_view, std::string_view value) -> Result<bool> {
      if (static_cast<int>(page.entries.size()) == *size) {
        page.next_page_token = EncodePageToken(page.entries.back().id);
        return false;
      }
      Result<TermEntry> e = ParseTerm(value);
      if (!e.ok()) return e.status();
      page.entries.push_back(std::move(*e));
      return true;
    });
  }));
  return page;
}

Result<std::vector<TermEntry>> Glossary::Lookup(std::string_view text, Language language,
                                                const std::vector<std::string>& collections) const {
  NormalizedText folded;
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(text, &folded));
  if (folded.key.empty()) return Status::InvalidArgument("text is empty: give a term to look up");
  if (folded.original.size() > kMaxLookupTextLength) {
    return Status::InvalidArgument("text is longer than " + std::to_string(kMaxLookupTextLength) +
                                   " characters; a term lookup takes one term");
  }
  const std::string key = folded.KeyUtf8();
  std::vector<char> langs;
  if (language != Language::kEn) langs.push_back('z');
  if (language != Language::kZh) langs.push_back('e');
  std::vector<TermEntry> out;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kTerm, collections));
    std::set<std::string> ids;
    for (char lang : langs) {
      Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbs.term_keys);
      if (!cursor.ok()) return cursor.status();
      const std::string k = std::string(1, lang) + key;
      std::string_view kv = k, value;
      for (Result<bool> more = cursor->Seek(MDB_SET_KEY, &kv, &value); ; more = cursor->Seek(MDB_NEXT_DUP, &kv, &value)) {
        if (!more.ok()) return more.status();
        if (!*more) break;
        ids.emplace(value);
      }
    }
    for (const std::string& id : ids) {
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.terms, id);
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<TermEntry> e = cache_->Decode(id, **bytes);
      if (!e.ok()) return e.status();
      if (!collections.empty() &&
          std::find(collections.begin(), collections.end(), e->collection) == collections.end()) {
        continue;
      }
      out.push_back(std::move(*e));
      if (static_cast<int>(out.size()) == kMaxLookupResults) break;
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<TermSuggestion>> Glossary::Suggest(std::string_view prefix, Language language, int limit) const {
  if (limit < 0 || limit > kMaxSuggestions) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxSuggestions) + " (0 means " +
                                   std::to_string(kDefaultSuggestions) + ")");
  }
  if (limit == 0) limit = kDefaultSuggestions;
  NormalizedText folded;
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(prefix, &folded));
  if (folded.key.empty()) return Status::InvalidArgument("prefix is empty: give the beginning of a term");
  if (folded.key.size() > kMaxSuggestPrefixLength) {
    return Status::InvalidArgument("prefix is longer than " + std::to_string(kMaxSuggestPrefixLength) + " characters");
  }
  const std::string key = folded.KeyUtf8();
  struct Hit {
    std::string key;  // Folded form, with its language byte.
    std::string id;
  };
  std::vector<Hit> hits;
  std::vector<TermSuggestion> out;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    for (char lang : {'z', 'e'}) {
      if ((lang == 'z' && language == Language::kEn) || (lang == 'e' && language == Language::kZh)) continue;
      Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbs.term_keys);
      if (!cursor.ok()) return cursor.status();
      const std::string start = std::string(1, lang) + key;
      std::string_view k = start, v;
      int scanned = 0;
      for (Result<bool> more = cursor->Seek(MDB_SET_RANGE, &k, &v);; more = cursor->Seek(MDB_NEXT, &k, &v)) {
        if (!more.ok()) return more.status();
        if (!*more || k.substr(0, start.size()) != start || ++scanned > 5000) break;
        hits.push_back(Hit{std::string(k), std::string(v)});
      }
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.key.size() != b.key.size() ? a.key.size() < b.key.size() : a.key < b.key;
    });
    std::set<std::string> seen;
    for (const Hit& h : hits) {
      if (static_cast<int>(out.size()) == limit) break;
      if (seen.count(h.id) > 0) continue;
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.terms, h.id);
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<TermEntry> e = cache_->Decode(h.id, **bytes);
      if (!e.ok()) return e.status();
      TermSuggestion s;
      s.language = h.key[0] == 'z' ? Language::kZh : Language::kEn;
      std::vector<std::string> forms = s.language == Language::kZh ? e->zh_variants : e->en_variants;
      forms.insert(forms.begin(), s.language == Language::kZh ? e->zh : e->en);
      for (const std::string& f : forms) {
        Result<std::string> fk = Normalizer::Get().Key(f);
        if (fk.ok() && *fk == h.key.substr(1)) {
          s.form = f;
          break;
        }
      }
      // A deprecated or forbidden form is indexed for lookup but never offered as a completion.
      if (s.form.empty()) continue;
      seen.insert(h.id);
      s.entry = std::move(*e);
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace heluo
