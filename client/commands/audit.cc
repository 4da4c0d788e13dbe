// audit: the server's terminology check over a whole TMX file or a TM collection of the server
// (Glossary.AuditTranslations): each pair with issues as it comes, then the summary per kind and per entry.
// --json prints the server's messages as JSON Lines; --tsv writes a report, all or nothing (a failed audit
// leaves no file behind). Exit status 0 clean, 1 issues found or pairs that could not be checked, 2 a bad
// request (malformed TMX, unknown collection), 3 unreachable, 4 a local file could not be read or written.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "client/commands/check_flags.h"
#include "client/commands/command.h"
#include "client/issue_output.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"

namespace heluo::cli {
namespace {

struct AuditFlags {
  std::string file, collection, tsv;
  TermCheckFlags check;
};

constexpr size_t kUploadPiece = 256 * 1024;
constexpr int kEntriesShown = 20;  // Entries of the summary shown in the terminal (--json has them all).

void PrintSummary(const v1::AuditSummary& s, const std::string& what) {
  std::cout << "audited " << s.pairs() << " pairs of " << what << ": " << s.issues() << " issues (" << s.errors()
            << " errors, " << s.warnings() << " warnings) in " << s.pairs_with_issues() << " pairs";
  if (s.skipped() > 0) std::cout << "; " << s.skipped() << " pairs could not be checked";
  std::cout << "\n";
  for (const v1::AuditKindCount& k : s.per_kind()) std::cout << "  " << IssueName(k.kind()) << ": " << k.issues() << "\n";
  int shown = 0;
  for (const v1::AuditEntryCount& e : s.per_entry()) {
    if (shown++ == kEntriesShown) {
      std::cout << "  … and " << (s.per_entry_size() - kEntriesShown) << " more entries (--json lists them all)\n";
      break;
    }
    std::cout << "  entry " << e.term_id() << ": " << e.issues();
    for (const v1::AuditKindCount& k : e.kinds()) std::cout << (&k == &e.kinds(0) ? " (" : ", ") << IssueName(k.kind()) << " " << k.issues();
    std::cout << (e.kinds().empty() ? "" : ")") << "\n";
  }
  for (const v1::AuditSkippedPair& p : s.skipped_pairs()) {
    std::cout << "  not checked: " << p.segment_id();
    if (p.line() > 0) std::cout << " (line " << p.line() << ")";
    std::cout << ": " << p.reason() << "\n";
  }
}

// Sends what to audit: the first message names the collection or starts the file.
bool Send(grpc::ClientReaderWriter<v1::AuditTranslationsRequest, v1::AuditTranslationsResponse>* stream,
          const AuditFlags& f, std::ifstream* file) {
  v1::AuditTranslationsRequest first;
  first.set_tm_collection(f.collection);
  for (const std::string& g : f.check.glossaries) first.add_glossary_collections(g);
  f.check.SetOptions(first.mutable_options());
  if (f.file.empty()) return stream->Write(first);
  std::string buf(kUploadPiece, '\0');
  bool sent_first = false;
  while (file->read(buf.data(), static_cast<std::streamsize>(buf.size())) || file->gcount() > 0) {
    v1::AuditTranslationsRequest piece = sent_first ? v1::AuditTranslationsRequest() : first;
    piece.set_data(buf.data(), static_cast<size_t>(file->gcount()));
    if (!stream->Write(piece)) return false;
    sent_first = true;
  }
  return sent_first || stream->Write(first);  // An empty file: the server says so.
}

int Audit(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const AuditFlags& f) {
  if (f.file.empty() == f.collection.empty()) {
    std::cerr << "heluo: audit takes a TMX file or --collection NAME (one of the two)\n";
    return kRejected;
  }
  std::ifstream file;
  if (!f.file.empty()) {
    file.open(f.file, std::ios::binary);
    if (!file) {
      std::cerr << "heluo: cannot read " << f.file << "\n";
      return kLocalFailure;
    }
  }
  // The report is written next to its final name and renamed when the audit is complete.
  const std::string partial = f.tsv + ".partial";
  std::ofstream tsv;
  if (!f.tsv.empty()) {
    tsv.open(partial);
    if (!tsv) {
      std::cerr << "heluo: cannot write " << f.tsv << "\n";
      return kLocalFailure;
    }
    WriteIssueTsvHeader(tsv);
  }
  auto discard = [&](int code) {
    if (tsv.is_open()) {
      tsv.close();
      std::remove(partial.c_str());
    }
    return code;
  };
  auto stub = v1::Glossary::NewStub(channel);
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
  auto stream = stub->AuditTranslations(&ctx);
  if (Send(stream.get(), f, &file)) stream->WritesDone();
  v1::AuditTranslationsResponse response;
  v1::AuditSummary summary;
  bool have_summary = false;
  while (stream->Read(&response)) {
    if (o.json) std::cout << ToJson(response) << "\n";
    if (response.has_summary()) {
      summary = response.summary();
      have_summary = true;
      continue;
    }
    const v1::AuditedPair& pair = response.pair();
    for (const v1::TermIssue& i : pair.issues()) {
      if (tsv.is_open()) WriteIssueTsvRow(tsv, pair.segment_id(), pair.line(), i);
      if (o.json || tsv.is_open()) continue;  // The terminal gets only the summary then.
      std::cout << pair.segment_id();
      if (pair.line() > 0) std::cout << " (line " << pair.line() << ")";
      std::cout << " ";
      PrintIssue(i, pair.source(), pair.target());
    }
  }
  if (grpc::Status st = stream->Finish(); !st.ok()) return discard(CheckFailed(st, o));
  if (!have_summary) {
    std::cerr << "heluo: the server ended the audit without a summary\n";
    return discard(kRejected);
  }
  if (tsv.is_open()) {
    tsv.close();
    if (!tsv || std::rename(partial.c_str(), f.tsv.c_str()) != 0) {
      std::cerr << "heluo: cannot write " << f.tsv << "\n";
      return discard(kLocalFailure);
    }
  }
  if (!o.json) PrintSummary(summary, f.file.empty() ? f.collection : f.file);
  return summary.issues() == 0 && summary.skipped() == 0 ? 0 : kNothingFound;
}

}  // namespace

void AddAuditCommand(CLI::App& app, std::vector<Command>* commands) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* audit =
      app.add_subcommand("audit", "check every pair of a TMX file or a TM collection against the glossary (exit 1: issues)");
  audit->add_option("file", flags->file, "the TMX file to audit (it is sent to the server, never stored)");
  audit->add_option("--collection", flags->collection, "audit this TM collection of the server instead");
  audit->add_option("--tsv", flags->tsv, "write the issues to this file as tab-separated values");
  flags->check.AddTo(audit);
  commands->push_back({audit, [flags](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Audit(channel, o, *flags);
                       }});
}

}  // namespace heluo::cli
