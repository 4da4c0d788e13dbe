#include "server/service/translation_memory_service.h"

#include "server/service/convert.h"
#include "server/service/status_mapping.h"

namespace heluo {

grpc::Status TranslationMemoryService::Lookup(grpc::ServerContext*, const v1::LookupRequest* request,
                                              v1::LookupResponse* response) {
  Result<std::vector<TmMatch>> matches =
      tm_->Lookup(request->text(), request->max_results(), FromProto(request->collections()));
  if (!matches.ok()) return ToGrpcStatus(matches.status());
  for (const TmMatch& m : *matches) ToProto(m, response->add_matches());
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
