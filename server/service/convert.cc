#include "server/service/convert.h"

#include <algorithm>

namespace heluo {

v1::RenderingStatus ToProto(RenderingStatus status) {
  switch (status) {
    case RenderingStatus::kEstablished: return v1::RENDERING_STATUS_ESTABLISHED;
    case RenderingStatus::kProject: return v1::RENDERING_STATUS_PROJECT;
    case RenderingStatus::kUnspecified: break;
  }
  return v1::RENDERING_STATUS_UNSPECIFIED;
}

void ToProto(const TermEntry& in, v1::TermEntry* out) {
  out->set_id(in.id);
  out->set_collection(in.collection);
  out->set_kind(in.kind);
  out->set_zh(in.zh);
  for (const std::string& v : in.zh_variants) out->add_zh_variants(v);
  out->set_en(in.en);
  for (const std::string& v : in.en_variants) out->add_en_variants(v);
  for (const std::string& v : in.en_deprecated) out->add_en_deprecated(v);
  for (const std::string& v : in.en_forbidden) out->add_en_forbidden(v);
  out->set_do_not_translate(in.do_not_translate);
  out->set_case_sensitive(in.case_sensitive);
  out->set_definition_zh(in.definition_zh);
  out->set_definition_en(in.definition_en);
  out->set_rendering_status(ToProto(in.rendering_status));
  if (in.source) {
    v1::RenderingSource* s = out->mutable_source();
    s->set_outlet(in.source->outlet);
    s->set_title(in.source->title);
    s->set_url(in.source->url);
    s->set_date(in.source->date);
  }
  out->set_note(in.note);
  out->set_created_by(in.created_by);
  out->set_created_at(in.created_at);
  out->set_changed_by(in.changed_by);
  out->set_changed_at(in.changed_at);
}

TermEntry FromProto(const v1::TermEntry& in) {
  TermEntry e;
  e.id = in.id();
  e.collection = in.collection();
  e.kind = in.kind();
  e.zh = in.zh();
  e.zh_variants.assign(in.zh_variants().begin(), in.zh_variants().end());
  e.en = in.en();
  e.en_variants.assign(in.en_variants().begin(), in.en_variants().end());
  e.en_deprecated.assign(in.en_deprecated().begin(), in.en_deprecated().end());
  e.en_forbidden.assign(in.en_forbidden().begin(), in.en_forbidden().end());
  e.do_not_translate = in.do_not_translate();
  e.case_sensitive = in.case_sensitive();
  e.definition_zh = in.definition_zh();
  e.definition_en = in.definition_en();
  e.rendering_status = in.rendering_status() == v1::RENDERING_STATUS_ESTABLISHED ? RenderingStatus::kEstablished
                       : in.rendering_status() == v1::RENDERING_STATUS_PROJECT   ? RenderingStatus::kProject
                                                                                 : RenderingStatus::kUnspecified;
  if (in.has_source()) e.source = RenderingSource{in.source().outlet(), in.source().title(), in.source().url(), in.source().date()};
  e.note = in.note();
  return e;
}

Result<UpdateMask> FromProto(const google::protobuf::FieldMask& mask) {
  UpdateMask out;
  if (mask.paths().empty()) return out;
  for (const std::string& path : mask.paths()) {
    if (path == "*" && mask.paths_size() > 1) {
      return Status::InvalidArgument("update_mask \"*\" replaces the whole record and cannot be combined with field names");
    }
    out.fields.insert(path);
  }
  out.kind = out.fields.count("*") > 0 ? UpdateMask::Kind::kReplace : UpdateMask::Kind::kFields;
  if (out.kind == UpdateMask::Kind::kReplace) out.fields.clear();
  return out;
}

HeaderRow FromProto(v1::HeaderRow header) {
  switch (header) {
    case v1::HEADER_ROW_PRESENT: return HeaderRow::kPresent;
    case v1::HEADER_ROW_ABSENT: return HeaderRow::kAbsent;
    default: return HeaderRow::kAuto;
  }
}

Segment FromProto(const v1::Segment& in) {
  Segment s;
  s.id = in.id();
  s.collection = in.collection();
  s.source = in.source();
  s.target = in.target();
  s.section = in.section();
  s.position = in.position();
  s.previous_id = in.previous_id();
  s.next_id = in.next_id();
  return s;
}

ExportFormat FromProto(v1::ExportFormat format, ExportFormat fallback) {
  switch (format) {
    case v1::EXPORT_FORMAT_TMX: return ExportFormat::kTmx;
    case v1::EXPORT_FORMAT_TBX: return ExportFormat::kTbx;
    case v1::EXPORT_FORMAT_TBX2008: return ExportFormat::kTbx2008;
    case v1::EXPORT_FORMAT_TSV: return ExportFormat::kTsv;
    case v1::EXPORT_FORMAT_CSV: return ExportFormat::kCsv;
    case v1::EXPORT_FORMAT_JSONL: return ExportFormat::kJsonl;
    default: return fallback;
  }
}

void ToProto(const Segment& in, v1::Segment* out) {
  out->set_id(in.id);
  out->set_collection(in.collection);
  out->set_source(in.source);
  out->set_target(in.target);
  out->set_section(in.section);
  out->set_position(in.position);
  out->set_previous_id(in.previous_id);
  out->set_next_id(in.next_id);
  out->set_created_by(in.created_by);
  out->set_created_at(in.created_at);
  out->set_changed_by(in.changed_by);
  out->set_changed_at(in.changed_at);
}

void ToProto(const TextSpan& in, v1::TextSpan* out) {
  out->set_code_point_begin(static_cast<int32_t>(in.cp_begin));
  out->set_code_point_end(static_cast<int32_t>(in.cp_end));
  out->set_utf16_begin(static_cast<int32_t>(in.utf16_begin));
  out->set_utf16_end(static_cast<int32_t>(in.utf16_end));
}

void ToProto(const TermIssue& in, v1::TermIssue* out) {
  // The core's kinds are numbered in the proto's order from 1.
  out->set_kind(static_cast<v1::TermIssueKind>(static_cast<int>(in.kind) + 1));
  out->set_severity(in.severity == IssueSeverity::kError ? v1::TERM_ISSUE_SEVERITY_ERROR : v1::TERM_ISSUE_SEVERITY_WARNING);
  out->set_term_id(in.term_id);
  for (const std::string& e : in.expected) out->add_expected(e);
  out->set_source_text(in.source_text);
  out->set_found(in.found);
  if (in.source_span) ToProto(*in.source_span, out->mutable_source_span());
  if (in.target_span) ToProto(*in.target_span, out->mutable_target_span());
  out->set_message(in.message);
}

TermCheckOptions FromProto(const v1::TermCheckOptions& in) {
  TermCheckOptions out;
  out.check_counts = !in.skip_counts();
  out.check_untranslated = !in.skip_untranslated();
  out.check_figures = !in.skip_figures();
  return out;
}

void ToProto(const AuditedPair& in, v1::AuditedPair* out) {
  out->set_segment_id(in.segment_id);
  out->set_line(in.line);
  out->set_column(in.column);
  out->set_source(in.source);
  out->set_target(in.target);
  for (const TermIssue& i : in.issues) ToProto(i, out->add_issues());
}

namespace {

template <class Counts>
void KindCounts(const IssueCounts& in, Counts* out) {
  for (size_t k = 0; k < in.size(); ++k) {
    if (in[k] == 0) continue;
    v1::AuditKindCount* c = out->Add();
    c->set_kind(static_cast<v1::TermIssueKind>(k + 1));  // As ToProto(TermIssue) numbers them.
    c->set_issues(in[k]);
  }
}

}  // namespace

void ToProto(const AuditSummary& in, v1::AuditSummary* out) {
  out->set_pairs(in.pairs);
  out->set_pairs_with_issues(in.pairs_with_issues);
  out->set_issues(in.issues);
  out->set_errors(in.errors);
  out->set_warnings(in.warnings);
  out->set_skipped(in.skipped);
  out->set_bytes(in.bytes);
  KindCounts(in.per_kind, out->mutable_per_kind());
  std::vector<const std::pair<const std::string, AuditEntryCount>*> entries;
  for (const auto& e : in.per_entry) entries.push_back(&e);
  std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->second.issues > b->second.issues; });
  for (const auto* e : entries) {
    v1::AuditEntryCount* c = out->add_per_entry();
    c->set_term_id(e->first);
    c->set_issues(e->second.issues);
    KindCounts(e->second.kinds, c->mutable_kinds());
  }
  for (const AuditSkip& s : in.skipped_pairs) {
    v1::AuditSkippedPair* p = out->add_skipped_pairs();
    p->set_segment_id(s.segment_id);
    p->set_line(s.line);
    p->set_column(s.column);
    p->set_reason(s.reason);
  }
}

void ToProto(const ConcordanceHit& in, v1::ConcordanceHit* out) {
  ToProto(in.segment, out->mutable_segment());
  for (const TextSpan& s : in.source_highlights) ToProto(s, out->add_source_highlights());
  for (const TextSpan& s : in.target_highlights) ToProto(s, out->add_target_highlights());
}

v1::Language ToProto(Language language) {
  switch (language) {
    case Language::kZh: return v1::LANGUAGE_ZH;
    case Language::kEn: return v1::LANGUAGE_EN;
    default: return v1::LANGUAGE_UNSPECIFIED;
  }
}

ConcordanceSide FromProto(v1::Side side) {
  switch (side) {
    case v1::SIDE_SOURCE: return ConcordanceSide::kSource;
    case v1::SIDE_TARGET: return ConcordanceSide::kTarget;
    default: return ConcordanceSide::kBoth;
  }
}

TmQuery FromProto(const v1::LookupRequest& request) {
  TmQuery q;
  q.text = request.text();
  if (request.has_previous_text()) q.previous_text = request.previous_text();
  if (request.has_next_text()) q.next_text = request.next_text();
  q.min_score = request.has_min_score() ? request.min_score() : kDefaultMinScore;
  q.max_results = request.max_results() == 0 ? kDefaultMaxResults : request.max_results();
  q.collections = FromProto(request.collections());
  return q;
}

void ToProto(const TmMatch& in, v1::Match* out) {
  ToProto(in.segment, out->mutable_segment());
  switch (in.kind) {
    case MatchKind::kExact: out->set_kind(v1::MATCH_KIND_EXACT); break;
    case MatchKind::kContext: out->set_kind(v1::MATCH_KIND_CONTEXT); break;
    case MatchKind::kFuzzy: out->set_kind(v1::MATCH_KIND_FUZZY); break;
  }
  for (const DiffSpan& d : in.diffs) {
    v1::DiffSpan* span = out->add_diffs();
    if (d.query) ToProto(*d.query, span->mutable_query());
    if (d.source) ToProto(*d.source, span->mutable_source());
  }
  out->set_placeable(in.placeable);
  out->set_substituted_target(in.substituted_target);
  for (const NumberSubstitution& n : in.substitutions) {
    v1::NumberSubstitution* sub = out->add_substitutions();
    sub->set_stored(n.stored);
    sub->set_query(n.query);
    sub->set_applied(n.applied);
    sub->set_stored_rendering(n.stored_rendering);
    sub->set_query_rendering(n.query_rendering);
    sub->set_reason(n.reason);
  }
  out->set_base_score(in.base_score);
  out->set_score(in.score);
  for (const Penalty& p : in.penalties) {
    v1::Penalty* penalty = out->add_penalties();
    penalty->set_name(p.name);
    penalty->set_points(p.points);
  }
}

Language FromProto(v1::Language language) {
  switch (language) {
    case v1::LANGUAGE_ZH: return Language::kZh;
    case v1::LANGUAGE_EN: return Language::kEn;
    default: return Language::kAny;
  }
}

std::vector<std::string> FromProto(const google::protobuf::RepeatedPtrField<std::string>& strings) {
  return std::vector<std::string>(strings.begin(), strings.end());
}

}  // namespace heluo
