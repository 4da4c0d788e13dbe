// check and audit: the server's terminology check (Glossary.CheckTerminology) on one translation, or on
// every pair of a TM collection, with the problems underlined in the terminal. Exit status 0 clean, 1
// issues found (2 bad request, 3 unreachable, 4 a report file could not be written).
#include <fstream>
#include <iostream>
#include <map>

#include "client/commands/command.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace heluo::cli {
namespace {

struct CheckFlags {
  std::string source, target;
  std::vector<std::string> glossaries;
  bool skip_counts = false, skip_figures = false, skip_untranslated = false;
  std::string collection, tsv;
};

const char* IssueName(v1::TermIssueKind k) {
  // TERM_ISSUE_KIND_MISSING_RENDERING → MISSING_RENDERING, the names docs/terminology-qa.md uses.
  static const std::string prefix = "TERM_ISSUE_KIND_";
  return v1::TermIssueKind_Name(k).c_str() + prefix.size();
}

// Exit status 1 means "issues found" here, so an unknown collection is a bad request (2), not "nothing found".
int CheckFailed(const grpc::Status& status, const Options& o) {
  const int code = ReportError(status, o);
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? 2 : code;
}

// Decodes UTF-8 (the server has validated it) to code points.
std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

// Terminal columns of a code point: East Asian wide and full-width characters take two.
int Columns(char32_t c) {
  const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

// The text, and under it a line of ^ under code points [begin, end).
void Underline(const char* label, const std::string& text, const v1::TextSpan& span) {
  const std::u32string cps = Decode(text);
  std::string marks;
  for (size_t i = 0; i < cps.size() && static_cast<int>(i) < span.code_point_end(); ++i) {
    const char mark = static_cast<int>(i) >= span.code_point_begin() ? '^' : ' ';
    marks.append(static_cast<size_t>(Columns(cps[i])), mark);
  }
  std::cout << "    " << label << text << "\n    " << std::string(std::char_traits<char>::length(label), ' ')
            << marks << "\n";
}

void PrintIssue(const v1::TermIssue& i, const std::string& source, const std::string& target) {
  std::cout << (i.severity() == v1::TERM_ISSUE_SEVERITY_ERROR ? "error" : "warning") << " " << IssueName(i.kind());
  if (!i.term_id().empty()) std::cout << " [" << i.term_id() << "]";
  std::cout << ": " << i.message() << "\n";
  if (i.has_source_span()) Underline("source: ", source, i.source_span());
  if (i.has_target_span()) Underline("target: ", target, i.target_span());
}

v1::CheckTerminologyRequest Request(const CheckFlags& f, const std::string& source, const std::string& target) {
  v1::CheckTerminologyRequest r;
  r.set_source(source);
  r.set_target(target);
  for (const std::string& g : f.glossaries) r.add_collections(g);
  r.mutable_options()->set_skip_counts(f.skip_counts);
  r.mutable_options()->set_skip_figures(f.skip_figures);
  r.mutable_options()->set_skip_untranslated(f.skip_untranslated);
  return r;
}

int Check(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const CheckFlags& f) {
  auto stub = v1::Glossary::NewStub(channel);
  v1::CheckTerminologyResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->CheckTerminology(&ctx, Request(f, f.source, f.target), &response);
  if (!status.ok()) return CheckFailed(status, o);
  if (o.json) {
    PrintJson(response);
  } else if (response.issues().empty()) {
    std::cout << "no terminology issues\n";
  } else {
    for (const v1::TermIssue& i : response.issues()) PrintIssue(i, f.source, f.target);
  }
  return response.issues().empty() ? 0 : 1;
}

std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// Every pair of a TM collection through the check; a summary per kind and per entry at the end.
int Audit(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const CheckFlags& f) {
  auto tm = v1::TranslationMemory::NewStub(channel);
  auto glossary = v1::Glossary::NewStub(channel);
  std::ofstream tsv;
  if (!f.tsv.empty()) {
    tsv.open(f.tsv);
    if (!tsv) {
      std::cerr << "heluo: cannot write " << f.tsv << "\n";
      return 4;
    }
    tsv << "segment_id\tkind\tseverity\tterm_id\tsource_text\texpected\tfound\tmessage\n";
  }
  std::map<std::string, int> per_kind, per_entry;
  int pairs = 0, issues = 0;
  std::string token;
  do {
    v1::ListSegmentsRequest list;
    list.set_page_size(500);
    list.set_page_token(token);
    v1::ListSegmentsResponse page;
    grpc::ClientContext ctx;
    PrepareCall(&ctx, o);
    if (grpc::Status st = tm->ListSegments(&ctx, list, &page); !st.ok()) return ReportError(st, o);
    for (const v1::Segment& s : page.segments()) {
      if (s.collection() != f.collection) continue;
      ++pairs;
      v1::CheckTerminologyResponse r;
      grpc::ClientContext c;
      PrepareCall(&c, o);
      if (grpc::Status st = glossary->CheckTerminology(&c, Request(f, s.source(), s.target()), &r); !st.ok()) {
        std::cerr << "heluo: segment " << s.id() << ": ";
        return CheckFailed(st, o);
      }
      for (const v1::TermIssue& i : r.issues()) {
        ++issues;
        ++per_kind[IssueName(i.kind())];
        if (!i.term_id().empty()) ++per_entry[i.term_id()];
        if (o.json) {
          // One JSON object a line: {"segment_id": …, "issue": {…}}.
          std::cout << "{\"segment_id\":\"" << s.id() << "\",\"issue\":" << ToJson(i) << "}\n";
        } else if (tsv.is_open()) {
          // TSV only: keep the terminal quiet.
        } else {
          std::cout << s.id() << " ";
          PrintIssue(i, s.source(), s.target());
        }
        if (tsv.is_open()) {
          tsv << s.id() << "\t" << IssueName(i.kind()) << "\t"
              << (i.severity() == v1::TERM_ISSUE_SEVERITY_ERROR ? "error" : "warning") << "\t" << i.term_id() << "\t"
              << Cell(i.source_text()) << "\t" << Cell(i.expected().empty() ? "" : i.expected(0)) << "\t"
              << Cell(i.found()) << "\t" << Cell(i.message()) << "\n";
        }
      }
    }
    token = page.next_page_token();
  } while (!token.empty());
  if (pairs == 0) {
    std::cerr << "heluo: no segments in collection '" << f.collection << "' (heluo stats lists the collections)\n";
    return 2;
  }
  std::ostream& summary = o.json ? std::cerr : std::cout;
  summary << "audited " << pairs << " pairs of " << f.collection << ": " << issues << " issues\n";
  for (const auto& [kind, n] : per_kind) summary << "  " << kind << ": " << n << "\n";
  for (const auto& [entry, n] : per_entry) summary << "  entry " << entry << ": " << n << "\n";
  if (tsv.is_open() && !tsv.flush()) return 4;
  return issues == 0 ? 0 : 1;
}

void AddSharedFlags(CLI::App* app, CheckFlags* f) {
  app->add_option("--glossary", f->glossaries, "glossary collections whose terms count (default: all)");
  app->add_flag("--skip-counts", f->skip_counts, "no COUNT_MISMATCH");
  app->add_flag("--skip-figures", f->skip_figures, "no FIGURE_MISMATCH");
  app->add_flag("--skip-untranslated", f->skip_untranslated, "no UNTRANSLATED");
}

}  // namespace

void AddCheckCommands(CLI::App& app, std::vector<Command>* commands) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand("check", "check a translation against the glossary (exit 1: issues)");
  check->add_option("source", flags->source, "the Chinese source")->required();
  check->add_option("target", flags->target, "the English translation")->required();
  AddSharedFlags(check, flags.get());
  commands->push_back({check, [flags](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Check(channel, o, *flags);
                       }});
  CLI::App* audit = app.add_subcommand("audit", "check every pair of a TM collection (exit 1: issues)");
  audit->add_option("--collection", flags->collection, "the TM collection to audit")->required();
  audit->add_option("--tsv", flags->tsv, "write the issues to this file as tab-separated values");
  AddSharedFlags(audit, flags.get());
  commands->push_back({audit, [flags](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Audit(channel, o, *flags);
                       }});
}

}  // namespace heluo::cli
