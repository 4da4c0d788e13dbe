// Conversions between the core's plain types and the heluo.v1 protobuf messages. Only the service layer
// includes this file; the core never sees a message.
#ifndef HELUO_SERVER_SERVICE_CONVERT_H_
#define HELUO_SERVER_SERVICE_CONVERT_H_

#include <string>
#include <vector>

#include <google/protobuf/field_mask.pb.h>

#include "heluo/v1/glossary.pb.h"
#include "heluo/v1/interchange.pb.h"
#include "heluo/v1/terminology_check.pb.h"
#include "heluo/v1/text.pb.h"
#include "heluo/v1/translation_memory.pb.h"
#include "server/core/glossary.h"
#include "server/core/interchange.h"
#include "server/core/qa/term_issue.h"
#include "server/core/qa/translation_audit.h"
#include "server/core/term_recognizer.h"
#include "server/core/translation_memory.h"
#include "server/core/update_mask.h"

namespace heluo {

void ToProto(const TermEntry& in, v1::TermEntry* out);
void ToProto(const Segment& in, v1::Segment* out);
void ToProto(const TmMatch& in, v1::Match* out);
void ToProto(const TextSpan& in, v1::TextSpan* out);
void ToProto(const TermIssue& in, v1::TermIssue* out);
TermCheckOptions FromProto(const v1::TermCheckOptions& in);
void ToProto(const AuditedPair& in, v1::AuditedPair* out);
// The summary's per_entry has the most issues first, then by term id.
void ToProto(const AuditSummary& in, v1::AuditSummary* out);
void ToProto(const ConcordanceHit& in, v1::ConcordanceHit* out);
v1::Language ToProto(Language language);
v1::RenderingStatus ToProto(RenderingStatus status);
ConcordanceSide FromProto(v1::Side side);
// rendering_status UNSPECIFIED stays kUnspecified (an update that does not touch it); callers default a
// new entry to kProject.
TermEntry FromProto(const v1::TermEntry& in);
// AIP-134: no paths → kPopulated; the single path "*" → kReplace; otherwise kFields. INVALID_ARGUMENT for
// "*" mixed with names (the names themselves are checked by ApplyUpdate).
Result<UpdateMask> FromProto(const google::protobuf::FieldMask& mask);
Segment FromProto(const v1::Segment& in);
// UNSPECIFIED becomes `fallback`.
ExportFormat FromProto(v1::ExportFormat format, ExportFormat fallback);
// The core query for a LookupRequest (defaults applied: max_results 5, min_score 70).
TmQuery FromProto(const v1::LookupRequest& request);
Language FromProto(v1::Language language);
// UNSPECIFIED is AUTO.
HeaderRow FromProto(v1::HeaderRow header);
std::vector<std::string> FromProto(const google::protobuf::RepeatedPtrField<std::string>& strings);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_CONVERT_H_
