// import and export: whole files of TMX, TBX, TSV, CSV or JSON Lines, streamed in chunks.
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "client/commands/command.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace heluo::cli {
namespace {

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
            << " bytes; created " << s.created() << ", updated " << s.updated() << ", unchanged "
            << s.unchanged() << ", skipped " << s.skipped() << "\n";
  for (const auto& i : s.issues()) {
    std::cout << "  skipped at line " << i.line()
              << (i.column() ? ", column " + std::to_string(i.column()) : "")
              << (i.unit_id().empty() ? "" : " (" + i.unit_id() + ")") << ": " << i.reason() << "\n";
  }
}

struct ImportFlags {
  std::string file, collection, kind, header = "auto";
  bool dry_run = false;
};

int Import(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const ImportFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) {
    std::cerr << "heluo: cannot read " << f.file << std::endl;
    return kRejected;
  }
  in.seekg(0, std::ios::end);
  const auto total = static_cast<long long>(in.tellg());
  in.seekg(0);
  const std::string kind = f.kind.empty() ? SniffKind(f.file) : f.kind;
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
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
      chunk.set_dry_run(f.dry_run);
      chunk.set_collection(f.collection);
      chunk.set_header(f.header == "present"  ? heluo::v1::HEADER_ROW_PRESENT
                       : f.header == "absent" ? heluo::v1::HEADER_ROW_ABSENT
                                              : heluo::v1::HEADER_ROW_AUTO);
      first = false;
    }
    if (!writer->Write(chunk)) break;
    sent += in.gcount();
    if (!o.json) {
      const int pct = total > 0 ? static_cast<int>(100 * sent / total) : 100;
      std::cerr << "\r[" << std::string(static_cast<size_t>(pct / 5), '#')
                << std::string(static_cast<size_t>(20 - pct / 5), ' ') << "] " << sent << "/" << total
                << " bytes" << std::flush;
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

struct ExportFlags {
  std::string format = "tmx", out_path;
  bool tm = false;
};

int Export(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const ExportFlags& f) {
  static const std::map<std::string, heluo::v1::ExportFormat> kFormats = {
      {"tmx", heluo::v1::EXPORT_FORMAT_TMX},         {"tbx", heluo::v1::EXPORT_FORMAT_TBX},
      {"tbx2008", heluo::v1::EXPORT_FORMAT_TBX2008}, {"tsv", heluo::v1::EXPORT_FORMAT_TSV},
      {"csv", heluo::v1::EXPORT_FORMAT_CSV},         {"jsonl", heluo::v1::EXPORT_FORMAT_JSONL}};
  const bool tm = f.format == "tmx" || f.tm;
  std::ofstream file;
  if (!f.out_path.empty()) {
    file.open(f.out_path, std::ios::binary);
    if (!file) {
      std::cerr << "heluo: cannot write " << f.out_path << std::endl;
      return kRejected;
    }
  }
  std::ostream& out = f.out_path.empty() ? std::cout : file;
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
  std::unique_ptr<grpc::ClientReader<heluo::v1::ExportChunk>> reader;
  auto glossary_stub = heluo::v1::Glossary::NewStub(channel);
  auto tm_stub = heluo::v1::TranslationMemory::NewStub(channel);
  if (tm) {
    heluo::v1::ExportRequest request;
    request.set_format(kFormats.at(f.format));
    reader = tm_stub->Export(&ctx, request);
  } else {
    heluo::v1::ExportGlossaryRequest request;
    request.set_format(kFormats.at(f.format));
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
  if (!f.out_path.empty()) std::cerr << "heluo: wrote " << bytes << " bytes to " << f.out_path << std::endl;
  return 0;
}

}  // namespace

void AddInterchangeCommands(CLI::App& app, std::vector<Command>* commands) {
  auto im = std::make_shared<ImportFlags>();
  CLI::App* import =
      app.add_subcommand("import", "import a TMX (TM) or TBX/TSV/CSV (glossary) file, all or nothing");
  import->add_option("file", im->file, "the file")->required();
  import->add_flag("--dry-run", im->dry_run, "check and count, change nothing");
  import->add_option("--collection", im->collection, "put every unit into this collection");
  import->add_option("--as", im->kind, "tm or glossary (default: from the content)")
      ->check(CLI::IsMember({"tm", "glossary"}));
  import
      ->add_option("--header", im->header,
                   "TSV/CSV: auto (a first row of known column names such as zh,en or 中文,English is a "
                   "header), present or absent")
      ->check(CLI::IsMember({"auto", "present", "absent"}))
      ->capture_default_str();
  commands->push_back({import, [im](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Import(channel, o, *im);
                       },
                       /*writes=*/true});

  auto ex = std::make_shared<ExportFlags>();
  CLI::App* exp =
      app.add_subcommand("export", "export the TM (tmx) or the glossary (tbx, tbx2008, tsv, csv, jsonl)");
  exp->add_option("--format", ex->format, "tmx|tbx|tbx2008|tsv|csv|jsonl")
      ->check(CLI::IsMember({"tmx", "tbx", "tbx2008", "tsv", "csv", "jsonl"}))
      ->capture_default_str();
  exp->add_flag("--tm", ex->tm, "export the TM as tsv or jsonl (default for those: the glossary)");
  exp->add_option("-o,--output", ex->out_path, "write to this file instead of standard output");
  commands->push_back({exp, [ex](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Export(channel, o, *ex);
                       }});
}

}  // namespace heluo::cli
