#include "server/service/translation_memory_service.h"

#include "server/core/interchange.h"
#include "server/service/convert.h"
#include "server/service/import_spool.h"
#include "server/service/status_mapping.h"

namespace heluo {
namespace {

constexpr int kDefaultConcordanceLimit = 20;

// "Stop working on this call": its deadline passed (a cheap clock read on every poll) or the client
// cancelled it (ServerContext::IsCancelled takes a lock, so it is asked only every 64th poll: asking on
// every poll cost more than the lookup itself at 1M segments).
std::function<bool()> CancelledOrExpired(grpc::ServerContext* context) {
  const auto deadline = context->deadline();
  return [context, deadline, polls = 0]() mutable {
    if (std::chrono::system_clock::now() > deadline) return true;
    return ++polls % 64 == 0 && context->IsCancelled();
  };
}

}  // namespace

grpc::Status TranslationMemoryService::Lookup(grpc::ServerContext* context, const v1::LookupRequest* request,
                                              v1::LookupResponse* response) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  TmQuery query = FromProto(*request);
  query.cancelled = CancelledOrExpired(context);
  Result<std::vector<TmMatch>> matches = tm_->Lookup(query);
  if (!matches.ok()) return ToGrpcStatus(matches.status());
  for (const TmMatch& m : *matches) ToProto(m, response->add_matches());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::LookupStream(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::LookupResponse, v1::LookupRequest>* stream) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  StreamLimit::Slot slot = options_.streams->Acquire();
  if (!slot.ok()) return slot.status();
  // One request in flight at a time: gRPC flow control holds the client back while we work, so a long
  // document never piles up in server memory.
  v1::LookupRequest request;
  int64_t index = 0;
  while (stream->Read(&request)) {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the stream");
    TmQuery query = FromProto(request);
    query.cancelled = CancelledOrExpired(context);
    Result<std::vector<TmMatch>> matches = tm_->Lookup(query);
    if (!matches.ok()) {
      const Status& st = matches.status();
      if (st.code() != Status::Code::kInvalidArgument) return ToGrpcStatus(st);
      return ToGrpcStatus(Status::InvalidArgument("request " + std::to_string(index) + " of the stream: " + st.message()));
    }
    v1::LookupResponse response;
    for (const TmMatch& m : *matches) ToProto(m, response.add_matches());
    if (!stream->Write(response)) break;
    ++index;
  }
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::Concordance(grpc::ServerContext* context, const v1::ConcordanceRequest* request,
                                                   v1::ConcordanceResponse* response) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  Result<std::vector<ConcordanceHit>> hits =
      tm_->Concordance(request->query(), FromProto(request->side()),
                       request->limit() == 0 ? kDefaultConcordanceLimit : request->limit(),
                       FromProto(request->collections()));
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  for (const ConcordanceHit& h : *hits) ToProto(h, response->add_hits());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::GetSegment(grpc::ServerContext* context, const v1::GetSegmentRequest* request,
                                                  v1::GetSegmentResponse* response) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  Result<Segment> segment = tm_->Get(request->id());
  if (!segment.ok()) return ToGrpcStatus(segment.status());
  ToProto(*segment, response->mutable_segment());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::ListSegments(grpc::ServerContext* context, const v1::ListSegmentsRequest* request,
                                                    v1::ListSegmentsResponse* response) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  Result<SegmentPage> page = tm_->List(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Segment& s : page->segments) ToProto(s, response->add_segments());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::UpsertSegments(grpc::ServerContext* context,
                                                      const v1::UpsertSegmentsRequest* request,
                                                      v1::UpsertSegmentsResponse* response) {
  Principal who;
  if (grpc::Status a = options_.auth->Check(context, Role::kEditor, &who); !a.ok()) return a;
  if (request->segments().empty()) return ToGrpcStatus(Status::InvalidArgument("segments is empty"));
  if (static_cast<size_t>(request->segments_size()) > options_.max_upsert_batch) {
    return ToGrpcStatus(Status::InvalidArgument("at most " + std::to_string(options_.max_upsert_batch) +
                                                " segments per call; use Import for whole files"));
  }
  int created = 0, updated = 0;
  Status st = options_.store->Write([&](LmdbTxn& txn) -> Status {
    created = updated = 0;
    const std::string now = NowIso8601();
    for (const v1::Segment& in : request->segments()) {
      Segment s = FromProto(in);
      Result<std::optional<Segment>> old = tm_->Find(txn, s.id);
      if (!old.ok()) return old.status();
      const bool is_new = !old->has_value();
      ++(is_new ? created : updated);
      s.created_by = is_new ? who.name : (*old)->created_by;
      s.created_at = is_new ? now : (*old)->created_at;
      s.changed_by = who.name;
      s.changed_at = now;
      if (!is_new) {  // Keep its place in the document unless the caller gives one.
        if (s.position == 0) s.position = (*old)->position;
        if (s.previous_id.empty()) s.previous_id = (*old)->previous_id;
        if (s.next_id.empty()) s.next_id = (*old)->next_id;
        if (s.section.empty()) s.section = (*old)->section;
      }
      HELUO_RETURN_IF_ERROR(tm_->Put(txn, s));
    }
    return Status::Ok();
  });
  if (!st.ok()) return ToGrpcStatus(st);
  response->set_created(created);
  response->set_updated(updated);
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::DeleteSegment(grpc::ServerContext* context, const v1::DeleteSegmentRequest* request,
                                                     v1::DeleteSegmentResponse*) {
  if (grpc::Status a = options_.auth->Check(context, Role::kEditor); !a.ok()) return a;
  return ToGrpcStatus(options_.store->Write([&](LmdbTxn& txn) { return tm_->Delete(txn, request->id()); }));
}

grpc::Status TranslationMemoryService::Import(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                                              v1::ImportSummary* response) {
  Principal who;
  if (grpc::Status a = options_.auth->Check(context, Role::kEditor, &who); !a.ok()) return a;
  StreamLimit::Slot slot = options_.streams->Acquire();
  if (!slot.ok()) return slot.status();
  ImportSpool spool(options_.spool_dir, options_.max_import_bytes);
  ImportOptions options;
  if (grpc::Status received = spool.Receive(context, reader, who.name, &options); !received.ok()) return received;
  options.cancelled = [context] { return context->IsCancelled(); };
  Result<ImportSummary> summary = ImportTm(*options_.store, *tm_, spool.path(), options);
  if (!summary.ok()) return ToGrpcStatus(summary.status());
  ToProto(*summary, response);
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::Export(grpc::ServerContext* context, const v1::ExportRequest* request,
                                              grpc::ServerWriter<v1::ExportChunk>* writer) {
  if (grpc::Status a = options_.auth->Check(context, Role::kReader); !a.ok()) return a;
  StreamLimit::Slot slot = options_.streams->Acquire();
  if (!slot.ok()) return slot.status();
  Status st = ExportTm(*tm_, FromProto(request->format(), ExportFormat::kTmx), ChunkWriter(context, writer));
  return ToGrpcStatus(st);
}

}  // namespace heluo
