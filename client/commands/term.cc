// term (lookup), term add, term delete, recognize, suggest: the glossary commands.
#include <iostream>
#include <string>
#include <vector>

#include "client/commands/command.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"

namespace heluo::cli {
namespace {

int Term(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text) {
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
  for (const auto& e : response.entries()) {
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
    PrintTermStatus(e, "  ");
    if (!e.note().empty()) std::cout << "  note: " << e.note() << "\n";
    std::cout << "  id: " << e.id() << " (collection " << e.collection() << ")\n";
  }
  return 0;
}

int Recognize(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text,
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
  for (const auto& h : response.hits()) {
    std::cout << "[" << h.span().code_point_begin() << "," << h.span().code_point_end() << ") " << h.surface()
              << "  →  " << h.entry().en() << "  (" << h.entry().id() << (h.folded() ? ", folded" : "")
              << ")\n";
  }
  return 0;
}

int Suggest(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& prefix,
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
  for (const auto& s : response.suggestions()) {
    std::cout << s.form() << "  →  "
              << (s.language() == heluo::v1::LANGUAGE_EN ? s.entry().zh() : s.entry().en()) << "  ("
              << s.entry().id() << ")\n";
  }
  return 0;
}

int TermAdd(const std::shared_ptr<grpc::Channel>& channel, const Options& o,
            const heluo::v1::UpsertTermRequest& request) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::UpsertTermResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
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

int TermDelete(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& id) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::DeleteTermRequest request;
  request.set_id(id);
  heluo::v1::DeleteTermResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->DeleteTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  std::cout << "deleted " << id << "\n";
  return 0;
}

struct TermAddFlags {
  std::string id, zh, en, collection, definition_zh, definition_en, note;
  std::vector<std::string> zh_variants, en_variants, deprecated, forbidden;
  bool do_not_translate = false, case_sensitive = false;
  bool replace = false;
};

// The request for `term add`: only the fields whose flags were given, named in the update mask, so that
// changing a note never wipes the variants, definitions or source of a curated entry. --replace sends "*".
heluo::v1::UpsertTermRequest TermAddRequest(const TermAddFlags& f, const CLI::App& cmd) {
  heluo::v1::UpsertTermRequest request;
  heluo::v1::TermEntry* e = request.mutable_entry();
  e->set_id(f.id);
  auto given = [&](const char* flag, const char* field) {
    const bool yes = cmd.count(flag) > 0;
    if (yes && !f.replace) request.mutable_update_mask()->add_paths(field);
    return yes;
  };
  if (given("--zh", "zh")) e->set_zh(f.zh);
  if (given("--en", "en")) e->set_en(f.en);
  if (given("--collection", "collection")) e->set_collection(f.collection);
  if (given("--zh-variant", "zh_variants"))
    *e->mutable_zh_variants() = {f.zh_variants.begin(), f.zh_variants.end()};
  if (given("--en-variant", "en_variants"))
    *e->mutable_en_variants() = {f.en_variants.begin(), f.en_variants.end()};
  if (given("--deprecated", "en_deprecated"))
    *e->mutable_en_deprecated() = {f.deprecated.begin(), f.deprecated.end()};
  if (given("--forbidden", "en_forbidden"))
    *e->mutable_en_forbidden() = {f.forbidden.begin(), f.forbidden.end()};
  // A flag is named in the mask whichever way it was given, so that --no-… clears it.
  if (given("--do-not-translate", "do_not_translate")) e->set_do_not_translate(f.do_not_translate);
  if (given("--case-sensitive", "case_sensitive")) e->set_case_sensitive(f.case_sensitive);
  if (given("--definition-zh", "definition_zh")) e->set_definition_zh(f.definition_zh);
  if (given("--definition-en", "definition_en")) e->set_definition_en(f.definition_en);
  if (given("--note", "note")) e->set_note(f.note);
  if (f.replace) {
    request.mutable_update_mask()->add_paths("*");
    e->set_rendering_status(heluo::v1::RENDERING_STATUS_PROJECT);
  }
  return request;
}

}  // namespace

void AddTermCommands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* term =
      app.add_subcommand("term", "how a term or slogan is rendered (either language); term add|delete");
  auto text = std::make_shared<std::string>();
  term->add_option("text", *text, "the term, e.g. 三种心态");

  auto add = std::make_shared<TermAddFlags>();
  CLI::App* term_add = term->add_subcommand(
      "add", "create an entry, or change the fields given on an existing one (needs an editor token)");
  term_add->add_option("--id", add->id, "entry id, e.g. sanzhong-xintai")->required();
  term_add->add_option("--zh", add->zh, "Chinese headword (needed for a new entry)");
  term_add->add_option("--en", add->en, "English rendering (needed for a new entry)");
  term_add->add_option("--collection", add->collection, "collection (a new entry: default)");
  term_add->add_option("--zh-variant", add->zh_variants,
                       "another Chinese form (repeatable; replaces the list)");
  term_add->add_option("--en-variant", add->en_variants,
                       "another English rendering (repeatable; replaces the list)");
  term_add->add_option("--deprecated", add->deprecated,
                       "a superseded or informal English form not to use (repeatable; replaces the list)");
  term_add->add_option("--forbidden", add->forbidden,
                       "a wrong English rendering, e.g. a collision (repeatable; replaces the list)");
  term_add->add_flag("--do-not-translate,!--no-do-not-translate", add->do_not_translate,
                     "the target keeps the source form (--no-do-not-translate clears it)");
  term_add->add_flag("--case-sensitive,!--no-case-sensitive", add->case_sensitive,
                     "English matching keeps case (--no-case-sensitive clears it)");
  term_add->add_option("--definition-zh", add->definition_zh, "Chinese definition");
  term_add->add_option("--definition-en", add->definition_en, "English definition");
  term_add->add_option("--note", add->note, "why this rendering");
  term_add->add_flag(
      "--replace", add->replace,
      "replace an existing entry whole: fields not given are cleared (variants, definitions, source)");
  commands->push_back(
      {term_add, [add, term_add](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
         return TermAdd(channel, o, TermAddRequest(*add, *term_add));
       },
       /*writes=*/true});

  auto delete_id = std::make_shared<std::string>();
  CLI::App* term_delete = term->add_subcommand("delete", "delete an entry (needs an editor token)");
  term_delete->add_option("id", *delete_id, "entry id")->required();
  commands->push_back(
      {term_delete, [delete_id](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
         return TermDelete(channel, o, *delete_id);
       },
       /*writes=*/true});

  commands->push_back({term, [text](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         if (text->empty()) {
                           std::cerr << "heluo: give a term to look up, or use term add / term delete"
                                     << std::endl;
                           return kRejected;
                         }
                         return Term(channel, o, *text);
                       }});

  auto recognize_text = std::make_shared<std::string>();
  auto overlapping = std::make_shared<bool>(false);
  CLI::App* recognize = app.add_subcommand("recognize", "glossary terms inside a text, with spans");
  recognize->add_option("text", *recognize_text, "the text")->required();
  recognize->add_flag("--overlapping", *overlapping, "every occurrence, nested ones too");
  commands->push_back({recognize, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Recognize(channel, o, *recognize_text, *overlapping);
                       }});

  auto prefix = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(10);
  CLI::App* suggest = app.add_subcommand("suggest", "terms starting with a prefix, either language");
  suggest->add_option("prefix", *prefix, "the beginning of a term")->required();
  suggest->add_option("-n,--limit", *limit, "suggestions to show")->capture_default_str();
  commands->push_back({suggest, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Suggest(channel, o, *prefix, *limit);
                       }});
}

}  // namespace heluo::cli
