// The heluo.v1.Glossary service: authorizes, validates and converts requests, calls the core Glossary,
// TermRecognizer and interchange functions, converts back.
#ifndef HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
#define HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/core/glossary.h"
#include "server/core/qa/terminology_checker.h"
#include "server/core/term_recognizer.h"
#include "server/service/service_options.h"
#include "server/service/unary_reactor.h"

namespace heluo {

// LookupTerm and RecognizeTerms use the callback API (unary_reactor.h); every other method the sync model.
using GlossaryServiceBase = v1::Glossary::WithRawCallbackMethod_LookupTerm<
    v1::Glossary::WithRawCallbackMethod_RecognizeTerms<v1::Glossary::Service>>;

class GlossaryService final : public GlossaryServiceBase {
 public:
  // `checker` is rebuilt with `recognizer` after every glossary write.
  GlossaryService(const Glossary* glossary, TermRecognizer* recognizer, TerminologyChecker* checker,
                  ServiceOptions options)
      : glossary_(glossary), recognizer_(recognizer), checker_(checker), options_(std::move(options)) {}

  grpc::ServerUnaryReactor* LookupTerm(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override {
    return ServeUnary<v1::LookupTermRequest, v1::LookupTermResponse>(
        options_.auth, context, request, response, [this](auto... args) { return DoLookupTerm(args...); });
  }
  grpc::Status GetTerm(grpc::ServerContext*, const v1::GetTermRequest*, v1::GetTermResponse*) override;
  grpc::Status ListTerms(grpc::ServerContext*, const v1::ListTermsRequest*, v1::ListTermsResponse*) override;
  grpc::Status SuggestTerms(grpc::ServerContext*, const v1::SuggestTermsRequest*, v1::SuggestTermsResponse*) override;
  grpc::ServerUnaryReactor* RecognizeTerms(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::RecognizeTermsRequest, v1::RecognizeTermsResponse>(
        options_.auth, context, request, response, [this](auto... args) { return DoRecognizeTerms(args...); });
  }
  grpc::Status UpsertTerm(grpc::ServerContext*, const v1::UpsertTermRequest*, v1::UpsertTermResponse*) override;
  grpc::Status DeleteTerm(grpc::ServerContext*, const v1::DeleteTermRequest*, v1::DeleteTermResponse*) override;
  grpc::Status ExportGlossary(grpc::ServerContext*, const v1::ExportGlossaryRequest*,
                              grpc::ServerWriter<v1::ExportChunk>*) override;
  grpc::Status ImportGlossary(grpc::ServerContext*, grpc::ServerReader<v1::ImportChunk>*, v1::ImportSummary*) override;
  // The terminology check's methods are in terminology_check.cc.
  grpc::Status CheckTerminology(grpc::ServerContext*, const v1::CheckTerminologyRequest*,
                                v1::CheckTerminologyResponse*) override;
  grpc::Status CheckTerminologyStream(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::CheckTerminologyResponse, v1::CheckTerminologyRequest>*) override;
  grpc::Status AuditTranslations(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::AuditTranslationsResponse, v1::AuditTranslationsRequest>*) override;

 private:
  grpc::Status DoLookupTerm(grpc::ServerContextBase*, const v1::LookupTermRequest*, v1::LookupTermResponse*);
  grpc::Status DoRecognizeTerms(grpc::ServerContextBase*, const v1::RecognizeTermsRequest*, v1::RecognizeTermsResponse*);

  const Glossary* glossary_;
  TermRecognizer* recognizer_;
  TerminologyChecker* checker_;
  ServiceOptions options_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
