// The heluo.v1.TranslationMemory service: validates and converts requests, calls core TranslationMemory.
#ifndef HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
#define HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_

#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/translation_memory.h"
#include "server/service/service_options.h"

namespace heluo {

// Every method uses the sync model, Lookup too: a fuzzy lookup can take hundreds of milliseconds at a low
// min_score, and gRPC 1.51 runs callback-API handlers on one thread per core shared by every callback
// method (LookupTerm, RecognizeTerms, the health check), which two slow lookups would stall
// (docs/performance.md, "RPC ceiling").
class TranslationMemoryService final : public v1::TranslationMemory::Service {
 public:
  TranslationMemoryService(const TranslationMemory* tm, ServiceOptions options) : tm_(tm), options_(std::move(options)) {}

  grpc::Status Lookup(grpc::ServerContext*, const v1::LookupRequest* request,
                      v1::LookupResponse* response) override;
  grpc::Status LookupStream(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<v1::LookupResponse, v1::LookupRequest>* stream) override;
  grpc::Status Concordance(grpc::ServerContext*, const v1::ConcordanceRequest* request,
                           v1::ConcordanceResponse* response) override;
  grpc::Status GetSegment(grpc::ServerContext*, const v1::GetSegmentRequest* request,
                          v1::GetSegmentResponse* response) override;
  grpc::Status ListSegments(grpc::ServerContext*, const v1::ListSegmentsRequest* request,
                            v1::ListSegmentsResponse* response) override;
  grpc::Status UpsertSegments(grpc::ServerContext*, const v1::UpsertSegmentsRequest*, v1::UpsertSegmentsResponse*) override;
  grpc::Status DeleteSegment(grpc::ServerContext*, const v1::DeleteSegmentRequest*, v1::DeleteSegmentResponse*) override;
  grpc::Status Import(grpc::ServerContext*, grpc::ServerReader<v1::ImportChunk>*, v1::ImportSummary*) override;
  grpc::Status Export(grpc::ServerContext*, const v1::ExportRequest*, grpc::ServerWriter<v1::ExportChunk>*) override;

 private:
  const TranslationMemory* tm_;
  ServiceOptions options_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_TRANSLATION_MEMORY_SERVICE_H_
