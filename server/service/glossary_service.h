// The heluo.v1.Glossary service: authorizes, validates and converts requests, calls the core Glossary,
// TermRecognizer and interchange functions, converts back.
#ifndef HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
#define HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/core/glossary.h"
#include "server/core/qa/terminology_checker.h"
#include "server/core/term_recognizer.h"
#include "server/service/grpc_call_context.h"
#include "server/service/service_options.h"
#include "server/service/unary_methods.h"
#include "server/service/unary_reactor.h"

namespace heluo {

// LookupTerm and RecognizeTerms use the callback API (unary_reactor.h); every other method the sync model.
// Every unary method's body (Do*) takes a CallContext (call_context.h), so the HTTP adapter calls the same
// bodies directly (AddUnaryMethods).
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
        options_.auth, context, request, response,
        [this](const CallContext& call, auto* q, auto* r) { return DoLookupTerm(call, q, r); });
  }
  grpc::Status GetTerm(grpc::ServerContext* c, const v1::GetTermRequest* q, v1::GetTermResponse* r) override {
    return DoGetTerm(FromGrpc(*c), q, r);
  }
  grpc::Status ListTerms(grpc::ServerContext* c, const v1::ListTermsRequest* q, v1::ListTermsResponse* r) override {
    return DoListTerms(FromGrpc(*c), q, r);
  }
  grpc::Status SuggestTerms(grpc::ServerContext* c, const v1::SuggestTermsRequest* q,
                            v1::SuggestTermsResponse* r) override {
    return DoSuggestTerms(FromGrpc(*c), q, r);
  }
  grpc::ServerUnaryReactor* RecognizeTerms(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::RecognizeTermsRequest, v1::RecognizeTermsResponse>(
        options_.auth, context, request, response,
        [this](const CallContext& call, auto* q, auto* r) { return DoRecognizeTerms(call, q, r); });
  }
  grpc::Status UpsertTerm(grpc::ServerContext* c, const v1::UpsertTermRequest* q, v1::UpsertTermResponse* r) override {
    return DoUpsertTerm(FromGrpc(*c), q, r);
  }
  grpc::Status DeleteTerm(grpc::ServerContext* c, const v1::DeleteTermRequest* q, v1::DeleteTermResponse* r) override {
    return DoDeleteTerm(FromGrpc(*c), q, r);
  }
  grpc::Status ExportGlossary(grpc::ServerContext*, const v1::ExportGlossaryRequest*,
                              grpc::ServerWriter<v1::ExportChunk>*) override;
  grpc::Status ImportGlossary(grpc::ServerContext*, grpc::ServerReader<v1::ImportChunk>*, v1::ImportSummary*) override;
  // The terminology check's methods are in terminology_check.cc.
  grpc::Status CheckTerminology(grpc::ServerContext* c, const v1::CheckTerminologyRequest* q,
                                v1::CheckTerminologyResponse* r) override {
    return DoCheckTerminology(FromGrpc(*c), q, r);
  }
  grpc::Status CheckTerminologyStream(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::CheckTerminologyResponse, v1::CheckTerminologyRequest>*) override;
  grpc::Status AuditTranslations(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<v1::AuditTranslationsResponse, v1::AuditTranslationsRequest>*) override;


  // Adds every unary method's body (the HTTP adapter's way in).
  void AddUnaryMethods(UnaryMethods* methods);

 private:
  grpc::Status DoLookupTerm(const CallContext&, const v1::LookupTermRequest*, v1::LookupTermResponse*);
  grpc::Status DoGetTerm(const CallContext&, const v1::GetTermRequest*, v1::GetTermResponse*);
  grpc::Status DoListTerms(const CallContext&, const v1::ListTermsRequest*, v1::ListTermsResponse*);
  grpc::Status DoSuggestTerms(const CallContext&, const v1::SuggestTermsRequest*, v1::SuggestTermsResponse*);
  grpc::Status DoRecognizeTerms(const CallContext&, const v1::RecognizeTermsRequest*, v1::RecognizeTermsResponse*);
  // The hits as RecognizeTermsRequest.packed asks for them; `entries` has every hit's entry (nullptr:
  // deleted since the automaton was built, and left out).
  static void PackHits(const std::vector<TermHit>& hits,
                       const std::unordered_map<std::string_view, std::shared_ptr<const TermEntry>>& entries,
                       v1::PackedHits* out);
  grpc::Status DoUpsertTerm(const CallContext&, const v1::UpsertTermRequest*, v1::UpsertTermResponse*);
  grpc::Status DoDeleteTerm(const CallContext&, const v1::DeleteTermRequest*, v1::DeleteTermResponse*);
  grpc::Status DoCheckTerminology(const CallContext&, const v1::CheckTerminologyRequest*,
                                  v1::CheckTerminologyResponse*);

  const Glossary* glossary_;
  TermRecognizer* recognizer_;
  TerminologyChecker* checker_;
  ServiceOptions options_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
