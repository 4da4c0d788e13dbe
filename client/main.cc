// heluo: the command-line client. Talks to heluo-server over gRPC with the same heluo.v1 protos.
//
// Exit status: 0 success; 1 nothing found (unknown term, no TM match); 2 bad usage or a request the server
// rejected; 3 the server could not be reached.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace {

constexpr int kNothingFound = 1;
constexpr int kRejected = 2;
constexpr int kUnreachable = 3;

struct Options {
  std::string server = "127.0.0.1:50051";
  bool json = false;
  int timeout_ms = 5000;
};

void Deadline(grpc::ClientContext* ctx, const Options& o) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeout_ms));
}

int ReportError(const grpc::Status& status, const Options& o) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "heluo: cannot reach heluo-server at " << o.server << " (" << status.error_message()
              << "). Is it running? Start it with heluo-server, or pass --server HOST:PORT." << std::endl;
    return kUnreachable;
  }
  std::cerr << "heluo: the server refused the request: " << status.error_message() << std::endl;
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? kNothingFound : kRejected;
}

void PrintJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  std::cout << out << std::endl;
}

const char* StatusName(heluo::v1::RenderingStatus s) {
  switch (s) {
    case heluo::v1::RENDERING_STATUS_ESTABLISHED: return "established";
    case heluo::v1::RENDERING_STATUS_PROJECT: return "project's own rendering";
    default: return "unspecified";
  }
}

int Term(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::LookupTermRequest request;
  request.set_text(text);
  heluo::v1::LookupTermResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
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
    if (!e.note().empty()) std::cout << "  note: " << e.note() << "\n";
    std::cout << "  id: " << e.id() << " (collection " << e.collection() << ")\n";
  }
  return 0;
}

int Tm(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text, int max) {
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  heluo::v1::LookupRequest request;
  request.set_text(text);
  request.set_max_results(max);
  heluo::v1::LookupResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  grpc::Status status = stub->Lookup(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.matches().empty()) {
    std::cerr << "heluo: no translation-memory match" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto& m : response.matches()) {
    std::cout << m.score() << "% exact";
    for (const auto& p : m.penalties()) std::cout << "  −" << p.points() << " " << p.name();
    std::cout << "  [" << m.segment().id() << ", section " << m.segment().section() << "]\n";
    std::cout << "  zh: " << m.segment().source() << "\n  en: " << m.segment().target() << "\n";
  }
  return 0;
}

int Stats(const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  heluo::v1::StatsResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  grpc::Status status = stub->Stats(&ctx, heluo::v1::StatsRequest(), &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << "heluo-server " << response.server_version() << " at " << o.server << "\n"
            << "  terms: " << response.terms() << "\n  segments: " << response.segments() << "\n";
  for (const auto& c : response.collections()) {
    std::cout << "  collection " << c.name() << ": " << c.terms() << " terms, " << c.segments() << " segments\n";
  }
  std::cout << "  data dir: " << response.data_dir() << " (schema " << response.schema_version() << ")\n"
            << "  storage: " << response.used_bytes() / 1024 << " KiB used of a "
            << response.map_size_bytes() / (1024 * 1024) << " MiB map\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"heluo: look up terms and translation-memory matches on a heluo-server"};
  Options o;
  if (const char* env = std::getenv("HELUO_SERVER")) o.server = env;
  app.add_option("--server", o.server, "server address HOST:PORT (or $HELUO_SERVER)")->capture_default_str();
  app.add_flag("--json", o.json, "print the server's response as JSON");
  app.add_option("--timeout-ms", o.timeout_ms, "deadline per call")->capture_default_str();
  app.require_subcommand(1);

  std::string term_text, tm_text;
  int max_results = 5;
  CLI::App* term = app.add_subcommand("term", "how a term or slogan is rendered (either language)");
  term->add_option("text", term_text, "the term, e.g. 三种心态")->required();
  CLI::App* tm = app.add_subcommand("tm", "translation-memory matches for a source sentence");
  tm->add_option("text", tm_text, "the Chinese sentence")->required();
  tm->add_option("-n,--max-results", max_results, "matches to show")->capture_default_str();
  CLI::App* stats = app.add_subcommand("stats", "what the server holds");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kRejected;
  }

  auto channel = grpc::CreateChannel(o.server, grpc::InsecureChannelCredentials());
  if (term->parsed()) return Term(channel, o, term_text);
  if (tm->parsed()) return Tm(channel, o, tm_text, max_results);
  if (stats->parsed()) return Stats(channel, o);
  return kRejected;
}
