// Ids of terms and segments: what a valid one is, the one NOT_FOUND message for an id that names nothing,
// and reading one record by id, shared by Glossary and TranslationMemory.
#ifndef HELUO_SERVER_CORE_RECORD_ID_H_
#define HELUO_SERVER_CORE_RECORD_ID_H_

#include <optional>
#include <string_view>
#include <utility>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

// Validates an id for terms and segments: 1..64 bytes of [A-Za-z0-9._-], not starting with '_'.
Status ValidateId(std::string_view id, std::string_view what);

// NOT_FOUND: no `what` ("term", "segment") has this id.
Status NoRecordWithId(std::string_view what, std::string_view id);

// The record `find(txn, id)` (Glossary::Find, TranslationMemory::Find) gives, in a read transaction of its
// own: INVALID_ARGUMENT for an id ValidateId refuses, NOT_FOUND when there is no such record.
template <typename Record, typename Find>
Result<Record> GetById(const Store& store, std::string_view id, std::string_view what, const Find& find) {
  HELUO_RETURN_IF_ERROR(ValidateId(id, what));
  std::optional<Record> found;
  HELUO_RETURN_IF_ERROR(store.Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<Record>> record = find(txn, id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NoRecordWithId(what, id);
    found = std::move(**record);
    return Status::Ok();
  }));
  return std::move(*found);
}

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_RECORD_ID_H_
