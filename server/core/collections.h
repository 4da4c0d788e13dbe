// Collections: every term and segment belongs to one named collection (the bundled one is "yanshi-2021").
// The collections database keeps, per collection, how many terms and segments it holds, so that Stats is
// O(collections) and a lookup can tell an unknown collection name from an empty result.
#ifndef HELUO_SERVER_CORE_COLLECTIONS_H_
#define HELUO_SERVER_CORE_COLLECTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

enum class CollectionItem : char { kTerm = 't', kSegment = 's' };

struct CollectionCount {
  std::string name;
  int64_t terms = 0;
  int64_t segments = 0;
};

// Adds `delta` to the count of `item`s in `name` (creating the collection on first use).
Status AdjustCollectionCount(LmdbTxn& txn, const Databases& dbs, CollectionItem item, const std::string& name,
                             int64_t delta);
// NOT_FOUND naming the first of `names` that holds no `item` ("unknown collection 'x'").
Status CheckCollectionsExist(const LmdbTxn& txn, const Databases& dbs, CollectionItem item,
                             const std::vector<std::string>& names);
// All collections by name, with their counts.
Result<std::vector<CollectionCount>> ListCollections(const LmdbTxn& txn, const Databases& dbs);
// Validates a collection name: 1..64 bytes of [a-z0-9._-].
Status ValidateCollectionName(const std::string& name);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_COLLECTIONS_H_
