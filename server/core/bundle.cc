#include "server/core/bundle.h"

#include <fstream>

#include "server/core/interchange.h"
#include <nlohmann/json.hpp>
#include <sstream>

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

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  *ok = static_cast<bool>(in);
  return buf.str();
}

}  // namespace

Result<std::vector<TermEntry>> ParseGlossaryJsonl(std::string_view text, const std::string& collection) {
  std::vector<TermEntry> out;
  Status st = ForEachJsonLine(text, "glossary", [&](int, const json& j) -> Status {
    TermEntry e;
    e.id = j.at("id");
    e.collection = collection;
    e.kind = j.value("kind", "");
    e.zh = j.at("zh");
    e.zh_variants = j.value("zh_variants", std::vector<std::string>{});
    e.en = j.at("en");
    e.en_variants = j.value("en_variants", std::vector<std::string>{});
    e.en_deprecated = j.value("en_deprecated", std::vector<std::string>{});
    e.en_forbidden = j.value("en_forbidden", std::vector<std::string>{});
    e.do_not_translate = j.value("do_not_translate", false);
    e.case_sensitive = j.value("case_sensitive", false);
    e.definition_zh = j.value("definition_zh", "");
    e.definition_en = j.value("definition_en", "");
    const std::string status = j.at("rendering_status");
    if (status == "established") {
      e.rendering_status = RenderingStatus::kEstablished;
    } else if (status == "project") {
      e.rendering_status = RenderingStatus::kProject;
    } else {
      return Status::InvalidArgument("rendering_status must be \"established\" or \"project\"");
    }
    if (j.contains("source") && j["source"].is_object()) {
      const json& s = j["source"];
      e.source = RenderingSource{s.value("outlet", ""), s.value("title", ""), s.value("url", ""), s.value("date", "")};
    }
    e.note = j.value("note", "");
    out.push_back(std::move(e));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Segment>> ParseTmJsonl(std::string_view text, const std::string& collection) {
  std::vector<Segment> out;
  Status st = ForEachJsonLine(text, "tm", [&](int, const json& j) -> Status {
    Segment s;
    s.id = j.at("id");
    s.collection = collection;
    s.source = j.at("zh");
    s.target = j.at("en");
    s.section = j.value("section", "");
    s.position = static_cast<int32_t>(out.size() + 1);
    out.push_back(std::move(s));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) out[i].previous_id = out[i - 1].id;
    if (i + 1 < out.size()) out[i].next_id = out[i + 1].id;
  }
  return out;
}

Result<BundleImport> ImportBundleOnce(Store& store, const Bundle& bundle) {
  Result<std::vector<TermEntry>> terms = ParseGlossaryJsonl(bundle.glossary_jsonl, bundle.collection);
  if (!terms.ok()) return terms.status();
  Result<std::vector<Segment>> segments = ParseTmJsonl(bundle.tm_jsonl, bundle.collection);
  if (!segments.ok()) return segments.status();
  const std::string marker = "bundle:" + bundle.collection;
  Glossary glossary(&store);
  TranslationMemory tm(&store);
  BundleImport result;
  HELUO_RETURN_IF_ERROR(store.Write([&](LmdbTxn& txn) -> Status {
    result = BundleImport{};
    Result<std::optional<std::string_view>> seen = txn.Get(store.dbs().meta, marker);
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) return Status::Ok();
    const std::string now = NowIso8601();
    for (TermEntry e : *terms) {
      e.created_by = e.changed_by = "heluo-bundle";
      e.created_at = e.changed_at = now;
      HELUO_RETURN_IF_ERROR(glossary.Put(txn, e));
    }
    for (Segment s : *segments) {
      s.created_by = s.changed_by = "heluo-bundle";
      s.created_at = s.changed_at = now;
      HELUO_RETURN_IF_ERROR(tm.Put(txn, s));
    }
    HELUO_RETURN_IF_ERROR(txn.Put(store.dbs().meta, marker, "1"));
    result = BundleImport{true, static_cast<int>(terms->size()), static_cast<int>(segments->size())};
    return Status::Ok();
  }));
  return result;
}

Result<Bundle> ReadBundleDirectory(const std::string& dir, const std::string& collection) {
  Bundle b;
  b.collection = collection;
  bool ok = false;
  const std::string glossary_path = dir + "/glossary/" + collection + ".jsonl";
  b.glossary_jsonl = ReadFile(glossary_path, &ok);
  if (!ok) return Status::FailedPrecondition("cannot read " + glossary_path);
  const std::string tm_path = dir + "/tm/" + collection + ".jsonl";
  b.tm_jsonl = ReadFile(tm_path, &ok);
  if (!ok) return Status::FailedPrecondition("cannot read " + tm_path);
  return b;
}

}  // namespace heluo
