// The heluo.v1.TranslationMemory service: validates and converts requests, calls core TranslationMemory.
#ifndef HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
#define HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_

#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/translation_memory.h"
#include "server/service/grpc_call_context.h"
#include "server/service/service_options.h"
#include "server/service/unary_methods.h"

namespace heluo {

// Every method uses the sync model, Lookup too: a fuzzy lookup can take hundreds of milliseconds at a low
// min_score, and gRPC 1.51 runs callback-API handlers on one thread per core shared by every callback
// method (LookupTerm, RecognizeTerms, the health check), which two slow lookups would stall
// (docs/performance.md, "RPC ceiling").
class TranslationMemoryService final : public v1::TranslationMemory::Service {
 public:
  TranslationMemoryService(const TranslationMemory* tm, ServiceOptions options) : tm_(tm), options_(std::move(options)) {}

  grpc::Status Lookup(grpc::ServerContext* c, const v1::LookupRequest* q, v1::LookupResponse* r) override {
    return DoLookup(FromGrpc(*c), q, r);
  }
  grpc::Status LookupStream(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<v1::LookupResponse, v1::LookupRequest>* stream) override;
  grpc::Status Concordance(grpc::ServerContext* c, const v1::ConcordanceRequest* q, v1::ConcordanceResponse* r) override {
    return DoConcordance(FromGrpc(*c), q, r);
  }
  grpc::Status GetSegment(grpc::ServerContext* c, const v1::GetSegmentRequest* q, v1::GetSegmentResponse* r) override {
    return DoGetSegment(FromGrpc(*c), q, r);
  }
  grpc::Status ListSegments(grpc::ServerContext* c, const v1::ListSegmentsRequest* q, v1::ListSegmentsResponse* r) override {
    return DoListSegments(FromGrpc(*c), q, r);
  }
  grpc::Status UpsertSegments(grpc::ServerContext* c, const v1::UpsertSegmentsRequest* q, v1::UpsertSegmentsResponse* r) override {
    return DoUpsertSegments(FromGrpc(*c), q, r);
  }
  grpc::Status DeleteSegment(grpc::ServerContext* c, const v1::DeleteSegmentRequest* q, v1::DeleteSegmentResponse* r) override {
    return DoDeleteSegment(FromGrpc(*c), q, r);
  }
  grpc::Status Import(grpc::ServerContext*, grpc::ServerReader<v1::ImportChunk>*, v1::ImportSummary*) override;
  grpc::Status Export(grpc::ServerContext*, const v1::ExportRequest*, grpc::ServerWriter<v1::ExportChunk>*) override;

  // Adds every unary method's body (the HTTP adapter's way in).
  void AddUnaryMethods(UnaryMethods* methods);

 private:
  grpc::Status DoLookup(const CallContext&, const v1::LookupRequest*, v1::LookupResponse*);
  grpc::Status DoConcordance(const CallContext&, const v1::ConcordanceRequest*, v1::ConcordanceResponse*);
  grpc::Status DoGetSegment(const CallContext&, const v1::GetSegmentRequest*, v1::GetSegmentResponse*);
  grpc::Status DoListSegments(const CallContext&, const v1::ListSegmentsRequest*, v1::ListSegmentsResponse*);
  grpc::Status DoUpsertSegments(const CallContext&, const v1::UpsertSegmentsRequest*, v1::UpsertSegmentsResponse*);
  grpc::Status DoDeleteSegment(const CallContext&, const v1::DeleteSegmentRequest*, v1::DeleteSegmentResponse*);

  const TranslationMemory* tm_;
  ServiceOptions options_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
