// Every record of every named database of a store, as one string: two dumps are equal exactly when the
// stores hold the same records (duplicates of DUPSORT databases included). Tests compare the store before
// and after an import that must leave no trace; StagedNumbers finds records an import staged.
#ifndef HELUO_TESTS_STORE_DUMP_H_
#define HELUO_TESTS_STORE_DUMP_H_

#include <string>
#include <utility>
#include <vector>

#include "server/core/store/store.h"
#include "server/core/tm/staging.h"

namespace heluo {

inline std::vector<std::pair<const char*, MDB_dbi>> AllDatabases(const Databases& d) {
  return {{"meta", d.meta},           {"terms", d.terms},           {"term_keys", d.term_keys},
          {"segments", d.segments},   {"segment_ids", d.segment_ids}, {"exact_keys", d.exact_keys},
          {"collections", d.collections}, {"src_tokens", d.src_tokens}, {"src_grams", d.src_grams},
          {"tgt_grams", d.tgt_grams}, {"src_lengths", d.src_lengths}, {"superseded", d.superseded}};
}

inline std::string DumpStore(const Store& store) {
  std::string out;
  Status st = store.Read([&](const LmdbTxn& txn) -> Status {
    for (auto [name, dbi] : AllDatabases(store.dbs())) {
      out += std::string("== ") + name + "\n";
      Result<LmdbCursor> c = LmdbCursor::Open(txn, dbi);
      if (!c.ok()) return c.status();
      std::string_view k, v;
      for (Result<bool> more = c->Seek(MDB_FIRST, &k, &v); more.ok() && *more; more = c->Seek(MDB_NEXT, &k, &v)) {
        out += std::to_string(k.size()) + ":" + std::string(k) + "=" + std::to_string(v.size()) + ":" + std::string(v) + "\n";
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) out += "ERROR " + st.ToString();
  return out;
}

// "database:number" for every record naming a segment number for which `wanted(number, limit)` holds
// (`limit`: the visibility limit), plus "meta:import_stage" and every superseded record.
template <typename Wanted>
std::vector<std::string> RecordsNaming(const Store& store, Wanted wanted) {
  std::vector<std::string> found;
  Status st = store.Read([&](const LmdbTxn& txn) -> Status {
    const Databases& d = store.dbs();
    Result<uint32_t> limit = SegmentLimit(txn, d);
    if (!limit.ok()) return limit.status();
    if (txn.Get(d.meta, kImportStageKey)->has_value()) found.push_back("meta:import_stage");
    struct Where {
      const char* name;
      MDB_dbi dbi;
      bool in_key;
      size_t offset;
    };
    for (Where w : {Where{"segments", d.segments, true, 0}, Where{"src_tokens", d.src_tokens, true, 0},
                    Where{"segment_ids", d.segment_ids, false, 0}, Where{"exact_keys", d.exact_keys, false, 0},
                    Where{"src_grams", d.src_grams, false, 2}, Where{"tgt_grams", d.tgt_grams, false, 0},
                    Where{"src_lengths", d.src_lengths, true, 4}, Where{"superseded", d.superseded, true, 0}}) {
      Result<LmdbCursor> c = LmdbCursor::Open(txn, w.dbi);
      if (!c.ok()) return c.status();
      std::string_view k, v;
      for (Result<bool> more = c->Seek(MDB_FIRST, &k, &v); more.ok() && *more; more = c->Seek(MDB_NEXT, &k, &v)) {
        const uint32_t n = DecodeU32((w.in_key ? k : v).substr(w.offset, 4));
        if (w.dbi == d.superseded || wanted(n, *limit)) found.push_back(std::string(w.name) + ":" + std::to_string(n));
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) found.push_back("ERROR " + st.ToString());
  return found;
}

// What a finished or removed import must not leave: staged records, its marker, its superseded list.
inline std::vector<std::string> StagedLeftovers(const Store& store) {
  return RecordsNaming(store, [](uint32_t n, uint32_t limit) { return n >= limit; });
}

}  // namespace heluo

#endif  // HELUO_TESTS_STORE_DUMP_H_
