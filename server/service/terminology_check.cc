// The terminology check's methods of heluo.v1.Glossary: CheckTerminology on one pair, CheckTerminologyStream
// on a document's pairs (the ordered-stream pipeline, ordered_stream.h), AuditTranslations on a TM collection
// or an uploaded TMX file (core/qa/translation_audit.h). All three convert and call the one checker.
#include "server/service/terminology_check.h"

#include "server/core/interchange.h"
#include "server/core/qa/translation_audit.h"
#include "server/service/call_limits.h"
#include "server/service/convert.h"
#include "server/service/glossary_service.h"
#include "server/service/import_spool.h"
#include "server/service/status_mapping.h"

namespace heluo {

Result<v1::CheckTerminologyResponse> CheckPair(const TerminologyChecker& checker,
                                               const v1::CheckTerminologyRequest& request) {
  Result<std::vector<TermIssue>> issues =
      checker.Check(request.source(), request.target(), FromProto(request.collections()), FromProto(request.options()));
  if (!issues.ok()) return issues.status();
  v1::CheckTerminologyResponse response;
  for (const TermIssue& i : *issues) ToProto(i, response.add_issues());
  return response;
}

namespace {

OrderedAnswer<v1::CheckTerminologyRequest, v1::CheckTerminologyResponse> Answer(const TerminologyChecker& checker) {
  // A check takes microseconds: it does not poll for cancellation.
  return [&checker](const v1::CheckTerminologyRequest& request, const std::function<bool()>&) {
    return CheckPair(checker, request);
  };
}

constexpr const char* kNothingAudited = "nothing was audited";

// Reads the whole request stream: the first message says what to audit; a file's pieces go to the spool.
grpc::Status ReceiveAudit(grpc::ServerContext* context,
                          grpc::ServerReaderWriter<v1::AuditTranslationsResponse, v1::AuditTranslationsRequest>* stream,
                          StreamRegistry::Stream& guard, ImportSpool& spool, v1::AuditTranslationsRequest* what) {
  v1::AuditTranslationsRequest request;
  bool first = true;
  while (guard.AwaitClient([&] { return stream->Read(&request); })) {
    if (first) {
      *what = request;
      what->clear_data();
      first = false;
    } else if (!request.tm_collection().empty() || request.glossary_collections_size() > 0 || request.has_options()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "only the first message of an audit says what to audit; the others carry only data");
    }
    if (!what->tm_collection().empty() && !request.data().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "give either tm_collection (a collection of this server) or a TMX file's data, not both");
    }
    if (grpc::Status st = spool.Append(request.data(), kNothingAudited); !st.ok()) return st;
  }
  if (guard.ended_idle()) return guard.Ended();
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the audit");
  if (first) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the audit stream was empty: send tm_collection, or a TMX file in data");
  }
  if (what->tm_collection().empty() && spool.bytes() == 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "nothing to audit: send tm_collection, or a TMX file in data");
  }
  return grpc::Status::OK;
}

}  // namespace

OrderedStreamOutcome RunCheckStream(const TerminologyChecker& checker, CheckStreamIo& io,
                                    const OrderedStreamLimits& limits) {
  return RunOrderedStream(io, limits, Answer(checker));
}

grpc::Status GlossaryService::DoCheckTerminology(const CallContext& call, const v1::CheckTerminologyRequest* request,
                                               v1::CheckTerminologyResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<v1::CheckTerminologyResponse> answer = CheckPair(*checker_, *request);
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  *response = std::move(*answer);
  return grpc::Status::OK;
}

grpc::Status GlossaryService::CheckTerminologyStream(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::CheckTerminologyResponse, v1::CheckTerminologyRequest>* stream) {
  return ServeOrderedStream(context, stream, *options_.auth, *options_.streams, options_.lookup_stream,
                            Answer(*checker_));
}

grpc::Status GlossaryService::AuditTranslations(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::AuditTranslationsResponse, v1::AuditTranslationsRequest>* stream) {
  Principal who;
  if (grpc::Status a = options_.auth->Check(context, Role::kReader, &who); !a.ok()) return a;
  StreamRegistry::Stream guard = options_.streams->Admit(context, ClientOf(context, who));
  if (!guard.ok()) return guard.refusal();
  // A file and a collection alike are audited from a spool file: the upload as it came, a collection as the
  // TMX its export would be — so the LMDB snapshot is held only while writing to local disk, never while
  // waiting on a client that reads the issues slowly.
  ImportSpool spool(options_.spool_dir, options_.max_import_bytes);
  if (grpc::Status opened = spool.Open(); !opened.ok()) return opened;
  v1::AuditTranslationsRequest what;
  if (grpc::Status received = ReceiveAudit(context, stream, guard, spool, &what); !received.ok()) return received;
  const bool from_store = !what.tm_collection().empty();
  if (from_store) {
    if (options_.tm == nullptr) return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this server has no translation memory");
    grpc::Status spooled;
    Status exported = ExportTm(
        *options_.tm, ExportFormat::kTmx,
        [&](std::string_view chunk) {
          spooled = spool.Append(chunk, kNothingAudited);
          return spooled.ok();
        },
        what.tm_collection());
    if (!spooled.ok()) return spooled;
    if (!exported.ok()) return ToGrpcStatus(exported);
  }
  spool.Close();

  AuditOptions options;
  options.glossary_collections = FromProto(what.glossary_collections());
  options.check = FromProto(what.options());
  options.cancelled = CancelledOrExpired(context);
  bool sent = true;
  Result<AuditSummary> summary = AuditTmxFile(*checker_, spool.path(), options, [&](const AuditedPair& pair) {
    v1::AuditTranslationsResponse response;
    ToProto(pair, response.mutable_pair());
    if (from_store) {  // The lines of the spooled export mean nothing to the caller.
      response.mutable_pair()->set_line(0);
      response.mutable_pair()->set_column(0);
    }
    sent = guard.AwaitClient([&] { return stream->Write(response); });
    return sent;
  });
  if (!sent) return guard.Ended();
  if (!summary.ok()) return ToGrpcStatus(summary.status());
  if (from_store && summary->pairs == 0 && summary->skipped == 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no translation-memory segments in collection '" +
                                                         what.tm_collection() + "' (heluo stats lists the collections)");
  }
  v1::AuditTranslationsResponse last;
  ToProto(*summary, last.mutable_summary());
  if (from_store) {
    last.mutable_summary()->set_source("tm collection " + what.tm_collection());
    last.mutable_summary()->set_bytes(0);
    for (v1::AuditSkippedPair& p : *last.mutable_summary()->mutable_skipped_pairs()) {
      p.set_line(0);
      p.set_column(0);
    }
  } else {
    last.mutable_summary()->set_source("tmx file");
  }
  if (!guard.AwaitClient([&] { return stream->Write(last); })) return guard.Ended();
  return grpc::Status::OK;
}

}  // namespace heluo
