// The heluo.v1.TranslationMemory service: validates and converts requests, calls core TranslationMemory.
#ifndef HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
#define HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_

#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/translation_memory.h"
#include "server/service/grpc_call_context.h"
#include "server/service/service_options.h"
#include "server/service/unary_methods.h"
#include "server/service/unary_reactor.h"
#include "server/service/worker_pool.h"

namespace heluo {

// Lookup uses the callback API (unary_reactor.h): the sync model's hand-offs between its threads cost a
// call more than the callback thread's (docs/performance.md, "rpc-6"). A lookup that may run long (a low
// min_score or a long text: tens to hundreds of milliseconds at a million segments) runs on the service's
// own worker pool instead, because gRPC 1.51 runs callback handlers on one thread per core shared by every
// callback method (LookupTerm, RecognizeTerms, the health check), which two slow lookups would stall.
// Every other method uses the sync model.
using TranslationMemoryServiceBase =
    v1::TranslationMemory::WithRawCallbackMethod_Lookup<v1::TranslationMemory::Service>;

class TranslationMemoryService final : public TranslationMemoryServiceBase {
 public:
  TranslationMemoryService(const TranslationMemory* tm, ServiceOptions options) : tm_(tm), options_(std::move(options)) {}

  grpc::ServerUnaryReactor* Lookup(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override {
    return ServeUnary<v1::LookupRequest, v1::LookupResponse>(
        options_.auth, context, request, response,
        [this](const CallContext& call, auto* q, auto* r) { return DoLookup(call, q, r); },
        UnaryOffload<v1::LookupRequest>{&slow_lookups_, &LookupMayRunLong});
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
  WorkerPool slow_lookups_{2};  // Lookups that LookupMayRunLong, off the callback threads.
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
