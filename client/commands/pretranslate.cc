// pretranslate: a whole file, one source segment a line, through LookupStream with each line's neighbours as
// context. Rows carry the file's own line numbers; a line that cannot be sent (not UTF-8, too long) is
// reported with its number while every other line still goes through, and the exit status says so.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/commands/command.h"
#include "client/commands/lookup_request.h"
#include "client/output.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace heluo::cli {
namespace {

// The server's limit on a query (kMaxSegmentLength in server/core/translation_memory.h), checked here so that
// one long line fails alone instead of ending the whole stream.
constexpr size_t kMaxLineCodePoints = 5000;

// Code points in `s`, or -1 when it is not well-formed UTF-8 (overlong forms, surrogates and values past
// U+10FFFF included): protobuf refuses such a string, which would end the stream for every line.
long CodePoints(std::string_view s) {
  long n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += len;
  }
  return n;
}

struct Line {
  long number;  // 1-based line in the file.
  std::string text;
};

// The file's non-blank lines (a UTF-8 byte order mark and CR line ends dropped); lines that cannot be looked
// up go to *bad with the reason.
bool ReadLines(const std::string& path, std::vector<Line>* good,
               std::vector<std::pair<Line, std::string>>* bad) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  long number = 0;
  for (std::string text; std::getline(in, text);) {
    ++number;
    if (number == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const long cps = CodePoints(text);
    if (cps < 0) {
      bad->push_back({{number, text}, "not valid UTF-8"});
    } else if (static_cast<size_t>(cps) > kMaxLineCodePoints) {
      bad->push_back({{number, text}, "longer than " + std::to_string(kMaxLineCodePoints) + " characters"});
    } else {
      good->push_back({number, std::move(text)});
    }
  }
  return true;
}

// Table: a header, then "line<TAB>score<TAB>kind<TAB>target" (score 0, kind "-" and an empty target when
// nothing matched). --json: one object per line of the file (JSON Lines), errors included.
int Pretranslate(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& path,
                 const TmOptions& t) {
  std::vector<Line> lines;
  std::vector<std::pair<Line, std::string>> bad;
  if (!ReadLines(path, &lines, &bad)) {
    std::cerr << "heluo: cannot read " << path << std::endl;
    return kRejected;
  }
  for (const auto& [line, reason] : bad) {
    std::cerr << "heluo: " << path << ":" << line.number << ": " << reason << "; this line was not looked up"
              << std::endl;
    if (o.json) std::cout << nlohmann::json{{"line", line.number}, {"error", reason}}.dump() << "\n";
  }
  if (!o.json) std::cout << "line\tscore\tkind\ttarget\n";
  auto stub = heluo::v1::TranslationMemory::NewStub(channel);
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
  auto stream = stub->LookupStream(&ctx);
  std::thread writer([&] {
    for (size_t i = 0; i < lines.size(); ++i) {
      TmOptions one = t;
      one.max_results = 1;
      one.has_previous = true;  // "" at the ends: the file is the whole document.
      one.previous = i > 0 ? lines[i - 1].text : "";
      one.has_next = true;
      one.next = i + 1 < lines.size() ? lines[i + 1].text : "";
      if (!stream->Write(MakeLookup(lines[i].text, one))) break;
    }
    stream->WritesDone();
  });
  heluo::v1::LookupResponse response;
  size_t i = 0, matched = 0;
  while (i < lines.size() && stream->Read(&response)) {
    const long number = lines[i++].number;
    const bool hit = !response.matches().empty();
    matched += hit ? 1 : 0;
    const heluo::v1::Match& m = hit ? response.matches(0) : heluo::v1::Match::default_instance();
    const std::string& target = m.placeable() ? m.substituted_target() : m.segment().target();
    if (o.json) {
      nlohmann::json row{
          {"line", number}, {"score", m.score()}, {"kind", KindKey(m.kind())}, {"target", target}};
      if (hit) row["segment_id"] = m.segment().id();
      if (const std::string warning = NotCarriedOver(m); !warning.empty()) row["warning"] = warning;
      std::cout << row.dump() << "\n";
    } else {
      std::cout << number << "\t" << m.score() << "\t" << (hit ? KindName(m.kind()) : "-") << "\t" << target
                << "\n";
      if (const std::string warning = NotCarriedOver(m); !warning.empty()) {
        std::cerr << "heluo: line " << number << ": " << warning << "\n";
      }
    }
  }
  writer.join();
  grpc::Status status = stream->Finish();
  std::cout.flush();
  if (!status.ok()) return ReportError(status, o);
  std::cerr << "heluo: " << matched << " of " << lines.size() << " segments matched at or above "
            << t.min_score << "%";
  if (!bad.empty()) std::cerr << "; " << bad.size() << " line(s) could not be looked up (see above)";
  std::cerr << std::endl;
  return bad.empty() ? 0 : kRejected;
}

}  // namespace

void AddPretranslateCommand(CLI::App& app, std::vector<Command>* commands) {
  auto file = std::make_shared<std::string>();
  auto t = std::make_shared<TmOptions>();
  CLI::App* pretranslate =
      app.add_subcommand("pretranslate", "run a file (one segment a line) through the TM");
  pretranslate->add_option("file", *file, "UTF-8 text, one source segment per line")->required();
  pretranslate->add_option("--min-score", t->min_score, "lowest score, 0..101")->capture_default_str();
  commands->push_back({pretranslate, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Pretranslate(channel, o, *file, *t);
                       }});
}

}  // namespace heluo::cli
