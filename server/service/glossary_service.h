// The heluo.v1.Glossary service: validates and converts requests, calls core Glossary and TermRecognizer,
// converts back.
#ifndef HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
#define HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/core/glossary.h"
#include "server/core/term_recognizer.h"

namespace heluo {

class GlossaryService final : public v1::Glossary::Service {
 public:
  GlossaryService(const Glossary* glossary, const TermRecognizer* recognizer)
      : glossary_(glossary), recognizer_(recognizer) {}

  grpc::Status LookupTerm(grpc::ServerContext*, const v1::LookupTermRequest* request,
                          v1::LookupTermResponse* response) override;
  grpc::Status GetTerm(grpc::ServerContext*, const v1::GetTermRequest* request,
                       v1::GetTermResponse* response) override;
  grpc::Status ListTerms(grpc::ServerContext*, const v1::ListTermsRequest* request,
                         v1::ListTermsResponse* response) override;
  grpc::Status SuggestTerms(grpc::ServerContext*, const v1::SuggestTermsRequest* request,
                            v1::SuggestTermsResponse* response) override;
  grpc::Status RecognizeTerms(grpc::ServerContext*, const v1::RecognizeTermsRequest* request,
                              v1::RecognizeTermsResponse* response) override;

 private:
  const Glossary* glossary_;
  const TermRecognizer* recognizer_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
