// heluo: the command-line client. Talks to heluo-server over gRPC with the same heluo.v1 protos.
//
// Exit status: 0 success; 1 nothing found (unknown term, no TM match); 2 bad usage or a request the server
// rejected; 3 the server could not be reached; 4 a file could not be written or verified here (backup
// --download: nothing was kept).
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>
#include <cstdlib>
#include <iostream>
#include <string>

#include "client/backup_download.h"
#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace {

constexpr int kNothingFound = 1;
constexpr int kRejected = 2;
constexpr int kUnreachable = 3;
constexpr int kLocalFailure = 4;

struct Options {
  std::string server = "127.0.0.1:50051";
  bool json = false;
  int timeout_ms = 5000;
  std::string tls_ca;           // PEM CA that signed the server's certificate: connect over TLS.
  std::string tls_server_name;  // Name to verify in the certificate when it differs from the host.
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

const char* KindName(heluo::v1::MatchKind k) {
  switch (k) {
    case heluo::v1::MATCH_KIND_CONTEXT: return "in-context";
    case heluo::v1::MATCH_KIND_EXACT: return "exact";
    case heluo::v1::MATCH_KIND_FUZZY: return "fuzzy";
    default: return "?";
  }
}

// The code points [begin, end) of a UTF-8 string.
std::string Slice(const std::string& s, int begin, int end) {
  std::string out;
  int cp = 0;
  for (size_t i = 0; i < s.size(); ++cp) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    if (cp >= begin && cp < end) out += s.substr(i, len);
    i += len;
  }
  return out;
}

struct TmOptions {
  int max_results = 5;
  int min_score = 70;
  std::string previous, next;
  bool has_previous = false, has_next = false;
};

void PrintMatch(const heluo::v1::Match& m, const std::string& query) {
  std::cout << m.score() << "% " << KindName(m.kind());
  if (m.placeable()) std::cout << " (numbers differ: placeable)";
  for (const auto& p : m.penalties()) std::cout << "  −" << p.points() << " " << p.name();
  std::cout << "  [" << m.segment().id() << ", section " << m.segment().section() << "]\n";
  std::cout << "  zh: " << m.segment().source() << "\n  en: " << m.segment().target() << "\n";
  if (m.placeable()) std::cout << "  en with your numbers: " << m.substituted_target() << "\n";
  for (const auto& d : m.diffs()) {
    std::cout << "  differs: \""
              << (d.has_query() ? Slice(query, d.query().code_point_begin(), d.query().code_point_end()) : "")
              << "\" ↔ stored \""
              << (d.has_source() ? Slice(m.segment().source(), d.source().code_point_begin(), d.source().code_point_end()) : "")
              << "\"\n";
  }
}

heluo::v1::LookupRequest MakeLookup(const std::string& text, const TmOptions& t) {
  heluo::v1::LookupRequest request;
  request.set_text(text);
  request.set_max_results(t.max_results);
  request.set_min_score(t.min_score);
  if (t.has_previous) request.set_previous_text(t.previous);
  if (t.has_next) request.set_next_text(t.next);
  return request;
}

int Tm(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text, const TmOptions& t) {
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  heluo::v1::LookupResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
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

int Recognize(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& text, bool overlapping) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::RecognizeTermsRequest request;
  request.set_text(text);
  request.set_overlapping(overlapping);
  heluo::v1::RecognizeTermsResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
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
              << "  →  " << h.entry().en() << "  (" << h.entry().id() << (h.folded() ? ", folded" : "") << ")\n";
  }
  return 0;
}

int Suggest(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& prefix, int limit) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::SuggestTermsRequest request;
  request.set_prefix(prefix);
  request.set_limit(limit);
  heluo::v1::SuggestTermsResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  grpc::Status status = stub->SuggestTerms(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.suggestions().empty()) {
    std::cerr << "heluo: no term starts with \"" << prefix << "\"" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  for (const auto& s : response.suggestions()) {
    std::cout << s.form() << "  →  " << (s.language() == heluo::v1::LANGUAGE_EN ? s.entry().zh() : s.entry().en())
              << "  (" << s.entry().id() << ")\n";
  }
  return 0;
}

int Concordance(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& phrase,
                const std::string& side, int limit) {
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  heluo::v1::ConcordanceRequest request;
  request.set_query(phrase);
  request.set_limit(limit);
  request.set_side(side == "source" ? heluo::v1::SIDE_SOURCE : side == "target" ? heluo::v1::SIDE_TARGET : heluo::v1::SIDE_BOTH);
  heluo::v1::ConcordanceResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  grpc::Status status = stub->Concordance(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) PrintJson(response);
  if (response.hits().empty()) {
    std::cerr << "heluo: no segment contains \"" << phrase << "\"" << std::endl;
    return kNothingFound;
  }
  if (o.json) return 0;
  auto mark = [](const std::string& text, const google::protobuf::RepeatedPtrField<heluo::v1::TextSpan>& spans) {
    std::string out;
    int at = 0;
    for (const auto& sp : spans) {
      out += Slice(text, at, sp.code_point_begin()) + "【" + Slice(text, sp.code_point_begin(), sp.code_point_end()) + "】";
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

// Streams every line of `path` (one source segment per line) through LookupStream, with the lines around
// it as context, and prints "line<TAB>score<TAB>kind<TAB>target" (an empty target when nothing matched).
int Pretranslate(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& path, const TmOptions& t) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "heluo: cannot read " << path << std::endl;
    return kRejected;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(line);
  }
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  grpc::ClientContext ctx;
  auto stream = stub->LookupStream(&ctx);
  std::thread writer([&] {
    for (size_t i = 0; i < lines.size(); ++i) {
      TmOptions one = t;
      one.max_results = 1;
      one.has_previous = i > 0;
      one.previous = i > 0 ? lines[i - 1] : "";
      one.has_next = i + 1 < lines.size();
      one.next = i + 1 < lines.size() ? lines[i + 1] : "";
      if (!stream->Write(MakeLookup(lines[i], one))) break;
    }
    stream->WritesDone();
  });
  heluo::v1::LookupResponse response;
  size_t i = 0, matched = 0;
  while (stream->Read(&response)) {
    std::cout << (i + 1);
    if (response.matches().empty()) {
      std::cout << "\t0\t-\t\n";
    } else {
      const auto& m = response.matches(0);
      ++matched;
      std::cout << "\t" << m.score() << "\t" << KindName(m.kind()) << "\t"
                << (m.placeable() ? m.substituted_target() : m.segment().target()) << "\n";
    }
    ++i;
  }
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return ReportError(status, o);
  std::cerr << "heluo: " << matched << " of " << lines.size() << " segments matched at or above " << t.min_score << "%"
            << std::endl;
  return 0;
}

void Authorize(grpc::ClientContext* ctx, const std::string& token) {
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
}

// What a file to import is, from its first bytes: "tm" for TMX, "glossary" for TBX, TSV or CSV.
std::string SniffKind(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(8192, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  for (size_t at = head.find('<'); at != std::string::npos; at = head.find('<', at + 1)) {
    if (at + 1 < head.size() && (head[at + 1] == '?' || head[at + 1] == '!')) continue;
    return head.compare(at + 1, 3, "tmx") == 0 ? "tm" : "glossary";
  }
  return "glossary";
}

void PrintSummary(const heluo::v1::ImportSummary& s) {
  std::cout << (s.dry_run() ? "dry run (nothing written): " : "imported: ") << s.format() << ", " << s.bytes()
            << " bytes; created " << s.created() << ", updated " << s.updated() << ", unchanged " << s.unchanged()
            << ", skipped " << s.skipped() << "\n";
  for (const auto& i : s.issues()) {
    std::cout << "  skipped at line " << i.line() << (i.column() ? ", column " + std::to_string(i.column()) : "")
              << (i.unit_id().empty() ? "" : " (" + i.unit_id() + ")") << ": " << i.reason() << "\n";
  }
}

int Import(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& path, bool dry_run,
           const std::string& collection, const std::string& force_kind, const std::string& token) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "heluo: cannot read " << path << std::endl;
    return kRejected;
  }
  in.seekg(0, std::ios::end);
  const auto total = static_cast<long long>(in.tellg());
  in.seekg(0);
  const std::string kind = force_kind.empty() ? SniffKind(path) : force_kind;
  grpc::ClientContext ctx;
  Authorize(&ctx, token);
  heluo::v1::ImportSummary summary;
  std::unique_ptr<grpc::ClientWriter<heluo::v1::ImportChunk>> writer;
  std::unique_ptr<heluo::v1::Glossary::Stub> glossary;
  std::unique_ptr<heluo::v1::TranslationMemory::Stub> tm;
  if (kind == "tm") {
    tm = heluo::v1::TranslationMemory::NewStub(channel);
    writer = tm->Import(&ctx, &summary);
  } else {
    glossary = heluo::v1::Glossary::NewStub(channel);
    writer = glossary->ImportGlossary(&ctx, &summary);
  }
  std::string buf(256 * 1024, '\0');
  long long sent = 0;
  bool first = true;
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    heluo::v1::ImportChunk chunk;
    chunk.set_data(buf.data(), static_cast<size_t>(in.gcount()));
    if (first) {
      chunk.set_dry_run(dry_run);
      chunk.set_collection(collection);
      first = false;
    }
    if (!writer->Write(chunk)) break;
    sent += in.gcount();
    if (!o.json) {
      const int pct = total > 0 ? static_cast<int>(100 * sent / total) : 100;
      std::cerr << "\r[" << std::string(static_cast<size_t>(pct / 5), '#') << std::string(static_cast<size_t>(20 - pct / 5), ' ')
                << "] " << sent << "/" << total << " bytes" << std::flush;
    }
  }
  if (!o.json) std::cerr << std::endl;
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return ReportError(status, o);
  if (o.json) {
    PrintJson(summary);
  } else {
    std::cerr << "heluo: " << (kind == "tm" ? "translation memory" : "glossary") << " import, "
              << (summary.created() + summary.updated() + summary.unchanged()) << " units" << std::endl;
    PrintSummary(summary);
  }
  return 0;
}

int Export(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& format, bool tm_side,
           const std::string& out_path, const std::string& token) {
  static const std::map<std::string, heluo::v1::ExportFormat> kFormats = {
      {"tmx", heluo::v1::EXPORT_FORMAT_TMX},         {"tbx", heluo::v1::EXPORT_FORMAT_TBX},
      {"tbx2008", heluo::v1::EXPORT_FORMAT_TBX2008}, {"tsv", heluo::v1::EXPORT_FORMAT_TSV},
      {"csv", heluo::v1::EXPORT_FORMAT_CSV},         {"jsonl", heluo::v1::EXPORT_FORMAT_JSONL}};
  const bool tm = format == "tmx" || tm_side;
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary);
    if (!file) {
      std::cerr << "heluo: cannot write " << out_path << std::endl;
      return kRejected;
    }
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  grpc::ClientContext ctx;
  Authorize(&ctx, token);
  std::unique_ptr<grpc::ClientReader<heluo::v1::ExportChunk>> reader;
  auto glossary_stub = heluo::v1::Glossary::NewStub(channel);
  auto tm_stub = heluo::v1::TranslationMemory::NewStub(channel);
  if (tm) {
    heluo::v1::ExportRequest request;
    request.set_format(kFormats.at(format));
    reader = tm_stub->Export(&ctx, request);
  } else {
    heluo::v1::ExportGlossaryRequest request;
    request.set_format(kFormats.at(format));
    reader = glossary_stub->ExportGlossary(&ctx, request);
  }
  heluo::v1::ExportChunk chunk;
  long long bytes = 0;
  while (reader->Read(&chunk)) {
    out << chunk.data();
    bytes += static_cast<long long>(chunk.data().size());
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return ReportError(status, o);
  out.flush();
  if (!out_path.empty()) std::cerr << "heluo: wrote " << bytes << " bytes to " << out_path << std::endl;
  return 0;
}

int TermAdd(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const heluo::v1::TermEntry& entry,
            const std::string& token) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::UpsertTermRequest request;
  *request.mutable_entry() = entry;
  heluo::v1::UpsertTermResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  Authorize(&ctx, token);
  grpc::Status status = stub->UpsertTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) {
    PrintJson(response);
  } else {
    std::cout << (response.created() ? "created " : "updated ") << response.entry().id() << ": " << response.entry().zh()
              << "  →  " << response.entry().en() << "\n";
  }
  return 0;
}

int TermDelete(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& id,
               const std::string& token) {
  auto stub = heluo::v1::Glossary::NewStub(channel);
  heluo::v1::DeleteTermRequest request;
  request.set_id(id);
  heluo::v1::DeleteTermResponse response;
  grpc::ClientContext ctx;
  Deadline(&ctx, o);
  Authorize(&ctx, token);
  grpc::Status status = stub->DeleteTerm(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  std::cout << "deleted " << id << "\n";
  return 0;
}

int Backup(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& path,
           const std::string& token) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  heluo::v1::BackupRequest request;
  request.set_path(path);
  heluo::v1::BackupResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
  Authorize(&ctx, token);
  grpc::Status status = stub->Backup(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  std::cout << "backup written on the server to " << response.path() << " (" << response.bytes()
            << " bytes); restore with heluo-server --data-dir " << response.path() << "\n";
  return 0;
}

int DownloadBackup(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& dir,
                   const std::string& token) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  grpc::ClientContext ctx;
  Authorize(&ctx, token);
  const heluo::client::DownloadResult r = heluo::client::DownloadBackup(*stub, &ctx, dir);
  if (r.outcome == heluo::client::DownloadResult::Outcome::kServerError) return ReportError(r.status, o);
  if (r.outcome == heluo::client::DownloadResult::Outcome::kLocalError) {
    std::cerr << "heluo: backup --download failed: " << r.message << std::endl;
    return kLocalFailure;
  }
  std::cout << "backup downloaded to " << dir << "/data.mdb (" << r.bytes << " bytes, SHA-256 " << r.sha256
            << ", verified); restore with heluo-server --data-dir " << dir << "\n";
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
            << response.map_size_bytes() / (1024 * 1024) << " MiB map\n"
            << "  up " << response.uptime_seconds() << " s\n";
  if (!response.methods().empty()) std::cout << "  calls (method: calls, errors, p50, p99, max in µs)\n";
  for (const auto& m : response.methods()) {
    std::cout << "    " << m.method() << ": " << m.calls() << ", " << m.errors() << ", " << m.p50_us() << ", "
              << m.p99_us() << ", " << m.max_us() << "\n";
  }
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
  app.add_option("--tls-ca", o.tls_ca, "connect over TLS, trusting this PEM CA");
  app.add_option("--tls-server-name", o.tls_server_name, "certificate name to expect (default: the host)");
  app.require_subcommand(1);

  std::string term_text, tm_text, recognize_text, suggest_prefix, phrase, side = "both", file;
  TmOptions tm_options;
  bool overlapping = false;
  int limit = 10;
  std::string token;
  if (const char* env = std::getenv("HELUO_TOKEN")) token = env;
  app.add_option("--token", token, "bearer token for writes (or $HELUO_TOKEN)");
  CLI::App* term = app.add_subcommand("term", "how a term or slogan is rendered (either language); term add|delete");
  term->add_option("text", term_text, "the term, e.g. 三种心态");
  heluo::v1::TermEntry new_entry;
  std::string new_id, new_zh, new_en, new_collection = "default", new_def_zh, new_def_en, new_note, delete_id;
  std::vector<std::string> new_zh_variants, new_en_variants;
  CLI::App* term_add = term->add_subcommand("add", "create or replace an entry (needs an editor token)");
  term_add->add_option("--id", new_id, "entry id, e.g. sanzhong-xintai")->required();
  term_add->add_option("--zh", new_zh, "Chinese headword")->required();
  term_add->add_option("--en", new_en, "English rendering")->required();
  term_add->add_option("--collection", new_collection, "collection")->capture_default_str();
  term_add->add_option("--zh-variant", new_zh_variants, "another Chinese form (repeatable)");
  term_add->add_option("--en-variant", new_en_variants, "another English rendering (repeatable)");
  term_add->add_option("--definition-zh", new_def_zh, "Chinese definition");
  term_add->add_option("--definition-en", new_def_en, "English definition");
  term_add->add_option("--note", new_note, "why this rendering");
  CLI::App* term_delete = term->add_subcommand("delete", "delete an entry (needs an editor token)");
  term_delete->add_option("id", delete_id, "entry id")->required();
  std::string import_file, import_collection, import_kind, export_format = "tmx", export_out;
  bool dry_run = false, export_tm = false;
  CLI::App* import = app.add_subcommand("import", "import a TMX (TM) or TBX/TSV/CSV (glossary) file, all or nothing");
  import->add_option("file", import_file, "the file")->required();
  import->add_flag("--dry-run", dry_run, "check and count, change nothing");
  import->add_option("--collection", import_collection, "put every unit into this collection");
  import->add_option("--as", import_kind, "tm or glossary (default: from the content)")->check(CLI::IsMember({"tm", "glossary"}));
  CLI::App* exp = app.add_subcommand("export", "export the TM (tmx) or the glossary (tbx, tbx2008, tsv, csv, jsonl)");
  exp->add_option("--format", export_format, "tmx|tbx|tbx2008|tsv|csv|jsonl")
      ->check(CLI::IsMember({"tmx", "tbx", "tbx2008", "tsv", "csv", "jsonl"}))->capture_default_str();
  exp->add_flag("--tm", export_tm, "export the TM as tsv or jsonl (default for those: the glossary)");
  exp->add_option("-o,--output", export_out, "write to this file instead of standard output");
  auto add_tm_options = [&](CLI::App* cmd) {
    cmd->add_option("--min-score", tm_options.min_score, "lowest score, 0..101")->capture_default_str();
  };
  CLI::App* tm = app.add_subcommand("tm", "translation-memory matches for a source sentence");
  tm->add_option("text", tm_text, "the Chinese sentence")->required();
  tm->add_option("-n,--max-results", tm_options.max_results, "matches to show")->capture_default_str();
  tm->add_option("--previous", tm_options.previous, "the sentence before it (for in-context matches)");
  tm->add_option("--next", tm_options.next, "the sentence after it");
  add_tm_options(tm);
  CLI::App* recognize = app.add_subcommand("recognize", "glossary terms inside a text, with spans");
  recognize->add_option("text", recognize_text, "the text")->required();
  recognize->add_flag("--overlapping", overlapping, "every occurrence, nested ones too");
  CLI::App* suggest = app.add_subcommand("suggest", "terms starting with a prefix, either language");
  suggest->add_option("prefix", suggest_prefix, "the beginning of a term")->required();
  suggest->add_option("-n,--limit", limit, "suggestions to show")->capture_default_str();
  CLI::App* concordance = app.add_subcommand("concordance", "segments containing a phrase");
  concordance->add_option("phrase", phrase, "the phrase")->required();
  concordance->add_option("--side", side, "source, target or both")->check(CLI::IsMember({"source", "target", "both"}))->capture_default_str();
  concordance->add_option("-n,--limit", limit, "segments to show")->capture_default_str();
  CLI::App* pretranslate = app.add_subcommand("pretranslate", "run a file (one segment a line) through the TM");
  pretranslate->add_option("file", file, "UTF-8 text, one source segment per line")->required();
  add_tm_options(pretranslate);
  CLI::App* stats = app.add_subcommand("stats", "what the server holds");
  std::string backup_path;
  CLI::App* backup = app.add_subcommand("backup", "consistent hot copy of the store, written on the server (admin token)");
  backup->add_option("path", backup_path,
                     "directory on the server below its --backup-dir (relative to it or absolute); must not exist "
                     "or be empty")
      ->required();
  bool backup_download = false;
  backup->add_flag("--download", backup_download,
                   "stream the copy here instead: path is a new or empty local directory; the copy is verified "
                   "(size, SHA-256) before it is kept");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kRejected;
  }

  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (!o.tls_ca.empty()) {
    std::ifstream in(o.tls_ca);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      std::cerr << "heluo: cannot read --tls-ca " << o.tls_ca << std::endl;
      return kRejected;
    }
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(tls);
    if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
  }
  auto channel = grpc::CreateCustomChannel(o.server, credentials, args);
  if (term_add->parsed()) {
    new_entry.set_id(new_id);
    new_entry.set_zh(new_zh);
    new_entry.set_en(new_en);
    new_entry.set_collection(new_collection);
    for (const auto& v : new_zh_variants) new_entry.add_zh_variants(v);
    for (const auto& v : new_en_variants) new_entry.add_en_variants(v);
    new_entry.set_definition_zh(new_def_zh);
    new_entry.set_definition_en(new_def_en);
    new_entry.set_note(new_note);
    new_entry.set_rendering_status(heluo::v1::RENDERING_STATUS_PROJECT);
    return TermAdd(channel, o, new_entry, token);
  }
  if (term_delete->parsed()) return TermDelete(channel, o, delete_id, token);
  if (term->parsed()) {
    if (term_text.empty()) {
      std::cerr << "heluo: give a term to look up, or use term add / term delete" << std::endl;
      return kRejected;
    }
    return Term(channel, o, term_text);
  }
  if (import->parsed()) return Import(channel, o, import_file, dry_run, import_collection, import_kind, token);
  if (exp->parsed()) return Export(channel, o, export_format, export_tm, export_out, token);
  if (tm->parsed()) {
    tm_options.has_previous = tm->count("--previous") > 0;
    tm_options.has_next = tm->count("--next") > 0;
    return Tm(channel, o, tm_text, tm_options);
  }
  if (recognize->parsed()) return Recognize(channel, o, recognize_text, overlapping);
  if (suggest->parsed()) return Suggest(channel, o, suggest_prefix, limit);
  if (concordance->parsed()) return Concordance(channel, o, phrase, side, limit);
  if (pretranslate->parsed()) return Pretranslate(channel, o, file, tm_options);
  if (stats->parsed()) return Stats(channel, o);
  if (backup->parsed()) {
    return backup_download ? DownloadBackup(channel, o, backup_path, token) : Backup(channel, o, backup_path, token);
  }
  return kRejected;
}
