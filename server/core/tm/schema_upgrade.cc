// TranslationMemory::UpgradeSchema: what the translation memory's records changed between schema versions,
// rebuilt from the stored pairs inside the transaction Store::Open runs it in.
#include "server/core/tm/postings.h"
#include "server/core/tm/segment.h"
#include "server/core/translation_memory.h"

namespace heluo {

Status TranslationMemory::UpgradeSchema(LmdbTxn& txn, const Databases& dbs, int from) {
  if (from < 1 || from >= kSchemaVersion) {
    return Status::FailedPrecondition("no upgrade from schema version " + std::to_string(from));
  }
  // 2 → 3: term records gained optional keys (en_deprecated, en_forbidden, dnt, case). A record without them
  // reads as an entry without statuses and older records index every form they have, so nothing is
  // rewritten; raising the version keeps an older heluo-server, which would drop the statuses when it
  // rewrites an entry, from opening the store.
  if (from >= 2) return Status::Ok();
  // 1 → 2: source postings went from (number, length) to (length, number). Every one is rebuilt from the
  // stored source tokens, the same way Put makes them.
  if (int rc = mdb_drop(txn.get(), dbs.src_grams, 0); rc != 0) return LmdbError(rc, "emptying the source postings");
  PostingBatch batch;
  std::vector<uint32_t> ids;
  HELUO_RETURN_IF_ERROR(ScanRecords(txn, dbs.src_tokens, "", [&](std::string_view number, std::string_view tokens) -> Result<bool> {
    uint32_t tag = 0;
    DecodeTokens(tokens, &tag, &ids);
    HELUO_RETURN_IF_ERROR(batch.Add(txn, dbs, std::string(number), ids, nullptr));
    return true;
  }));
  return batch.Flush(txn, dbs);
}

}  // namespace heluo
