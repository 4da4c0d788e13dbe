#include "server/core/collections.h"

#include <algorithm>
#include <map>

namespace heluo {
namespace {

std::string CountKey(CollectionItem item, const std::string& name) {
  return std::string(1, static_cast<char>(item)) + ":" + name;
}

}  // namespace

Status ValidateCollectionName(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("collection name must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-'");
}

Status AdjustCollectionCount(LmdbTxn& txn, const Databases& dbs, CollectionItem item, const std::string& name,
                             int64_t delta) {
  const std::string key = CountKey(item, name);
  Result<std::optional<std::string_view>> old = txn.Get(dbs.collections, key);
  if (!old.ok()) return old.status();
  const int64_t count = (old->has_value() ? static_cast<int64_t>(DecodeU64(**old)) : 0) + delta;
  if (count <= 0) return txn.Delete(dbs.collections, key);
  return txn.Put(dbs.collections, key, EncodeU64(static_cast<uint64_t>(count)));
}

Status CheckCollectionsExist(const LmdbTxn& txn, const Databases& dbs, CollectionItem item,
                             const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    Result<std::optional<std::string_view>> found = txn.Get(dbs.collections, CountKey(item, name));
    if (!found.ok()) return found.status();
    if (!found->has_value()) {
      return Status::NotFound("unknown collection '" + name + "' (heluo stats lists the collections)");
    }
  }
  return Status::Ok();
}

Result<std::vector<CollectionCount>> ListCollections(const LmdbTxn& txn, const Databases& dbs) {
  Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbs.collections);
  if (!cursor.ok()) return cursor.status();
  std::map<std::string, CollectionCount> by_name;
  std::string_view key, value;
  for (MDB_cursor_op op = MDB_FIRST;; op = MDB_NEXT) {
    Result<bool> more = cursor->Seek(op, &key, &value);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (key.size() < 3) continue;
    CollectionCount& c = by_name[std::string(key.substr(2))];
    c.name = std::string(key.substr(2));
    (key[0] == 't' ? c.terms : c.segments) = static_cast<int64_t>(DecodeU64(value));
  }
  std::vector<CollectionCount> out;
  for (auto& [name, c] : by_name) out.push_back(std::move(c));
  return out;
}

}  // namespace heluo
