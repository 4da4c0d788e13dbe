// Interchange: whole glossaries and TMs out of and into other tools' formats.
//
// Export streams one consistent snapshot through a sink in chunks of about 64 KiB, in a stable order (TM:
// document order; glossary: by id), so memory does not grow with the store. Formats: TMX 1.4b, TSV and
// JSON Lines for the TM; TBX v3 (ISO 30042:2019, TBX-Basic), TBX 2008 (martif, TBX-Basic — the only TBX
// OmegaT 3.6 reads), TSV in OmegaT's glossary layout, CSV (RFC 4180) and JSON Lines for the glossary.
//
// Import reads a file that was spooled to disk (so a retry after the LMDB map grew can read it again and
// memory stays flat) and parses it as a stream (Expat for XML; DTDs never loaded, entity declarations
// refused). A translation memory is staged in bounded transactions readers do not see and published by
// one small commit (tm/bulk_import.h, tm/staging.h); a glossary is written in ONE write transaction. Either
// way a malformed file, a duplicate id or any other fatal problem leaves what readers see exactly as it
// was. A unit that cannot be used (e.g. a TMX <tu> without a Chinese or an English variant) is skipped and
// reported with its line and column; dry_run does all the work and then takes it away again.
//
// The exports are in export.cc, the imports in interchange.cc.
//
// Thread-safety: all functions may be called from any thread (imports serialize on the store's writer).
#ifndef HELUO_SERVER_CORE_INTERCHANGE_H_
#define HELUO_SERVER_CORE_INTERCHANGE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/formats/delimited_columns.h"
#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/translation_memory.h"

namespace heluo {

enum class ExportFormat { kTmx, kTbx, kTbx2008, kTsv, kCsv, kJsonl };

// The sink returns false to stop (e.g. the client went away); the export then ends with CANCELLED-like
// FAILED_PRECONDITION "export stopped".
using ExportSink = std::function<bool(std::string_view chunk)>;

// `collection` non-empty: only the pairs of that collection.
Status ExportTm(const TranslationMemory& tm, ExportFormat format, const ExportSink& sink,
                const std::string& collection = "");
Status ExportGlossary(const Glossary& glossary, ExportFormat format, const ExportSink& sink);

struct ImportIssue {
  long line = 0, column = 0;
  std::string unit_id;
  std::string reason;
};

struct ImportSummary {
  std::string format;  // "tmx", "tbx", "tbx2008", "tsv", "csv".
  int64_t created = 0, updated = 0, unchanged = 0, skipped = 0;
  std::vector<ImportIssue> issues;  // The first kMaxImportIssues skipped units.
  bool dry_run = false;
  int64_t bytes = 0;
};

inline constexpr size_t kMaxImportIssues = 50;

struct ImportOptions {
  bool dry_run = false;
  std::string collection;  // Empty: the file's own (x-collection) or "imported".
  std::string author;      // Recorded as created_by / changed_by.
  std::string now;         // ISO 8601 UTC time recorded as created_at / changed_at.
  WriteLimits limits;      // The caller's deadline and cancellation: a late import is not committed.
  HeaderRow header = HeaderRow::kAuto;  // TSV/CSV: whether the first row names the columns.
};

// Audit fields the file and the stored version left empty: created by the importing author now, changed
// when created. Segment and TermEntry carry the same four fields.
template <typename Item>
void FillAudit(Item* item, const ImportOptions& options) {
  if (item->created_by.empty()) item->created_by = options.author;
  if (item->created_at.empty()) item->created_at = options.now;
  if (item->changed_by.empty()) item->changed_by = item->created_by;
  if (item->changed_at.empty()) item->changed_at = item->created_at;
}

// REQUIRES: `path` names a complete, readable file.
Result<ImportSummary> ImportTm(Store& store, const TranslationMemory& tm, const std::string& path,
                               const ImportOptions& options);
Result<ImportSummary> ImportGlossary(Store& store, const Glossary& glossary, const std::string& path,
                                     const ImportOptions& options);

// A unit of a TMX file as an import reads it, with the id and collection an import would give it.
struct TmxPair {
  std::string id, collection;
  std::string source, target;
  long line = 0, column = 0;  // Where the <tu> starts.
  std::string problem;        // Non-empty: an import would skip the unit, for this reason.
};
// Reads the units of the TMX file at `path` in file order, storing nothing; `collection` as
// ImportOptions::collection. INVALID_ARGUMENT for a file that is empty, not TMX, or malformed (naming the line
// and column), or the first error of on_pair. *bytes counts the bytes read.
Status ReadTmxPairs(const std::string& path, const std::string& collection, int64_t* bytes,
                    const std::function<Status(TmxPair&)>& on_pair);

// The current time as ISO 8601 UTC ("2026-11-25T06:20:00Z").
std::string NowIso8601();

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_INTERCHANGE_H_
