#include "server/service/glossary_service.h"

#include "server/service/convert.h"
#include "server/service/status_mapping.h"

namespace heluo {

grpc::Status GlossaryService::LookupTerm(grpc::ServerContext*, const v1::LookupTermRequest* request,
                                         v1::LookupTermResponse* response) {
  Result<std::vector<TermEntry>> entries =
      glossary_->Lookup(request->text(), FromProto(request->language()), FromProto(request->collections()));
  if (!entries.ok()) return ToGrpcStatus(entries.status());
  for (const TermEntry& e : *entries) ToProto(e, response->add_entries());
  return grpc::Status::OK;
}

grpc::Status GlossaryService::GetTerm(grpc::ServerContext*, const v1::GetTermRequest* request,
                                      v1::GetTermResponse* response) {
  Result<TermEntry> entry = glossary_->Get(request->id());
  if (!entry.ok()) return ToGrpcStatus(entry.status());
  ToProto(*entry, response->mutable_entry());
  return grpc::Status::OK;
}

grpc::Status GlossaryService::ListTerms(grpc::ServerContext*, const v1::ListTermsRequest* request,
                                        v1::ListTermsResponse* response) {
  Result<TermPage> page = glossary_->List(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const TermEntry& e : page->entries) ToProto(e, response->add_entries());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace heluo
