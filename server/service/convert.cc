#include "server/service/convert.h"

namespace heluo {

void ToProto(const TermEntry& in, v1::TermEntry* out) {
  out->set_id(in.id);
  out->set_collection(in.collection);
  out->set_kind(in.kind);
  out->set_zh(in.zh);
  for (const std::string& v : in.zh_variants) out->add_zh_variants(v);
  out->set_en(in.en);
  for (const std::string& v : in.en_variants) out->add_en_variants(v);
  out->set_definition_zh(in.definition_zh);
  out->set_definition_en(in.definition_en);
  switch (in.rendering_status) {
    case RenderingStatus::kEstablished: out->set_rendering_status(v1::RENDERING_STATUS_ESTABLISHED); break;
    case RenderingStatus::kProject: out->set_rendering_status(v1::RENDERING_STATUS_PROJECT); break;
    case RenderingStatus::kUnspecified: out->set_rendering_status(v1::RENDERING_STATUS_UNSPECIFIED); break;
  }
  if (in.source) {
    v1::RenderingSource* s = out->mutable_source();
    s->set_outlet(in.source->outlet);
    s->set_title(in.source->title);
    s->set_url(in.source->url);
    s->set_date(in.source->date);
  }
  out->set_note(in.note);
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
}

void ToProto(const TmMatch& in, v1::Match* out) {
  ToProto(in.segment, out->mutable_segment());
  out->set_kind(v1::MATCH_KIND_EXACT);
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
