// Writers and streaming readers of the interchange formats, over the core's plain types. The orchestration
// (snapshots, transactions, summaries) is in server/core/interchange.cc.
#ifndef HELUO_SERVER_CORE_FORMATS_FORMATS_H_
#define HELUO_SERVER_CORE_FORMATS_FORMATS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/translation_memory.h"

namespace heluo {

// Next chunk of the input into *chunk; false at the end.
using ChunkSource = std::function<bool(std::string* chunk)>;

// --- TMX 1.4b ---
void AppendTmxHeader(std::string* out);
void AppendTmxUnit(std::string* out, const Segment& s);
void AppendTmxFooter(std::string* out);

struct TmxUnit {
  std::string tuid;
  std::string source, target;  // zh*, en* variants.
  std::map<std::string, std::string> props;  // <prop type="…">.
  std::string creation_id, creation_date, change_id, change_date;  // As in the file.
  std::string problem;  // Non-empty: why this unit cannot be used (it is skipped).
  long line = 0, column = 0;
};
// Calls on_unit for every <tu>; stops at the first error.
Status ReadTmx(const ChunkSource& source, const std::function<Status(const TmxUnit&)>& on_unit);

// --- TBX ---
enum class TbxDialect { kV3, k2008 };
void AppendTbxHeader(std::string* out, TbxDialect dialect);
void AppendTbxEntry(std::string* out, const TermEntry& e, TbxDialect dialect);
void AppendTbxFooter(std::string* out, TbxDialect dialect);

struct TbxEntry {
  TermEntry entry;      // collection left empty.
  std::string problem;  // Non-empty: skipped.
  long line = 0, column = 0;
};
// Reads TBX 2008 (<martif>) and TBX v3 (<tbx>, namespaces urn:iso:std:iso:30042:ed-2 or ed:3.0).
// *dialect tells which one it was.
Status ReadTbx(const ChunkSource& source, TbxDialect* dialect, const std::function<Status(const TbxEntry&)>& on_entry);

// --- Delimited text ---
// A glossary TSV's status cell: the renderings a translator must not use and the entry's flags, as
// "deprecated: six stabilities|six stables; forbidden: six steadies; do_not_translate; case_sensitive"
// (empty for an entry with none). Parse sets those fields of *e; INVALID_ARGUMENT names an unknown item.
std::string TermStatusCell(const TermEntry& e);
Status ParseTermStatusCell(std::string_view cell, TermEntry* e);
// TSV fields cannot hold tabs or line breaks (OmegaT splits on them): they become spaces.
void AppendTsvRow(std::string* out, const std::vector<std::string>& fields);
// RFC 4180: fields quoted when needed, quotes doubled, CRLF line ends.
void AppendCsvRow(std::string* out, const std::vector<std::string>& fields);
// Calls on_row(fields, line) for every non-empty row that is not a '#' comment (TSV; a '#' first row is
// passed on, since it may be a header) — CSV honours quoted fields spanning lines. INVALID_ARGUMENT for an unterminated quote.
Status ReadDelimited(const ChunkSource& source, char separator,
                     const std::function<Status(const std::vector<std::string>&, long line)>& on_row);

// --- JSON Lines (heluo's own: EXPORT_FORMAT_JSONL and the bundled content, data/README.md) ---
// "established", "project", or "" for an entry without a status.
const char* RenderingStatusName(RenderingStatus s);
void AppendTermJsonLine(std::string* out, const TermEntry& e);
void AppendSegmentJsonLine(std::string* out, const Segment& s);
// The entries of a glossary or TM file in `collection` (a TM's in document order, positioned and linked
// to their neighbours); INVALID_ARGUMENT names the file kind and the line. Reads what the writers write
// except the collection and the authors and times, which the importer decides.
Result<std::vector<TermEntry>> ParseGlossaryJsonl(std::string_view text, const std::string& collection);
Result<std::vector<Segment>> ParseTmJsonl(std::string_view text, const std::string& collection);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_FORMATS_FORMATS_H_
