#include "server/service/glossary_service.h"

#include <map>

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

namespace heluo {

grpc::Status GlossaryService::SuggestTerms(grpc::ServerContext*, const v1::SuggestTermsRequest* request,
                                           v1::SuggestTermsResponse* response) {
  Result<std::vector<TermSuggestion>> suggestions =
      glossary_->Suggest(request->prefix(), FromProto(request->language()), request->limit());
  if (!suggestions.ok()) return ToGrpcStatus(suggestions.status());
  for (const TermSuggestion& s : *suggestions) {
    v1::TermSuggestion* out = response->add_suggestions();
    ToProto(s.entry, out->mutable_entry());
    out->set_form(s.form);
    out->set_language(ToProto(s.language));
  }
  return grpc::Status::OK;
}

grpc::Status GlossaryService::RecognizeTerms(grpc::ServerContext*, const v1::RecognizeTermsRequest* request,
                                             v1::RecognizeTermsResponse* response) {
  Result<std::vector<TermHit>> hits =
      recognizer_->Recognize(request->text(), FromProto(request->language()), request->overlapping());
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  std::map<std::string, TermEntry> entries;  // Each entry fetched once per request.
  for (const TermHit& h : *hits) {
    auto it = entries.find(h.term_id);
    if (it == entries.end()) {
      Result<TermEntry> e = glossary_->Get(h.term_id);
      if (!e.ok()) continue;  // Deleted since the automaton was built.
      it = entries.emplace(h.term_id, std::move(*e)).first;
    }
    v1::TermHit* out = response->add_hits();
    ToProto(it->second, out->mutable_entry());
    out->set_surface(h.surface);
    out->set_matched_form(h.form);
    out->set_language(ToProto(h.language));
    ToProto(h.span, out->mutable_span());
    out->set_folded(h.folded);
  }
  return grpc::Status::OK;
}

}  // namespace heluo
