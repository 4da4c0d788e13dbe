#include <algorithm>
#include <cctype>

#include "server/core/formats/formats.h"
#include "server/core/formats/xml_reader.h"
#include "server/core/formats/xml_text.h"

namespace heluo {
namespace {

// "2026-11-25T06:20:00Z" → "20261125T062000Z" (TMX's ISO 8601 basic form); "" stays "".
std::string TmxDate(const std::string& iso) {
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

// "20261125T062000Z" → "2026-11-25T06:20:00Z"; anything else unchanged.
std::string IsoDate(const std::string& tmx) {
  if (tmx.size() != 16 || tmx[8] != 'T') return tmx;
  return tmx.substr(0, 4) + "-" + tmx.substr(4, 2) + "-" + tmx.substr(6, 2) + "T" + tmx.substr(9, 2) + ":" +
         tmx.substr(11, 2) + ":" + tmx.substr(13, 2) + "Z";
}

void Prop(std::string* out, const char* type, const std::string& value) {
  if (value.empty()) return;
  *out += "      <prop type=\"";
  *out += type;
  *out += "\">";
  AppendXmlEscaped(out, value);
  *out += "</prop>\n";
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

void AppendTmxHeader(std::string* out) {
  *out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
      "<tmx version=\"1.4\">\n"
      "  <header creationtool=\"heluo\" creationtoolversion=\"0.1.0\" datatype=\"plaintext\" segtype=\"sentence\"\n"
      "          adminlang=\"en-US\" srclang=\"zh-CN\" o-tmf=\"heluo-lmdb\"/>\n"
      "  <body>\n";
}

void AppendTmxUnit(std::string* out, const Segment& s) {
  *out += "    <tu tuid=\"";
  AppendXmlEscaped(out, s.id);
  *out += "\"";
  auto attr = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    *out += " ";
    *out += name;
    *out += "=\"";
    AppendXmlEscaped(out, value);
    *out += "\"";
  };
  attr("creationdate", TmxDate(s.created_at));
  attr("creationid", s.created_by);
  attr("changedate", TmxDate(s.changed_at));
  attr("changeid", s.changed_by);
  *out += ">\n";
  Prop(out, "x-collection", s.collection);
  Prop(out, "x-section", s.section);
  Prop(out, "x-position", s.position > 0 ? std::to_string(s.position) : "");
  Prop(out, "x-previous-id", s.previous_id);
  Prop(out, "x-next-id", s.next_id);
  *out += "      <tuv xml:lang=\"zh-CN\"><seg>";
  AppendXmlEscaped(out, s.source);
  *out += "</seg></tuv>\n      <tuv xml:lang=\"en-US\"><seg>";
  AppendXmlEscaped(out, s.target);
  *out += "</seg></tuv>\n    </tu>\n";
}

void AppendTmxFooter(std::string* out) { *out += "  </body>\n</tmx>\n"; }

Status ReadTmx(const ChunkSource& source, const std::function<Status(const TmxUnit&)>& on_unit) {
  TmxUnit unit;
  bool in_tu = false, saw_root = false;
  std::string lang, seg_text, prop_type, text;
  int seg_depth = 0;      // Inside <seg>.
  int skip_depth = 0;     // Inside inline native code (<bpt>, <ept>, <ph>, <it>, <ut>): not text.
  bool in_prop = false;
  XmlReader* reader_ptr = nullptr;
  XmlReader::Handlers h;
  h.start = [&](const std::string& name, const XmlReader::Attributes& a) -> Status {
    if (!saw_root) {
      saw_root = true;
      if (name != "tmx") return Status::InvalidArgument("not a TMX file: the root element is <" + name + ">, not <tmx>");
    }
    if (name == "tu") {
      unit = TmxUnit{};
      in_tu = true;
      unit.line = reader_ptr->line();
      unit.column = reader_ptr->column();
      auto get = [&](const char* k) { auto it = a.find(k); return it == a.end() ? std::string() : it->second; };
      unit.tuid = get("tuid");
      unit.creation_id = get("creationid");
      unit.creation_date = IsoDate(get("creationdate"));
      unit.change_id = get("changeid");
      unit.change_date = IsoDate(get("changedate"));
    } else if (name == "tuv" && in_tu) {
      auto it = a.find("xml:lang");
      if (it == a.end()) it = a.find("lang");  // TMX 1.1 (OmegaT's -omegat.tmx) uses lang.
      lang = it == a.end() ? "" : Lower(it->second);
    } else if (name == "seg" && in_tu) {
      seg_depth = 1;
      seg_text.clear();
    } else if (seg_depth > 0) {
      ++seg_depth;
      if (name == "bpt" || name == "ept" || name == "ph" || name == "it" || name == "ut") ++skip_depth;
    } else if (name == "prop" && in_tu) {
      in_prop = true;
      auto it = a.find("type");
      prop_type = it == a.end() ? "" : it->second;
      text.clear();
    }
    return Status::Ok();
  };
  h.end = [&](const std::string& name) -> Status {
    if (seg_depth > 1) {
      --seg_depth;
      if (name == "bpt" || name == "ept" || name == "ph" || name == "it" || name == "ut") --skip_depth;
      return Status::Ok();
    }
    if (name == "seg" && seg_depth == 1) {
      seg_depth = 0;
      const std::string primary = lang.substr(0, lang.find('-'));
      if (primary == "zh" && unit.source.empty()) unit.source = seg_text;
      if (primary == "en" && unit.target.empty()) unit.target = seg_text;
    } else if (name == "prop" && in_prop) {
      in_prop = false;
      unit.props[prop_type] = text;
    } else if (name == "tu" && in_tu) {
      in_tu = false;
      if (unit.source.empty()) {
        unit.problem = "no Chinese (zh, zh-CN, zh-Hans…) variant";
      } else if (unit.target.empty()) {
        unit.problem = "no English (en, en-US, en-GB…) variant";
      }
      return on_unit(unit);
    }
    return Status::Ok();
  };
  h.text = [&](std::string_view t) {
    if (seg_depth > 0 && skip_depth == 0) seg_text.append(t);
    if (in_prop) text.append(t);
  };
  XmlReader reader(std::move(h));
  reader_ptr = &reader;
  return reader.ReadAll(source);
}

}  // namespace heluo
