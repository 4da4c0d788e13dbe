// tm (matches for one sentence) and concordance: the translation-memory look-ups.
#include <iostream>
#include <string>

#include "client/commands/command.h"
#include "client/commands/lookup_request.h"
#include "client/output.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace heluo::cli {
namespace {

void PrintMatch(const heluo::v1::Match& m, const std::string& query) {
  std::cout << m.score() << "% " << KindName(m.kind());
  if (m.placeable()) std::cout << " (numbers differ: placeable)";
  for (const auto& p : m.penalties()) std::cout << "  −" << p.points() << " " << p.name();
  std::cout << "  [" << m.segment().id() << ", section " << m.segment().section() << "]\n";
  std::cout << "  zh: " << m.segment().source() << "\n  en: " << m.segment().target() << "\n";
  if (m.placeable()) std::cout << "  en with your numbers: " << m.substituted_target() << "\n";
  if (const std::string warning = NotCarriedOver(m); !warning.empty()) {
    std::cout << "  WARNING: " << warning << " — the English above still has the stored figures\n";
    for (const auto& s : m.substitutions()) {
      if (!s.applied()) std::cout << "    " << s.stored() << " → " << s.query() << ": " << s.reason() << "\n";
    }
  }
  for (const auto& d : m.diffs()) {
    std::cout << "  differs: \""
              << (d.has_query() ? Slice(query, d.query().code_point_begin(), d.query().code_point_end()) : "")
              << "\" ↔ stored \""
              << (d.has_source() ? Slice(m.segment().source(), d.source().code_point_begin(),
                                         d.source().code_point_end())
                                 : "")
              << "\"\n";
  }
}

int Tm(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text,
       const TmOptions& t) {
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  heluo::v1::LookupResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->Lookup(&ctx, MakeLookup(text, t), &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.matches().empty()) {
    std::cerr << "heluo: no translation-memory match at or above " << t.min_score << "%" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto& m : response.matches()) PrintMatch(m, text);
  return 0;
}

int Concordance(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& phrase,
                const std::string& side, int limit) {
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  heluo::v1::ConcordanceRequest request;
  request.set_query(phrase);
  request.set_limit(limit);
  request.set_side(side == "source"   ? heluo::v1::SIDE_SOURCE
                   : side == "target" ? heluo::v1::SIDE_TARGET
                                      : heluo::v1::SIDE_BOTH);
  heluo::v1::ConcordanceResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->Concordance(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.hits().empty()) {
    std::cerr << "heluo: no segment contains \"" << phrase << "\"" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  auto mark = [](const std::string& text,
                 const google::protobuf::RepeatedPtrField<heluo::v1::TextSpan>& spans) {
    std::string out;
    int at = 0;
    for (const auto& sp : spans) {
      out += Slice(text, at, sp.code_point_begin()) + "【" +
             Slice(text, sp.code_point_begin(), sp.code_point_end()) + "】";
      at = sp.code_point_end();
    }
    return out + Slice(text, at, 1 << 30);
  };
  for (const auto& h : response.hits()) {
    std::cout << h.segment().id() << "\n  zh: " << mark(h.segment().source(), h.source_highlights())
              << "\n  en: " << mark(h.segment().target(), h.target_highlights()) << "\n";
  }
  return 0;
}

}  // namespace

void AddTmCommands(CLI::App& app, std::vector<Command>* commands) {
  auto text = std::make_shared<std::string>();
  auto t = std::make_shared<TmOptions>();
  CLI::App* tm = app.add_subcommand("tm", "translation-memory matches for a source sentence");
  tm->add_option("text", *text, "the Chinese sentence")->required();
  tm->add_option("-n,--max-results", t->max_results, "matches to show")->capture_default_str();
  tm->add_option("--previous", t->previous, "the sentence before it (for in-context matches)");
  tm->add_option("--next", t->next, "the sentence after it");
  tm->add_option("--min-score", t->min_score, "lowest score, 0..101")->capture_default_str();
  commands->push_back({tm, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         t->has_previous = tm->count("--previous") > 0;
                         t->has_next = tm->count("--next") > 0;
                         return Tm(channel, o, *text, *t);
                       }});

  auto phrase = std::make_shared<std::string>();
  auto side = std::make_shared<std::string>("both");
  auto limit = std::make_shared<int>(10);
  CLI::App* concordance = app.add_subcommand("concordance", "segments containing a phrase");
  concordance->add_option("phrase", *phrase, "the phrase")->required();
  concordance->add_option("--side", *side, "source, target or both")
      ->check(CLI::IsMember({"source", "target", "both"}))
      ->capture_default_str();
  concordance->add_option("-n,--limit", *limit, "segments to show")->capture_default_str();
  commands->push_back({concordance, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Concordance(channel, o, *phrase, *side, *limit);
                       }});
}

}  // namespace heluo::cli
