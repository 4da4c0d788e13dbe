#include "server/service/glossary_service.h"

#include <map>
#include <optional>
#include <unordered_map>

#include "server/core/interchange.h"
#include "server/service/audit.h"
#include "server/service/call_limits.h"
#include "server/service/convert.h"
#include "server/service/import_spool.h"
#include "server/service/spool_file.h"
#include "server/service/status_mapping.h"

namespace heluo {

void GlossaryService::AddUnaryMethods(UnaryMethods* methods) {
  methods->Add("/heluo.v1.Glossary/LookupTerm", this, &GlossaryService::DoLookupTerm);
  methods->Add("/heluo.v1.Glossary/GetTerm", this, &GlossaryService::DoGetTerm);
  methods->Add("/heluo.v1.Glossary/ListTerms", this, &GlossaryService::DoListTerms);
  methods->Add("/heluo.v1.Glossary/SuggestTerms", this, &GlossaryService::DoSuggestTerms);
  methods->Add("/heluo.v1.Glossary/RecognizeTerms", this, &GlossaryService::DoRecognizeTerms);
  methods->Add("/heluo.v1.Glossary/UpsertTerm", this, &GlossaryService::DoUpsertTerm);
  methods->Add("/heluo.v1.Glossary/DeleteTerm", this, &GlossaryService::DoDeleteTerm);
  methods->Add("/heluo.v1.Glossary/CheckTerminology", this, &GlossaryService::DoCheckTerminology);
}

grpc::Status GlossaryService::DoLookupTerm(const CallContext& call, const v1::LookupTermRequest* request,
                                           v1::LookupTermResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<std::vector<TermEntry>> entries =
      glossary_->Lookup(request->text(), FromProto(request->language()), FromProto(request->collections()));
  if (!entries.ok()) return ToGrpcStatus(entries.status());
  for (const TermEntry& e : *entries) ToProto(e, response->add_entries());
  return grpc::Status::OK;
}

grpc::Status GlossaryService::DoGetTerm(const CallContext& call, const v1::GetTermRequest* request,
                                      v1::GetTermResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<TermEntry> entry = glossary_->Get(request->id());
  if (!entry.ok()) return ToGrpcStatus(entry.status());
  ToProto(*entry, response->mutable_entry());
  return grpc::Status::OK;
}

grpc::Status GlossaryService::DoListTerms(const CallContext& call, const v1::ListTermsRequest* request,
                                        v1::ListTermsResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<TermPage> page = glossary_->List(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const TermEntry& e : page->entries) ToProto(e, response->add_entries());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status GlossaryService::DoSuggestTerms(const CallContext& call, const v1::SuggestTermsRequest* request,
                                           v1::SuggestTermsResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
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

grpc::Status GlossaryService::DoRecognizeTerms(const CallContext& call,
                                               const v1::RecognizeTermsRequest* request,
                                               v1::RecognizeTermsResponse* response) {
  if (grpc::Status a = options_.auth->Check(call, Role::kReader); !a.ok()) return a;
  Result<std::vector<TermHit>> hits =
      recognizer_->Recognize(request->text(), FromProto(request->language()), request->overlapping());
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  // Each entry read once per request, all in one read transaction (one snapshot for the whole answer), and
  // shared with the glossary's cache rather than copied: a hit needs a few of its fields.
  std::unordered_map<std::string_view, std::shared_ptr<const TermEntry>> entries;
  for (const TermHit& h : *hits) entries.emplace(h.term_id, nullptr);
  Status read = options_.store->Read([&](const LmdbTxn& txn) -> Status {
    for (auto& [id, entry] : entries) {
      Result<std::shared_ptr<const TermEntry>> e = glossary_->FindShared(txn, id);
      if (!e.ok()) return e.status();
      entry = std::move(*e);
    }
    return Status::Ok();
  });
  if (!read.ok()) return ToGrpcStatus(read);
  if (request->packed()) {
    PackHits(*hits, entries, response->mutable_packed());
    return grpc::Status::OK;
  }
  for (const TermHit& h : *hits) {
    const TermEntry* entry = entries.find(h.term_id)->second.get();
    if (entry == nullptr) continue;  // Deleted since the automaton was built.
    v1::TermHit* out = response->add_hits();
    if (!request->compact()) ToProto(*entry, out->mutable_entry());
    out->set_entry_id(entry->id);
    out->set_rendering(h.language == Language::kZh ? entry->en : entry->zh);
    out->set_rendering_status(ToProto(entry->rendering_status));
    out->set_surface(h.surface);
    out->set_matched_form(h.form);
    out->set_language(ToProto(h.language));
    ToProto(h.span, out->mutable_span());
    out->set_folded(h.folded);
  }
  return grpc::Status::OK;
}

void GlossaryService::PackHits(const std::vector<TermHit>& hits,
                               const std::unordered_map<std::string_view, std::shared_ptr<const TermEntry>>& entries,
                               v1::PackedHits* out) {
  const int n = static_cast<int>(hits.size());
  out->mutable_term()->Reserve(n);
  out->mutable_code_point_begin()->Reserve(n);
  out->mutable_code_point_end()->Reserve(n);
  out->mutable_utf16_begin()->Reserve(n);
  out->mutable_utf16_end()->Reserve(n);
  out->mutable_folded()->Reserve(n);
  std::unordered_map<uint32_t, uint32_t> term_of_pattern;  // TermHit::pattern → index in out->terms.
  for (const TermHit& h : hits) {
    const TermEntry* entry = entries.find(h.term_id)->second.get();
    if (entry == nullptr) continue;  // Deleted since the automaton was built.
    auto [it, added] = term_of_pattern.emplace(h.pattern, static_cast<uint32_t>(out->terms_size()));
    if (added) {
      v1::PackedTerm* term = out->add_terms();
      term->set_entry_id(entry->id);
      term->set_matched_form(h.form);
      term->set_language(ToProto(h.language));
      term->set_rendering(h.language == Language::kZh ? entry->en : entry->zh);
      term->set_rendering_status(ToProto(entry->rendering_status));
    }
    out->add_term(it->second);
    out->add_code_point_begin(h.span.cp_begin);
    out->add_code_point_end(h.span.cp_end);
    out->add_utf16_begin(h.span.utf16_begin);
    out->add_utf16_end(h.span.utf16_end);
    out->add_folded(h.folded);
  }
}

grpc::Status GlossaryService::DoUpsertTerm(const CallContext& call, const v1::UpsertTermRequest* request,
                                         v1::UpsertTermResponse* response) {
  Audit audit("heluo.v1.Glossary/UpsertTerm", call);
  Principal who;
  if (grpc::Status a = options_.auth->Check(call, Role::kEditor, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  const TermEntry update = FromProto(request->entry());
  Result<UpdateMask> mask = FromProto(request->update_mask());
  if (!mask.ok()) return audit.Finish(ToGrpcStatus(mask.status()));
  TermEntry entry;
  bool created = false;
  Status st = options_.store->Write([&](LmdbTxn& txn) -> Status {
    Result<std::optional<TermEntry>> old = glossary_->Find(txn, update.id);
    if (!old.ok()) return old.status();
    created = !old->has_value();
    entry = created ? TermEntry{} : **old;
    entry.id = update.id;
    HELUO_RETURN_IF_ERROR(ApplyUpdate(update, *mask, &entry));
    if (entry.collection.empty()) entry.collection = "default";
    if (entry.rendering_status == RenderingStatus::kUnspecified) entry.rendering_status = RenderingStatus::kProject;
    const std::string now = NowIso8601();
    entry.created_by = created ? who.name : (*old)->created_by;
    entry.created_at = created ? now : (*old)->created_at;
    entry.changed_by = who.name;
    entry.changed_at = now;
    return glossary_->Put(txn, entry);
  }, true, WriteLimitsOf(call));
  if (!st.ok()) return audit.Finish(ToGrpcStatus(st));
  audit.Note("id", entry.id);
  audit.Count(created ? "created" : "updated", 1);
  if (Status r = ReloadTerms(*recognizer_, *checker_); !r.ok()) return audit.Finish(ToGrpcStatus(r));
  ToProto(entry, response->mutable_entry());
  response->set_created(created);
  return audit.Finish(grpc::Status::OK);
}

grpc::Status GlossaryService::DoDeleteTerm(const CallContext& call, const v1::DeleteTermRequest* request,
                                         v1::DeleteTermResponse*) {
  Audit audit("heluo.v1.Glossary/DeleteTerm", call);
  Principal who;
  if (grpc::Status a = options_.auth->Check(call, Role::kEditor, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  audit.Note("id", request->id());
  Status st = options_.store->Write([&](LmdbTxn& txn) { return glossary_->Delete(txn, request->id()); }, true,
                                    WriteLimitsOf(call));
  if (!st.ok()) return audit.Finish(ToGrpcStatus(st));
  audit.Count("deleted", 1);
  return audit.Finish(ToGrpcStatus(ReloadTerms(*recognizer_, *checker_)));
}

grpc::Status GlossaryService::ExportGlossary(grpc::ServerContext* context, const v1::ExportGlossaryRequest* request,
                                             grpc::ServerWriter<v1::ExportChunk>* writer) {
  return ServeExport(context, options_, writer, [&](const ExportSink& sink) {
    return heluo::ExportGlossary(*glossary_, FromProto(request->format(), ExportFormat::kTbx), sink);
  });
}

grpc::Status GlossaryService::ImportGlossary(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                                             v1::ImportSummary* response) {
  return ServeImport("heluo.v1.Glossary/ImportGlossary", context, reader, options_,
                     [&](const std::string& path, const ImportOptions& options) -> Result<ImportSummary> {
                       Result<ImportSummary> summary = heluo::ImportGlossary(*options_.store, *glossary_, path, options);
                       if (summary.ok() && !options.dry_run) {
                         HELUO_RETURN_IF_ERROR(ReloadTerms(*recognizer_, *checker_));
                       }
                       return summary;
                     },
                     response);
}

}  // namespace heluo
