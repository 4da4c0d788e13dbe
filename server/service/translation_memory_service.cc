#include "server/service/translation_memory_service.h"

#include "server/core/interchange.h"
#include "server/service/audit.h"
#include "server/service/call_limits.h"
#include "server/service/convert.h"
#include "server/service/import_spool.h"
#include "server/service/lookup_stream.h"
#include "server/service/spool_file.h"
#include "server/service/status_mapping.h"

namespace heluo {

void TranslationMemoryService::AddUnaryMethods(UnaryMethods* methods) {
  methods->Add("/heluo.v1.TranslationMemory/Lookup", this, &TranslationMemoryService::DoLookup);
  methods->Add("/heluo.v1.TranslationMemory/Concordance", this, &TranslationMemoryService::DoConcordance);
  methods->Add("/heluo.v1.TranslationMemory/GetSegment", this, &TranslationMemoryService::DoGetSegment);
  methods->Add("/heluo.v1.TranslationMemory/ListSegments", this, &TranslationMemoryService::DoListSegments);
  methods->Add("/heluo.v1.TranslationMemory/UpsertSegments", this, &TranslationMemoryService::DoUpsertSegments);
  methods->Add("/heluo.v1.TranslationMemory/DeleteSegment", this, &TranslationMemoryService::DoDeleteSegment);
}

grpc::Status TranslationMemoryService::DoLookup(const CallContext& call, const v1::LookupRequest* request,
                                              v1::LookupResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  return ToGrpcStatus(LookUpInto(*tm_, *request, CancelledOrExpired(call), response));
}

grpc::Status TranslationMemoryService::LookupStream(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::LookupResponse, v1::LookupRequest>* stream) {
  const OrderedAnswer<v1::LookupRequest, v1::LookupResponse> answer =
      [this](const v1::LookupRequest& request, const std::function<bool()>& cancelled) {
        return LookUp(*tm_, request, cancelled);
      };
  return ServeOrderedStream(context, stream, *options_.auth, *options_.streams, options_.lookup_stream, answer);
}

constexpr int kDefaultConcordanceLimit = 20;

grpc::Status TranslationMemoryService::DoConcordance(const CallContext& call, const v1::ConcordanceRequest* request,
                                                   v1::ConcordanceResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<std::vector<ConcordanceHit>> hits =
      tm_->Concordance(request->query(), FromProto(request->side()),
                       request->limit() == 0 ? kDefaultConcordanceLimit : request->limit(),
                       FromProto(request->collections()));
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  for (const ConcordanceHit& h : *hits) ToProto(h, response->add_hits());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::DoGetSegment(const CallContext& call, const v1::GetSegmentRequest* request,
                                                  v1::GetSegmentResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<Segment> segment = tm_->Get(request->id());
  if (!segment.ok()) return ToGrpcStatus(segment.status());
  ToProto(*segment, response->mutable_segment());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::DoListSegments(const CallContext& call, const v1::ListSegmentsRequest* request,
                                                    v1::ListSegmentsResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<SegmentPage> page = tm_->List(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Segment& s : page->segments) ToProto(s, response->add_segments());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::DoUpsertSegments(const CallContext& call,
                                                      const v1::UpsertSegmentsRequest* request,
                                                      v1::UpsertSegmentsResponse* response) {
  Audit audit("heluo.v1.TranslationMemory/UpsertSegments", call);
  Principal who;
  if (grpc::Status a = options_.auth->Check(call, Role::kEditor, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  if (request->segments().empty()) return audit.Finish(ToGrpcStatus(Status::InvalidArgument("segments is empty")));
  if (static_cast<size_t>(request->segments_size()) > options_.max_upsert_batch) {
    return audit.Finish(ToGrpcStatus(Status::InvalidArgument("at most " + std::to_string(options_.max_upsert_batch) +
                                                             " segments per call; use Import for whole files")));
  }
  Result<UpdateMask> mask = FromProto(request->update_mask());
  if (!mask.ok()) return ToGrpcStatus(mask.status());
  int created = 0, updated = 0;
  Status st = options_.store->Write([&](LmdbTxn& txn) -> Status {
    created = updated = 0;
    const std::string now = NowIso8601();
    for (const v1::Segment& in : request->segments()) {
      const Segment update = FromProto(in);
      Result<std::optional<Segment>> old = tm_->Find(txn, update.id);
      if (!old.ok()) return old.status();
      const bool is_new = !old->has_value();
      ++(is_new ? created : updated);
      Segment s = is_new ? Segment{} : **old;
      s.id = update.id;
      HELUO_RETURN_IF_ERROR(ApplyUpdate(update, *mask, &s));
      s.created_by = is_new ? who.name : (*old)->created_by;
      s.created_at = is_new ? now : (*old)->created_at;
      s.changed_by = who.name;
      s.changed_at = now;
      HELUO_RETURN_IF_ERROR(tm_->Put(txn, s));
    }
    return Status::Ok();
  }, true, WriteLimitsOf(call));
  if (!st.ok()) return audit.Finish(ToGrpcStatus(st));
  audit.Count("created", created);
  audit.Count("updated", updated);
  response->set_created(created);
  response->set_updated(updated);
  return audit.Finish(grpc::Status::OK);
}

grpc::Status TranslationMemoryService::DoDeleteSegment(const CallContext& call, const v1::DeleteSegmentRequest* request,
                                                     v1::DeleteSegmentResponse*) {
  Audit audit("heluo.v1.TranslationMemory/DeleteSegment", call);
  Principal who;
  if (grpc::Status a = options_.auth->Check(call, Role::kEditor, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  audit.Note("id", request->id());
  Status st = options_.store->Write([&](LmdbTxn& txn) { return tm_->Delete(txn, request->id()); }, true,
                                    WriteLimitsOf(call));
  if (st.ok()) audit.Count("deleted", 1);
  return audit.Finish(ToGrpcStatus(st));
}

grpc::Status TranslationMemoryService::Import(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                                              v1::ImportSummary* response) {
  return ServeImport("heluo.v1.TranslationMemory/Import", context, reader, options_,
                     [&](const std::string& path, const ImportOptions& options) {
                       return ImportTm(*options_.store, *tm_, path, options);
                     },
                     response);
}

grpc::Status TranslationMemoryService::Export(grpc::ServerContext* context, const v1::ExportRequest* request,
                                              grpc::ServerWriter<v1::ExportChunk>* writer) {
  return ServeExport(context, options_, writer, [&](const ExportSink& sink) {
    return ExportTm(*tm_, FromProto(request->format(), ExportFormat::kTmx), sink);
  });
}

}  // namespace heluo
