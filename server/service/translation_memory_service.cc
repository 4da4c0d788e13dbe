#include "server/service/translation_memory_service.h"

#include "server/service/convert.h"
#include "server/service/status_mapping.h"

namespace heluo {
namespace {

constexpr int kDefaultConcordanceLimit = 20;

}  // namespace

grpc::Status TranslationMemoryService::Lookup(grpc::ServerContext*, const v1::LookupRequest* request,
                                              v1::LookupResponse* response) {
  Result<std::vector<TmMatch>> matches = tm_->Lookup(FromProto(*request));
  if (!matches.ok()) return ToGrpcStatus(matches.status());
  for (const TmMatch& m : *matches) ToProto(m, response->add_matches());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::LookupStream(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::LookupResponse, v1::LookupRequest>* stream) {
  // One request in flight at a time: gRPC flow control holds the client back while we work, so a long
  // document never piles up in server memory.
  v1::LookupRequest request;
  int64_t index = 0;
  while (stream->Read(&request)) {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the stream");
    Result<std::vector<TmMatch>> matches = tm_->Lookup(FromProto(request));
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

grpc::Status TranslationMemoryService::Concordance(grpc::ServerContext*, const v1::ConcordanceRequest* request,
                                                   v1::ConcordanceResponse* response) {
  Result<std::vector<ConcordanceHit>> hits =
      tm_->Concordance(request->query(), FromProto(request->side()),
                       request->limit() == 0 ? kDefaultConcordanceLimit : request->limit(),
                       FromProto(request->collections()));
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  for (const ConcordanceHit& h : *hits) ToProto(h, response->add_hits());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::GetSegment(grpc::ServerContext*, const v1::GetSegmentRequest* request,
                                                  v1::GetSegmentResponse* response) {
  Result<Segment> segment = tm_->Get(request->id());
  if (!segment.ok()) return ToGrpcStatus(segment.status());
  ToProto(*segment, response->mutable_segment());
  return grpc::Status::OK;
}

grpc::Status TranslationMemoryService::ListSegments(grpc::ServerContext*, const v1::ListSegmentsRequest* request,
                                                    v1::ListSegmentsResponse* response) {
  Result<SegmentPage> page = tm_->List(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const Segment& s : page->segments) ToProto(s, response->add_segments());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace heluo
