// term (lookup), term add, term delete, recognize, suggest: the glossary
// commands.
#include <iostream>
#include <string>
#include <vector>

#include "client/commands/command.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"

namespace heluo::cli {
namespace {

int Term(const std::shared_ptr<grpc::Channel> &channel, const Options &o, const std::string &text) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::LookupTermRequest request;
  request.set_text(text);
  heluo::v1::LookupTermResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->LookupTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.entries().empty()) {
    std::cerr << "heluo: no glossary entry for \"" << text << "\"" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto &e : response.entries()) {
    std::cout << e.zh() << "  →  " << e.en() << "\n";
    std::cout << "  status: " << StatusName(e.rendering_status());
    if (e.has_source() && !e.source().outlet().empty()) {
      std::cout << " (" << e.source().outlet();
      if (!e.source().date().empty()) std::cout << ", " << e.source().date();
      std::cout << ")";
    }
    std::cout << "\n";
    if (!e.definition_zh().empty()) std::cout << "  定义: " << e.definition_zh() << "\n";
    if (!e.definition_en().empty()) std::cout << "  definition: " << e.definition_en() << "\n";
    if (!e.note().empty()) std::cout << "  note: " << e.note() << "\n";
    std::cout << "  id: " << e.id() << " (collection " << e.collection() << ")\n";
  }
  return 0;
}

int Recognize(const std::shared_ptr<grpc::Channel> &channel, const Options &o, const std::string &text,
              bool overlapping) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::RecognizeTermsRequest request;
  request.set_text(text);
  request.set_overlapping(overlapping);
  heluo::v1::RecognizeTermsResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->RecognizeTerms(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.hits().empty()) {
    std::cerr << "heluo: no glossary term in this text" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto &h : response.hits()) {
    std::cout << "[" << h.span().code_point_begin() << "," << h.span().code_point_end() << ") " << h.surface()
              << "  →  " << h.entry().en() << "  (" << h.entry().id() << (h.folded() ? ", folded" : "")
              << ")\n";
  }
  return 0;
}

int Suggest(const std::shared_ptr<grpc::Channel> &channel, const Options &o, const std::string &prefix,
            int limit) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::SuggestTermsRequest request;
  request.set_prefix(prefix);
  request.set_limit(limit);
  heluo::v1::SuggestTermsResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->SuggestTerms(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.suggestions().empty()) {
    std::cerr << "heluo: no term starts with \"" << prefix << "\"" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto &s : response.suggestions()) {
    std::cout << s.form() << "  →  "
              << (s.language() == heluo::v1::LANGUAGE_EN ? s.entry().zh() : s.entry().en()) << "  ("
              << s.entry().id() << ")\n";
  }
  return 0;
}

int TermAdd(const std::shared_ptr<grpc::Channel> &channel, const Options &o,
            const heluo::v1::TermEntry &entry) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::UpsertTermRequest request;
  *request.mutable_entry() = entry;
  heluo::v1::UpsertTermResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  Authorize(&ctx, o);
  grpc::Status status = stub->UpsertTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) {
    PrintJson(response);
  } else {
    std::cout << (response.created() ? "created " : "updated ") << response.entry().id() << ": "
              << response.entry().zh() << "  →  " << response.entry().en() << "\n";
  }
  return 0;
}

int TermDelete(const std::shared_ptr<grpc::Channel> &channel, const Options &o, const std::string &id) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::DeleteTermRequest request;
  request.set_id(id);
  heluo::v1::DeleteTermResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  Authorize(&ctx, o);
  grpc::Status status = stub->DeleteTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  std::cout << "deleted " << id << "\n";
  return 0;
}

struct TermAddFlags {
  std::string id, zh, en, collection = "default", definition_zh, definition_en, note;
  std::vector<std::string> zh_variants, en_variants;
};

}  // namespace

void AddTermCommands(CLI::App &app, std::vector<Command> *commands) {
  CLI::App *term =
      app.add_subcommand("term", "how a term or slogan is rendered (either language); term add|delete");
  auto text = std::make_shared<std::string>();
  term->add_option("text", *text, "the term, e.g. 三种心态");

  auto add = std::make_shared<TermAddFlags>();
  CLI::App *term_add = term->add_subcommand("add", "create or replace an entry (needs an editor token)");
  term_add->add_option("--id", add->id, "entry id, e.g. sanzhong-xintai")->required();
  term_add->add_option("--zh", add->zh, "Chinese headword")->required();
  term_add->add_option("--en", add->en, "English rendering")->required();
  term_add->add_option("--collection", add->collection, "collection")->capture_default_str();
  term_add->add_option("--zh-variant", add->zh_variants, "another Chinese form (repeatable)");
  term_add->add_option("--en-variant", add->en_variants, "another English rendering (repeatable)");
  term_add->add_option("--definition-zh", add->definition_zh, "Chinese definition");
  term_add->add_option("--definition-en", add->definition_en, "English definition");
  term_add->add_option("--note", add->note, "why this rendering");
  commands->push_back({term_add, [add](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
                         heluo::v1::TermEntry entry;
                         entry.set_id(add->id);
                         entry.set_zh(add->zh);
                         entry.set_en(add->en);
                         entry.set_collection(add->collection);
                         for (const auto &v : add->zh_variants) entry.add_zh_variants(v);
                         for (const auto &v : add->en_variants) entry.add_en_variants(v);
                         entry.set_definition_zh(add->definition_zh);
                         entry.set_definition_en(add->definition_en);
                         entry.set_note(add->note);
                         entry.set_rendering_status(heluo::v1::RENDERING_STATUS_PROJECT);
                         return TermAdd(channel, o, entry);
                       }});

  auto delete_id = std::make_shared<std::string>();
  CLI::App *term_delete = term->add_subcommand("delete", "delete an entry (needs an editor token)");
  term_delete->add_option("id", *delete_id, "entry id")->required();
  commands->push_back(
      {term_delete, [delete_id](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
         return TermDelete(channel, o, *delete_id);
       }});

  commands->push_back({term, [text](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
                         if (text->empty()) {
                           std::cerr << "heluo: give a term to look up, or use term add / term delete"
                                     << std::endl;
                           return kRejected;
                         }
                         return Term(channel, o, *text);
                       }});

  auto recognize_text = std::make_shared<std::string>();
  auto overlapping = std::make_shared<bool>(false);
  CLI::App *recognize = app.add_subcommand("recognize", "glossary terms inside a text, with spans");
  recognize->add_option("text", *recognize_text, "the text")->required();
  recognize->add_flag("--overlapping", *overlapping, "every occurrence, nested ones too");
  commands->push_back({recognize, [=](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
                         return Recognize(channel, o, *recognize_text, *overlapping);
                       }});

  auto prefix = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(10);
  CLI::App *suggest = app.add_subcommand("suggest", "terms starting with a prefix, either language");
  suggest->add_option("prefix", *prefix, "the beginning of a term")->required();
  suggest->add_option("-n,--limit", *limit, "suggestions to show")->capture_default_str();
  commands->push_back({suggest, [=](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
                         return Suggest(channel, o, *prefix, *limit);
                       }});
}

}  // namespace heluo::cli
