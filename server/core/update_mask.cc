#include "server/core/update_mask.h"

#include <functional>
#include <string_view>
#include <vector>

namespace heluo {
namespace {

// One updatable field of a record: its proto name, whether an update carries a value for it, and how to
// copy it.
template <typename Record>
struct Field {
  std::string_view name;
  std::function<bool(const Record&)> populated;
  std::function<void(const Record&, Record*)> copy;
};

// A text or list field: populated when not empty.
template <typename Record, typename T>
Field<Record> Member(std::string_view name, T Record::*member) {
  return {name, [member](const Record& r) { return !(r.*member).empty(); },
          [member](const Record& from, Record* to) { to->*member = from.*member; }};
}

// A flag: populated when set, so that an update without a mask never clears one (proto3 cannot tell an
// unset bool from false; clearing takes a mask naming the field).
template <typename Record>
Field<Record> Flag(std::string_view name, bool Record::*member) {
  return {name, [member](const Record& r) { return r.*member; },
          [member](const Record& from, Record* to) { to->*member = from.*member; }};
}

const std::vector<Field<TermEntry>>& TermFields() {
  static const auto* fields = new std::vector<Field<TermEntry>>{
      Member("collection", &TermEntry::collection),
      Member("kind", &TermEntry::kind),
      Member("zh", &TermEntry::zh),
      Member("zh_variants", &TermEntry::zh_variants),
      Member("en", &TermEntry::en),
      Member("en_variants", &TermEntry::en_variants),
      Member("en_deprecated", &TermEntry::en_deprecated),
      Member("en_forbidden", &TermEntry::en_forbidden),
      Flag("do_not_translate", &TermEntry::do_not_translate),
      Flag("case_sensitive", &TermEntry::case_sensitive),
      Member("definition_zh", &TermEntry::definition_zh),
      Member("definition_en", &TermEntry::definition_en),
      {"rendering_status",
       [](const TermEntry& e) { return e.rendering_status != RenderingStatus::kUnspecified; },
       [](const TermEntry& from, TermEntry* to) { to->rendering_status = from.rendering_status; }},
      {"source", [](const TermEntry& e) { return e.source.has_value(); },
       [](const TermEntry& from, TermEntry* to) { to->source = from.source; }},
      Member("note", &TermEntry::note),
  };
  return *fields;
}

const std::vector<Field<Segment>>& SegmentFields() {
  static const auto* fields = new std::vector<Field<Segment>>{
      Member("collection", &Segment::collection),
      Member("source", &Segment::source),
      Member("target", &Segment::target),
      Member("section", &Segment::section),
      {"position", [](const Segment& s) { return s.position != 0; },
       [](const Segment& from, Segment* to) { to->position = from.position; }},
      Member("previous_id", &Segment::previous_id),
      Member("next_id", &Segment::next_id),
  };
  return *fields;
}

template <typename Record>
Status Apply(const std::vector<Field<Record>>& fields, const char* what, const Record& update,
             const UpdateMask& mask, Record* stored) {
  for (const std::string& name : mask.fields) {
    bool known = false;
    for (const Field<Record>& f : fields) known = known || f.name == name;
    if (!known) {
      std::string names;
      for (const Field<Record>& f : fields) names += (names.empty() ? "" : ", ") + std::string(f.name);
      return Status::InvalidArgument("update_mask names '" + name +
                                     "', which is not an updatable field of a " + what + " (" + names +
                                     ", or \"*\" to replace it whole)");
    }
  }
  for (const Field<Record>& f : fields) {
    const bool selected =
        mask.kind == UpdateMask::Kind::kReplace ||
        (mask.kind == UpdateMask::Kind::kFields && mask.fields.count(std::string(f.name)) > 0) ||
        (mask.kind == UpdateMask::Kind::kPopulated && f.populated(update));
    if (selected) f.copy(update, stored);
  }
  return Status::Ok();
}

}  // namespace

Status ApplyUpdate(const TermEntry& update, const UpdateMask& mask, TermEntry* stored) {
  return Apply(TermFields(), "term entry", update, mask, stored);
}

Status ApplyUpdate(const Segment& update, const UpdateMask& mask, Segment* stored) {
  return Apply(SegmentFields(), "segment", update, mask, stored);
}

}  // namespace heluo
