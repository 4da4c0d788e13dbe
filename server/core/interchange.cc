#include "server/core/interchange.h"

#include <xxhash.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "server/core/formats/formats.h"
#include "server/core/tm/bulk_import.h"

namespace heluo {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;

// Reads a file in chunks.
ChunkSource FileSource(const std::string& path, int64_t* bytes) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  return [in, bytes](std::string* chunk) {
    chunk->resize(kChunkBytes);
    in->read(chunk->data(), static_cast<std::streamsize>(chunk->size()));
    chunk->resize(static_cast<size_t>(in->gcount()));
    *bytes += static_cast<int64_t>(chunk->size());
    return !chunk->empty();
  };
}

enum class FileKind { kXml, kTsv, kCsv, kEmpty, kUtf16Text };

// The first 8 KiB of a file as 8-bit text for sniffing: a UTF-8 BOM is dropped, and UTF-16 (with a byte order
// mark, or starting with '<' next to a zero byte) is narrowed to its low bytes, so "<tmx" reads as such.
// *utf16 says which it was.
std::string HeadForSniffing(const std::string& path, bool* utf16) {
  std::ifstream in(path, std::ios::binary);
  std::string head(8192, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  *utf16 = false;
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) return head.substr(3);
  const bool le = head.rfind("\xFF\xFE", 0) == 0 || head.rfind(std::string("<\0", 2), 0) == 0;
  const bool be = head.rfind("\xFE\xFF", 0) == 0 || head.rfind(std::string("\0<", 2), 0) == 0;
  if (!le && !be) return head;
  *utf16 = true;
  std::string narrow;
  for (size_t i = (head[0] == '<' || head[1] == '<') ? 0 : 2; i + 1 < head.size(); i += 2) {
    const char hi = le ? head[i + 1] : head[i];
    narrow.push_back(hi == '\0' ? (le ? head[i] : head[i + 1]) : '?');
  }
  return narrow;
}

// What a file is, from its first bytes: XML if it starts with '<' (after a BOM and blanks, in UTF-8 or
// UTF-16); tab-separated if its first line holds a tab; CSV otherwise.
FileKind Sniff(const std::string& path) {
  bool utf16 = false;
  const std::string head = HeadForSniffing(path, &utf16);
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return FileKind::kEmpty;
  if (head[first] == '<') return FileKind::kXml;
  if (utf16) return FileKind::kUtf16Text;
  // The first line that is not a '#' comment decides (OmegaT glossaries start with comments).
  std::istringstream lines(head);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    return line.find('\t') != std::string::npos ? FileKind::kTsv : FileKind::kCsv;
  }
  return FileKind::kCsv;
}

// Root element name of an XML file (after the prolog), or "".
std::string XmlRoot(const std::string& path) {
  bool utf16 = false;
  const std::string head = HeadForSniffing(path, &utf16);
  for (size_t at = head.find('<'); at != std::string::npos; at = head.find('<', at + 1)) {
    if (at + 1 < head.size() && (head[at + 1] == '?' || head[at + 1] == '!')) continue;
    const size_t end = head.find_first_of(" \t\r\n/>", at + 1);
    return head.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
  }
  return "";
}

// Delimited text is read as UTF-8 only; a UTF-16 one is refused with what to do instead of being misread.
Status RefuseUtf16Text() {
  return Status::InvalidArgument(
      "line 1, column 1: this tab-separated or CSV file is UTF-16; save it as UTF-8 (TMX and TBX may be UTF-16)");
}

// A stable id for a unit that came without one: the collection and a hash of its source.
std::string DerivedId(const std::string& prefix, const std::string& collection, const std::string& text) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH64(text.data(), text.size(), 0)));
  return prefix + collection.substr(0, 24) + "-" + buf;
}

void Skip(ImportSummary* summary, long line, long column, const std::string& id, const std::string& reason) {
  ++summary->skipped;
  if (summary->issues.size() < kMaxImportIssues) summary->issues.push_back({line, column, id, reason});
}

std::string Where(long line, long column) { return ImportPosition(line, column); }

// Why the first skipped unit was skipped, and where: a refusal must say why, not only how many.
std::string FirstIssue(const ImportSummary& summary) {
  if (summary.issues.empty()) return "";
  const ImportIssue& i = summary.issues.front();
  return "; the first at " + Where(i.line, i.column) + ": " + i.reason;
}

// Every <tu> of a TMX file with the id and collection an import gives it (ImportTm and ReadTmxPairs).
Status ReadTmxUnits(const std::string& path, const std::string& collection, int64_t* bytes,
                    const std::function<Status(const TmxUnit&, TmxPair&)>& on_unit) {
  return ReadTmx(FileSource(path, bytes), [&](const TmxUnit& u) -> Status {
    TmxPair p;
    auto prop = u.props.find("x-collection");
    p.collection = !collection.empty()                             ? collection
                   : prop != u.props.end() && !prop->second.empty() ? prop->second
                                                                    : "imported";
    p.id = u.tuid.empty() ? DerivedId("tu-", p.collection, u.source) : u.tuid;
    p.line = u.line;
    p.column = u.column;
    p.problem = u.problem;
    if (p.problem.empty()) {
      p.source = u.source;
      p.target = u.target;
    }
    return on_unit(u, p);
  });
}

}  // namespace

Status ReadTmxPairs(const std::string& path, const std::string& collection, int64_t* bytes,
                    const std::function<Status(TmxPair&)>& on_pair) {
  const FileKind kind = Sniff(path);
  if (kind == FileKind::kEmpty) return Status::InvalidArgument("the file is empty");
  if (kind != FileKind::kXml) return Status::InvalidArgument("not a TMX file: it does not start with XML");
  return ReadTmxUnits(path, collection, bytes, [&](const TmxUnit&, TmxPair& p) { return on_pair(p); });
}

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

Result<ImportSummary> ImportTm(Store& store, const TranslationMemory& /*tm*/, const std::string& path,
                               const ImportOptions& options) {
  const FileKind kind = Sniff(path);
  if (kind == FileKind::kEmpty) return Status::InvalidArgument("the file is empty");
  if (kind == FileKind::kUtf16Text) return RefuseUtf16Text();
  if (kind == FileKind::kXml && XmlRoot(path) != "tmx") {
    return Status::InvalidArgument("a translation memory imports from TMX or tab-separated source/target pairs; this is <" +
                                   XmlRoot(path) + ">");
  }
  ImportSummary summary;
  summary.format = kind == FileKind::kXml ? "tmx" : "tsv";
  summary.dry_run = options.dry_run;
  TmBulkImport import(&store, options, &summary);
  HELUO_RETURN_IF_ERROR(import.Begin());
  Status parsed;
  if (kind == FileKind::kXml) {
    parsed = ReadTmxUnits(path, options.collection, &summary.bytes, [&](const TmxUnit& u, TmxPair& p) -> Status {
      if (!p.problem.empty()) {
        Skip(&summary, u.line, u.column, p.id, p.problem);
        return Status::Ok();
      }
      Segment s;
      s.id = std::move(p.id);
      s.collection = std::move(p.collection);
      s.source = std::move(p.source);
      s.target = std::move(p.target);
      auto prop = u.props.find("x-section");
      if (prop != u.props.end()) s.section = prop->second;
      s.created_by = u.creation_id;
      s.created_at = u.creation_date;
      s.changed_by = u.change_id;
      s.changed_at = u.change_date;
      Status v = ValidateId(s.id, "segment");
      if (!v.ok()) {
        Skip(&summary, u.line, u.column, s.id, v.message());
        return Status::Ok();
      }
      return import.Add(std::move(s), u.line, u.column);
    });
  } else {
    // source<TAB>target; a third column is an id only under a header that names it (heluo's export does).
    DelimitedColumns columns(options.header, {0, 1, -1, -1}, 2, 2, {}, /*comments=*/true,
                             "a translation-memory TSV row (source<TAB>target, or a third column under a "
                             "header naming it id)");
    parsed = ReadDelimited(FileSource(path, &summary.bytes), '\t', [&](const std::vector<std::string>& f, long line) -> Status {
      bool data = false;
      HELUO_RETURN_IF_ERROR(columns.Take(f, line, &data));
      if (!data) return Status::Ok();
      const DelimitedColumns::Layout& c = columns.layout();
      auto cell = [&](int i) { return DelimitedColumns::Cell(f, i); };
      if (cell(c.zh).empty() || cell(c.en).empty()) {
        Skip(&summary, line, 0, "", "a row needs a source and a target separated by a tab");
        return Status::Ok();
      }
      Segment s;
      s.collection = options.collection.empty() ? "imported" : options.collection;
      s.id = !cell(c.id).empty() ? cell(c.id) : DerivedId("tu-", s.collection, cell(c.zh));
      s.source = cell(c.zh);
      s.target = cell(c.en);
      Status v = ValidateId(s.id, "segment");
      if (!v.ok()) return Status::InvalidArgument(Where(line, 0) + ": " + v.message());
      return import.Add(std::move(s), line, 0);
    });
  }
  if (!parsed.ok()) return import.Abort(parsed);
  HELUO_RETURN_IF_ERROR(import.Finish(FirstIssue(summary)));
  return summary;
}

Result<ImportSummary> ImportGlossary(Store& store, const Glossary& glossary, const std::string& path,
                                     const ImportOptions& options) {
  const FileKind kind = Sniff(path);
  if (kind == FileKind::kEmpty) return Status::InvalidArgument("the file is empty");
  if (kind == FileKind::kUtf16Text) return RefuseUtf16Text();
  ImportSummary summary;
  Status st = store.Write([&](LmdbTxn& txn) -> Status {
    summary = ImportSummary{};
    summary.dry_run = options.dry_run;
    std::set<std::string> seen;
    auto take = [&](TermEntry e, long line, long column) -> Status {
      if (e.collection.empty() || !options.collection.empty()) e.collection = options.collection.empty() ? "imported" : options.collection;
      if (e.id.empty()) e.id = DerivedId("t-", e.collection, e.zh);
      if (!seen.insert(e.id).second) {
        return Status::InvalidArgument("duplicate id '" + e.id + "' at " + Where(line, column) + "; nothing was imported");
      }
      if (e.rendering_status == RenderingStatus::kUnspecified) e.rendering_status = RenderingStatus::kProject;
      Result<std::optional<TermEntry>> old = glossary.Find(txn, e.id);
      if (!old.ok()) return old.status();
      if (old->has_value()) {
        const TermEntry& o = **old;
        const bool same = o.zh == e.zh && o.en == e.en && o.zh_variants == e.zh_variants && o.en_variants == e.en_variants &&
                          o.en_deprecated == e.en_deprecated && o.en_forbidden == e.en_forbidden &&
                          o.do_not_translate == e.do_not_translate && o.case_sensitive == e.case_sensitive &&
                          o.definition_zh == e.definition_zh && o.definition_en == e.definition_en && o.note == e.note &&
                          o.kind == e.kind && o.rendering_status == e.rendering_status && o.collection == e.collection;
        ++(same ? summary.unchanged : summary.updated);
        if (e.created_by.empty()) e.created_by = o.created_by;
        if (e.created_at.empty()) e.created_at = o.created_at;
        if (!same) {
          e.changed_by = options.author;
          e.changed_at = options.now;
        }
      } else {
        ++summary.created;
      }
      FillAudit(&e, options);
      Status v = ValidateId(e.id, "term");
      if (!v.ok()) {
        Skip(&summary, line, column, e.id, v.message());
        return Status::Ok();
      }
      Status put = glossary.Put(txn, e);
      if (!put.ok()) return Status::InvalidArgument("entry at " + Where(line, column) + ": " + put.message());
      return Status::Ok();
    };
    Status parsed;
    if (kind == FileKind::kXml) {
      TbxDialect dialect = TbxDialect::kV3;
      parsed = ReadTbx(FileSource(path, &summary.bytes), &dialect, [&](const TbxEntry& t) -> Status {
        if (!t.problem.empty()) {
          Skip(&summary, t.line, t.column, t.entry.id, t.problem);
          return Status::Ok();
        }
        return take(t.entry, t.line, t.column);
      });
      summary.format = dialect == TbxDialect::k2008 ? "tbx2008" : "tbx";
    } else {
      const char sep = kind == FileKind::kTsv ? '\t' : ',';
      summary.format = kind == FileKind::kTsv ? "tsv" : "csv";
      // zh, en and an optional comment (OmegaT's layout), or heluo's 17-column CSV (13 before term statuses);
      // a header may reorder them.
      DelimitedColumns columns(options.header, {0, 1, -1, 2}, 2, 3, sep == ',' ? std::vector<size_t>{13, 17} : std::vector<size_t>{},
                               /*comments=*/sep == '\t',
                               std::string("a glossary ") + (sep == ',' ? "CSV" : "TSV") +
                                   " row (Chinese, English and an optional comment)");
      parsed = ReadDelimited(FileSource(path, &summary.bytes), sep, [&](const std::vector<std::string>& f, long line) -> Status {
        bool data = false;
        HELUO_RETURN_IF_ERROR(columns.Take(f, line, &data));
        if (!data) return Status::Ok();
        const DelimitedColumns::Layout& c = columns.layout();
        auto cell = [&](int i) { return DelimitedColumns::Cell(f, i); };
        TermEntry e;
        if (sep == ',' && (f.size() == 13 || f.size() == 17)) {  // heluo's CSV layout (see ExportGlossary).
          auto split = [](const std::string& s) {
            std::vector<std::string> out;
            for (size_t start = 0; !s.empty() && start <= s.size();) {
              const size_t bar = s.find('|', start);
              out.push_back(s.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
              if (bar == std::string::npos) break;
              start = bar + 1;
            }
            return out;
          };
          e.id = f[0];
          e.zh = f[1];
          e.en = f[2];
          e.zh_variants = split(f[3]);
          e.en_variants = split(f[4]);
          e.definition_zh = f[5];
          e.definition_en = f[6];
          e.rendering_status = f[7] == "established" ? RenderingStatus::kEstablished : RenderingStatus::kProject;
          if (!f[8].empty() || !f[9].empty() || !f[10].empty() || !f[11].empty()) e.source = RenderingSource{f[8], f[9], f[10], f[11]};
          e.note = f[12];
          if (f.size() == 17) {
            e.en_deprecated = split(f[13]);
            e.en_forbidden = split(f[14]);
            auto flag = [&](const std::string& v, const char* name, bool* out) -> Status {
              if (v != "" && v != "yes" && v != "no") {
                return Status::InvalidArgument("line " + std::to_string(line) + ": " + name +
                                               " must be \"yes\", \"no\" or empty, not \"" + v + "\"; nothing was imported");
              }
              *out = v == "yes";
              return Status::Ok();
            };
            HELUO_RETURN_IF_ERROR(flag(f[15], "do_not_translate", &e.do_not_translate));
            HELUO_RETURN_IF_ERROR(flag(f[16], "case_sensitive", &e.case_sensitive));
          }
        } else if (!cell(c.zh).empty() && !cell(c.en).empty()) {  // OmegaT layout: source, target, comment.
          e.zh = cell(c.zh);
          e.en = cell(c.en);
          e.id = cell(c.id);
          e.note = cell(c.note);
          Status status = ParseTermStatusCell(cell(c.status), &e);
          if (!status.ok()) {
            return Status::InvalidArgument("line " + std::to_string(line) + ": " + status.message() +
                                           "; nothing was imported");
          }
        } else {
          Skip(&summary, line, 0, "", "a row needs a Chinese term and its English rendering");
          return Status::Ok();
        }
        return take(std::move(e), line, 0);
      });
    }
    HELUO_RETURN_IF_ERROR(parsed);
    if (summary.created + summary.updated + summary.unchanged == 0) {
      return Status::InvalidArgument("the file holds no usable entry (" + std::to_string(summary.skipped) + " skipped" +
                                     FirstIssue(summary) + ")");
    }
    return Status::Ok();
  }, /*commit=*/!options.dry_run, options.limits);
  if (!st.ok()) return st;
  return summary;
}

}  // namespace heluo
