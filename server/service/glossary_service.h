// The heluo.v1.Glossary service: validates and converts requests, calls core Glossary, converts back.
#ifndef HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
#define HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/core/glossary.h"

namespace heluo {

class GlossaryService final : public v1::Glossary::Service {
 public:
  explicit GlossaryService(const Glossary* glossary) : glossary_(glossary) {}

  grpc::Status LookupTerm(grpc::ServerContext*, const v1::LookupTermRequest* request,
                          v1::LookupTermResponse* response) override;
  grpc::Status GetTerm(grpc::ServerContext*, const v1::GetTermRequest* request,
                       v1::GetTermResponse* response) override;
  grpc::Status ListTerms(grpc::ServerContext*, const v1::ListTermsRequest* request,
                         v1::ListTermsResponse* response) override;

 private:
  const Glossary* glossary_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_GLOSSARY_SERVICE_H_
