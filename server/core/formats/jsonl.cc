// JSON Lines, heluo's own interchange format: what EXPORT_FORMAT_JSONL writes and the bundled content
// (data/glossary/*.jsonl, data/tm/*.jsonl, documented in data/README.md) is read from. One object a line,
// keys named as the fields of TermEntry and Segment (a segment's source and target as "zh" and "en").
#include <nlohmann/json.hpp>

#include "server/core/formats/formats.h"

namespace heluo {
namespace {

using nlohmann::json;

// Calls fn(line_number, json) for every non-blank line; stops at the first error.
Status ForEachJsonLine(std::string_view text, std::string_view what,
                       const std::function<Status(int, const json&)>& fn) {
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    const std::string where = std::string(what) + " line " + std::to_string(line_no);
    if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument(where + " is not a JSON object");
    try {
      Status st = fn(line_no, j);
      if (!st.ok()) return Status::InvalidArgument(where + ": " + st.message());
    } catch (const json::exception& e) {
      return Status::InvalidArgument(where + ": missing or mistyped field (" + e.what() + ")");
    }
  }
  return Status::Ok();
}

// The records of `text`, one a non-blank line: each gets its id from the line and `collection`, and `read`
// sets the rest from the line's object.
template <typename Record>
Result<std::vector<Record>> ReadJsonLines(std::string_view text, std::string_view what, const std::string& collection,
                                          const std::function<Status(const json&, Record*)>& read) {
  std::vector<Record> out;
  HELUO_RETURN_IF_ERROR(ForEachJsonLine(text, what, [&](int, const json& j) -> Status {
    Record r;
    r.id = j.at("id");
    r.collection = collection;
    HELUO_RETURN_IF_ERROR(read(j, &r));
    out.push_back(std::move(r));
    return Status::Ok();
  }));
  return out;
}

}  // namespace

const char* RenderingStatusName(RenderingStatus s) {
  return s == RenderingStatus::kEstablished ? "established" : s == RenderingStatus::kProject ? "project" : "";
}

void AppendTermJsonLine(std::string* out, const TermEntry& e) {
  json j = {{"id", e.id},
            {"collection", e.collection},
            {"kind", e.kind},
            {"zh", e.zh},
            {"zh_variants", e.zh_variants},
            {"en", e.en},
            {"en_variants", e.en_variants},
            {"en_deprecated", e.en_deprecated},
            {"en_forbidden", e.en_forbidden},
            {"do_not_translate", e.do_not_translate},
            {"case_sensitive", e.case_sensitive},
            {"definition_zh", e.definition_zh},
            {"definition_en", e.definition_en},
            {"rendering_status", RenderingStatusName(e.rendering_status)},
            {"source", nullptr},
            {"note", e.note},
            {"created_by", e.created_by},
            {"created_at", e.created_at},
            {"changed_by", e.changed_by},
            {"changed_at", e.changed_at}};
  if (e.source) {
    j["source"] = {
        {"outlet", e.source->outlet}, {"title", e.source->title}, {"url", e.source->url}, {"date", e.source->date}};
  }
  *out += j.dump() + "\n";
}

void AppendSegmentJsonLine(std::string* out, const Segment& s) {
  *out += json({{"id", s.id},
                {"collection", s.collection},
                {"section", s.section},
                {"position", s.position},
                {"zh", s.source},
                {"en", s.target},
                {"created_by", s.created_by},
                {"created_at", s.created_at},
                {"changed_by", s.changed_by},
                {"changed_at", s.changed_at}})
              .dump() +
          "\n";
}

Result<std::vector<TermEntry>> ParseGlossaryJsonl(std::string_view text, const std::string& collection) {
  return ReadJsonLines<TermEntry>(text, "glossary", collection, [](const json& j, TermEntry* e) -> Status {
    e->kind = j.value("kind", "");
    e->zh = j.at("zh");
    e->zh_variants = j.value("zh_variants", std::vector<std::string>{});
    e->en = j.at("en");
    e->en_variants = j.value("en_variants", std::vector<std::string>{});
    e->en_deprecated = j.value("en_deprecated", std::vector<std::string>{});
    e->en_forbidden = j.value("en_forbidden", std::vector<std::string>{});
    e->do_not_translate = j.value("do_not_translate", false);
    e->case_sensitive = j.value("case_sensitive", false);
    e->definition_zh = j.value("definition_zh", "");
    e->definition_en = j.value("definition_en", "");
    const std::string status = j.at("rendering_status");
    if (status == "established") {
      e->rendering_status = RenderingStatus::kEstablished;
    } else if (status == "project") {
      e->rendering_status = RenderingStatus::kProject;
    } else {
      return Status::InvalidArgument("rendering_status must be \"established\" or \"project\"");
    }
    if (j.contains("source") && j["source"].is_object()) {
      const json& s = j["source"];
      e->source = RenderingSource{s.value("outlet", ""), s.value("title", ""), s.value("url", ""), s.value("date", "")};
    }
    e->note = j.value("note", "");
    return Status::Ok();
  });
}

Result<std::vector<Segment>> ParseTmJsonl(std::string_view text, const std::string& collection) {
  Result<std::vector<Segment>> out = ReadJsonLines<Segment>(text, "tm", collection, [](const json& j, Segment* s) {
    s->source = j.at("zh");
    s->target = j.at("en");
    s->section = j.value("section", "");
    return Status::Ok();
  });
  if (!out.ok()) return out;
  std::vector<Segment>& segments = *out;  // In document order: positions from 1, each linked to its neighbours.
  for (size_t i = 0; i < segments.size(); ++i) {
    segments[i].position = static_cast<int32_t>(i + 1);
    if (i > 0) segments[i].previous_id = segments[i - 1].id;
    if (i + 1 < segments.size()) segments[i].next_id = segments[i + 1].id;
  }
  return out;
}

}  // namespace heluo
