#include <algorithm>
#include <cctype>

#include "server/core/formats/formats.h"
#include "server/core/formats/xml_reader.h"
#include "server/core/formats/xml_text.h"

namespace heluo {
namespace {

constexpr const char* kPreferred = "preferredTerm-admn-sts";
constexpr const char* kAdmitted = "admittedTerm-admn-sts";
constexpr const char* kDeprecated = "deprecatedTerm-admn-sts";
constexpr const char* kSuperseded = "supersededTerm-admn-sts";
// TBX's administrativeStatus picklist has no "forbidden": a forbidden rendering is written as deprecated
// (what every TBX reader understands as "do not use") with a usageNote that heluo reads back as forbidden.
// See docs/terminology-qa.md.
constexpr const char* kForbiddenUsage = "forbidden";

// Flags heluo writes as "name: yes" notes and reads back.
constexpr std::pair<const char*, bool TermEntry::*> kFlagNotes[] = {
    {"do_not_translate", &TermEntry::do_not_translate},
    {"case_sensitive", &TermEntry::case_sensitive},
};

// Notes heluo writes and reads back: "name: value".
constexpr std::pair<const char*, std::string TermEntry::*> kNoteFields[] = {
    {"kind", &TermEntry::kind},
    {"collection", &TermEntry::collection},
};

void Element(std::string* out, const std::string& indent, const std::string& open, const std::string& close,
             const std::string& text) {
  if (text.empty()) return;
  *out += indent + open;
  AppendXmlEscaped(out, text);
  *out += close + "\n";
}

std::string SourceText(const RenderingSource& s) { return s.outlet + " | " + s.title + " | " + s.url + " | " + s.date; }

RenderingSource ParseSource(const std::string& text) {
  RenderingSource s;
  std::string* fields[] = {&s.outlet, &s.title, &s.url, &s.date};
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const size_t bar = i < 3 ? text.find(" | ", start) : std::string::npos;
    *fields[i] = text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (bar == std::string::npos) break;
    start = bar + 3;
  }
  return s;
}

void Transac(std::string* out, const std::string& indent, const char* type, const std::string& who,
             const std::string& when) {
  if (who.empty() && when.empty()) return;
  *out += indent + "<transacGrp><transac type=\"transactionType\">" + type + "</transac>";
  if (!when.empty()) *out += "<date>" + XmlEscaped(when.substr(0, 10)) + "</date>";
  if (!who.empty()) {
    *out += "<transacNote type=\"responsibility\">";
    AppendXmlEscaped(out, who);
    *out += "</transacNote>";
  }
  *out += "</transacGrp>\n";
}

}  // namespace

void AppendTbxHeader(std::string* out, TbxDialect d) {
  *out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (d == TbxDialect::kV3) {
    *out +=
        "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n"
        "  <tbxHeader>\n    <fileDesc>\n      <titleStmt><title>heluo glossary export</title></titleStmt>\n"
        "      <sourceDesc><p>Exported by heluo 0.1.0 (TBX-Basic, ISO 30042:2019 DCA style)</p></sourceDesc>\n"
        "    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n";
  } else {
    *out +=
        "<martif type=\"TBX-Basic\" xml:lang=\"en-US\">\n"
        "  <martifHeader>\n    <fileDesc>\n      <titleStmt><title>heluo glossary export</title></titleStmt>\n"
        "      <sourceDesc><p>Exported by heluo 0.1.0 (TBX-Basic, TBX 2008 / martif)</p></sourceDesc>\n"
        "    </fileDesc>\n    <encodingDesc><p type=\"XCSURI\">TBXBasicXCSV02.xcs</p></encodingDesc>\n"
        "  </martifHeader>\n  <text>\n    <body>\n";
  }
}

void AppendTbxEntry(std::string* out, const TermEntry& e, TbxDialect d) {
  const bool v3 = d == TbxDialect::kV3;
  const std::string entry = v3 ? "conceptEntry" : "termEntry", lang_el = v3 ? "langSec" : "langSet",
                    term_el = v3 ? "termSec" : "tig";
  // xml:id values must be XML names: an id starting with a digit, '.' or '-' gets a leading '_'.
  const bool name_start = !e.id.empty() && (std::isalpha(static_cast<unsigned char>(e.id[0])) || e.id[0] == '_');
  *out += "      <" + entry + " id=\"" + (name_start ? "" : "_") + XmlEscaped(e.id) + "\">\n";
  for (auto [name, field] : kNoteFields) Element(out, "        ", "<note>" + std::string(name) + ": ", "</note>", e.*field);
  Element(out, "        ", "<note>rendering_status: ",
          "</note>", e.rendering_status == RenderingStatus::kEstablished ? "established"
                     : e.rendering_status == RenderingStatus::kProject   ? "project"
                                                                          : "");
  for (auto [name, flag] : kFlagNotes) Element(out, "        ", "<note>" + std::string(name) + ": ", "</note>", e.*flag ? "yes" : "");
  Element(out, "        ", "<note>", "</note>", e.note);
  Transac(out, "        ", "origination", e.created_by, e.created_at);
  Transac(out, "        ", "modification", e.changed_by, e.changed_at);
  auto lang = [&](const char* code, const std::string& preferred, const std::vector<std::string>& variants,
                  const std::string& definition, bool with_source) {
    *out += "        <" + lang_el + " xml:lang=\"" + code + "\">\n";
    Element(out, "          ", "<descrip type=\"definition\">", "</descrip>", definition);
    auto term = [&](const std::string& t, const char* status, bool source, bool forbidden = false) {
      *out += "          <" + term_el + "><term>" + XmlEscaped(t) + "</term><termNote type=\"administrativeStatus\">" +
              status + "</termNote>";
      if (forbidden) *out += std::string("<termNote type=\"usageNote\">") + kForbiddenUsage + "</termNote>";
      if (source && e.source) *out += "<admin type=\"source\">" + XmlEscaped(SourceText(*e.source)) + "</admin>";
      *out += "</" + term_el + ">\n";
    };
    term(preferred, kPreferred, with_source);
    for (const std::string& v : variants) term(v, kAdmitted, false);
    if (with_source) {  // English: the renderings a translator must not use.
      for (const std::string& v : e.en_deprecated) term(v, kDeprecated, false);
      for (const std::string& v : e.en_forbidden) term(v, kDeprecated, false, true);
    }
    *out += "        </" + lang_el + ">\n";
  };
  lang("zh-CN", e.zh, e.zh_variants, e.definition_zh, false);
  lang("en-US", e.en, e.en_variants, e.definition_en, true);
  *out += "      </" + entry + ">\n";
}

void AppendTbxFooter(std::string* out, TbxDialect d) {
  *out += d == TbxDialect::kV3 ? "    </body>\n  </text>\n</tbx>\n" : "    </body>\n  </text>\n</martif>\n";
}

Status ReadTbx(const ChunkSource& source, TbxDialect* dialect, const std::function<Status(const TbxEntry&)>& on_entry) {
  TbxEntry cur;
  bool saw_root = false, in_entry = false;
  std::string lang, text, note_type, term_text, term_status, term_usage, term_source;
  enum class Field { kNone, kTerm, kTermNote, kUsageNote, kDefinition, kNote, kAdminSource, kTransac, kDate, kResponsibility };
  Field field = Field::kNone;
  std::string transac_type, transac_date, transac_who;
  bool in_term = false;
  XmlReader* reader_ptr = nullptr;
  std::vector<std::string> zh_terms, en_terms;
  std::string zh_preferred, en_preferred;

  XmlReader::Handlers h;
  h.start = [&](const std::string& name, const XmlReader::Attributes& a) -> Status {
    auto get = [&](const char* k) { auto it = a.find(k); return it == a.end() ? std::string() : it->second; };
    if (!saw_root) {
      saw_root = true;
      if (name == "martif") {
        *dialect = TbxDialect::k2008;
      } else if (name == "tbx") {
        *dialect = TbxDialect::kV3;
        const std::string ns = get("xmlns");
        if (ns != "urn:iso:std:iso:30042:ed-2" && ns != "urn:iso:std:iso:30042:ed:3.0") {
          return Status::InvalidArgument("unknown TBX namespace \"" + ns +
                                         "\" (accepted: urn:iso:std:iso:30042:ed-2 and urn:iso:std:iso:30042:ed:3.0)");
        }
      } else {
        return Status::InvalidArgument("not a TBX file: the root element is <" + name + ">, not <martif> or <tbx>");
      }
    }
    text.clear();
    if (name == "termEntry" || name == "conceptEntry") {
      cur = TbxEntry{};
      in_entry = true;
      cur.entry.id = get("id");
      if (!cur.entry.id.empty() && cur.entry.id[0] == '_') cur.entry.id.erase(0, 1);  // See AppendTbxEntry.
      cur.line = reader_ptr->line();
      cur.column = reader_ptr->column();
      zh_terms.clear();
      en_terms.clear();
      zh_preferred.clear();
      en_preferred.clear();
    } else if (!in_entry) {
      return Status::Ok();
    } else if (name == "langSet" || name == "langSec") {
      lang = get("xml:lang");
      std::transform(lang.begin(), lang.end(), lang.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    } else if (name == "tig" || name == "termSec" || name == "ntig") {
      in_term = true;
      term_text.clear();
      term_status.clear();
      term_usage.clear();
      term_source.clear();
    } else if (name == "term") {
      field = Field::kTerm;
    } else if (name == "termNote" && get("type") == "administrativeStatus") {
      field = Field::kTermNote;
    } else if (name == "termNote" && get("type") == "usageNote") {
      field = Field::kUsageNote;
    } else if (name == "descrip" && get("type") == "definition") {
      field = Field::kDefinition;
    } else if (name == "note") {
      field = Field::kNote;
    } else if (name == "admin" && get("type") == "source") {
      field = Field::kAdminSource;
    } else if (name == "transacGrp") {
      transac_type.clear();
      transac_date.clear();
      transac_who.clear();
    } else if (name == "transac") {
      field = Field::kTransac;
    } else if (name == "date") {
      field = Field::kDate;
    } else if (name == "transacNote" && get("type") == "responsibility") {
      field = Field::kResponsibility;
    }
    return Status::Ok();
  };
  h.text = [&](std::string_view t) {
    if (field != Field::kNone) text.append(t);
  };
  h.end = [&](const std::string& name) -> Status {
    if (!in_entry) return Status::Ok();
    const std::string primary = lang.substr(0, lang.find('-'));
    const bool zh = primary == "zh", en = primary == "en";
    switch (field) {
      case Field::kTerm: term_text = text; break;
      case Field::kTermNote: term_status = text; break;
      case Field::kUsageNote: term_usage = text; break;
      case Field::kAdminSource: term_source = text; break;
      case Field::kDefinition:
        if (zh) cur.entry.definition_zh = text;
        if (en) cur.entry.definition_en = text;
        break;
      case Field::kNote: {
        bool known = false;
        for (auto [label, member] : kNoteFields) {
          const std::string prefix = std::string(label) + ": ";
          if (text.rfind(prefix, 0) == 0) {
            cur.entry.*member = text.substr(prefix.size());
            known = true;
          }
        }
        for (auto [label, flag] : kFlagNotes) {
          if (text == std::string(label) + ": yes") {
            cur.entry.*flag = true;
            known = true;
          }
        }
        if (text.rfind("rendering_status: ", 0) == 0) {
          const std::string v = text.substr(18);
          cur.entry.rendering_status = v == "established" ? RenderingStatus::kEstablished
                                       : v == "project"   ? RenderingStatus::kProject
                                                          : RenderingStatus::kUnspecified;
          known = true;
        }
        if (!known) cur.entry.note += (cur.entry.note.empty() ? "" : "\n") + text;
        break;
      }
      case Field::kTransac: transac_type = text; break;
      case Field::kDate: transac_date = text; break;
      case Field::kResponsibility: transac_who = text; break;
      case Field::kNone: break;
    }
    field = Field::kNone;
    text.clear();
    if (name == "transacGrp") {
      const std::string when = transac_date.size() == 10 ? transac_date + "T00:00:00Z" : transac_date;
      if (transac_type == "origination") {
        cur.entry.created_by = transac_who;
        cur.entry.created_at = when;
      } else if (transac_type == "modification") {
        cur.entry.changed_by = transac_who;
        cur.entry.changed_at = when;
      }
    } else if ((name == "tig" || name == "termSec" || name == "ntig") && in_term) {
      in_term = false;
      if (term_text.empty()) return Status::Ok();
      const bool preferred = term_status == kPreferred || term_status == "preferredTerm";
      // Superseded is deprecated for a translator: neither may be used in a new translation.
      const bool deprecated = term_status == kDeprecated || term_status == "deprecatedTerm" ||
                              term_status == kSuperseded || term_status == "supersededTerm";
      const bool forbidden = (deprecated && term_usage == kForbiddenUsage) || term_status == "forbiddenTerm-admn-sts";
      if (en && (deprecated || forbidden)) {
        (forbidden ? cur.entry.en_forbidden : cur.entry.en_deprecated).push_back(term_text);
        return Status::Ok();
      }
      // The first preferred term of a language is the headword (or rendering); the rest are variants.
      auto place = [&](std::string* headword, std::vector<std::string>* variants) {
        if (preferred && headword->empty()) {
          *headword = term_text;
        } else {
          variants->push_back(term_text);
        }
      };
      if (zh) place(&zh_preferred, &zh_terms);
      if (en) {
        place(&en_preferred, &en_terms);
        if (!term_source.empty()) cur.entry.source = ParseSource(term_source);
      }
    } else if (name == "termEntry" || name == "conceptEntry") {
      in_entry = false;
      auto settle = [](std::string* headword, std::vector<std::string>* variants, const std::string& preferred) {
        if (!preferred.empty()) {
          *headword = preferred;
        } else if (!variants->empty()) {
          *headword = variants->front();
          variants->erase(variants->begin());
        }
      };
      cur.entry.zh_variants = zh_terms;
      cur.entry.en_variants = en_terms;
      // (A deprecated Chinese form has no list of its own: it stays a variant, so that it still finds the entry.)
      settle(&cur.entry.zh, &cur.entry.zh_variants, zh_preferred);
      settle(&cur.entry.en, &cur.entry.en_variants, en_preferred);
      if (cur.entry.zh.empty()) cur.problem = "no Chinese (zh…) term";
      else if (cur.entry.en.empty()) cur.problem = "no English (en…) term";
      return on_entry(cur);
    }
    return Status::Ok();
  };
  XmlReader reader(std::move(h));
  reader_ptr = &reader;
  return reader.ReadAll(source);
}

}  // namespace heluo
