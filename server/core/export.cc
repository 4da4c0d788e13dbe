// Export: whole glossaries and TMs written out as one snapshot, in chunks (interchange.h says which formats).
#include <string>
#include <vector>

#include "server/core/formats/formats.h"
#include "server/core/interchange.h"  // Declares ExportTm and ExportGlossary; the imports are in interchange.cc.

namespace heluo {
namespace {

constexpr size_t kExportChunkBytes = 64 * 1024;

// Buffers output and hands it to the sink in ~64 KiB chunks.
class ChunkedWriter {
 public:
  explicit ChunkedWriter(const ExportSink& sink) : sink_(sink) {}
  std::string* buffer() { return &buffer_; }
  // Flushes when the buffer is full; false once the sink refused.
  bool Maybe() { return buffer_.size() < kExportChunkBytes || Flush(); }
  bool Flush() {
    if (!ok_ || buffer_.empty()) return ok_;
    ok_ = sink_(buffer_);
    buffer_.clear();
    return ok_;
  }
  Status Finish() {
    Flush();
    return ok_ ? Status::Ok() : Status::FailedPrecondition("export stopped: the receiver went away");
  }

 private:
  const ExportSink& sink_;
  std::string buffer_;
  bool ok_ = true;
};

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// The comment column of the OmegaT TSV layout: the definition and the provenance, readable in one line.
std::string GlossaryComment(const TermEntry& e) {
  std::string c = e.definition_en;
  const std::string status = RenderingStatusName(e.rendering_status);
  if (!status.empty()) c += (c.empty() ? "" : " — ") + std::string("rendering: ") + status;
  if (e.source) c += " (" + e.source->outlet + (e.source->date.empty() ? "" : ", " + e.source->date) + ")";
  return c;
}

}  // namespace

Status ExportTm(const TranslationMemory& tm, ExportFormat format, const ExportSink& sink,
                const std::string& collection) {
  if (format != ExportFormat::kTmx && format != ExportFormat::kTsv && format != ExportFormat::kJsonl) {
    return Status::InvalidArgument("a translation memory exports as tmx, tsv or jsonl");
  }
  ChunkedWriter w(sink);
  if (format == ExportFormat::kTmx) AppendTmxHeader(w.buffer());
  if (format == ExportFormat::kTsv) *w.buffer() += "# source (zh-CN)\ttarget (en-US)\tid\n";
  HELUO_RETURN_IF_ERROR(tm.ForEach([&](const Segment& s) {
    if (!collection.empty() && s.collection != collection) return true;
    switch (format) {
      case ExportFormat::kTmx: AppendTmxUnit(w.buffer(), s); break;
      case ExportFormat::kTsv: AppendTsvRow(w.buffer(), {s.source, s.target, s.id}); break;
      default:
        AppendSegmentJsonLine(w.buffer(), s);
    }
    return w.Maybe();
  }));
  if (format == ExportFormat::kTmx) AppendTmxFooter(w.buffer());
  return w.Finish();
}

Status ExportGlossary(const Glossary& glossary, ExportFormat format, const ExportSink& sink) {
  if (format == ExportFormat::kTmx) return Status::InvalidArgument("a glossary exports as tbx, tbx2008, tsv, csv or jsonl");
  ChunkedWriter w(sink);
  const TbxDialect dialect = format == ExportFormat::kTbx2008 ? TbxDialect::k2008 : TbxDialect::kV3;
  const bool tbx = format == ExportFormat::kTbx || format == ExportFormat::kTbx2008;
  if (tbx) AppendTbxHeader(w.buffer(), dialect);
  if (format == ExportFormat::kTsv) *w.buffer() += "# source (zh-CN)\ttarget (en-US)\tcomment\tstatus\n";
  if (format == ExportFormat::kCsv) {
    AppendCsvRow(w.buffer(), {"id", "zh", "en", "zh_variants", "en_variants", "definition_zh", "definition_en",
                              "rendering_status", "source_outlet", "source_title", "source_url", "source_date", "note",
                              "en_deprecated", "en_forbidden", "do_not_translate", "case_sensitive"});
  }
  HELUO_RETURN_IF_ERROR(glossary.ForEach([&](const TermEntry& e) {
    if (tbx) {
      AppendTbxEntry(w.buffer(), e, dialect);
    } else if (format == ExportFormat::kTsv) {
      AppendTsvRow(w.buffer(), {e.zh, e.en, GlossaryComment(e), TermStatusCell(e)});
    } else if (format == ExportFormat::kCsv) {
      const RenderingSource src = e.source.value_or(RenderingSource{});
      AppendCsvRow(w.buffer(), {e.id, e.zh, e.en, Join(e.zh_variants, "|"), Join(e.en_variants, "|"), e.definition_zh,
                                e.definition_en, RenderingStatusName(e.rendering_status), src.outlet, src.title, src.url, src.date,
                                e.note, Join(e.en_deprecated, "|"), Join(e.en_forbidden, "|"),
                                e.do_not_translate ? "yes" : "", e.case_sensitive ? "yes" : ""});
    } else {
      AppendTermJsonLine(w.buffer(), e);
    }
    return w.Maybe();
  }));
  if (tbx) AppendTbxFooter(w.buffer(), dialect);
  return w.Finish();
}

}  // namespace heluo
