// pretranslate: a whole file, one source segment a line, through LookupStream
// with each line's neighbours as context.
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "client/commands/command.h"
#include "client/commands/lookup_request.h"
#include "client/output.h"
#include "heluo/v1/translation_memory.grpc.pb.h"

namespace heluo::cli {
namespace {

// Prints "line<TAB>score<TAB>kind<TAB>target" (an empty target when nothing
// matched).
int Pretranslate(const std::shared_ptr<grpc::Channel> &channel, const Options &o, const std::string &path,
                 const TmOptions &t) {
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
      const auto &m = response.matches(0);
      ++matched;
      std::cout << "\t" << m.score() << "\t" << KindName(m.kind()) << "\t"
                << (m.placeable() ? m.substituted_target() : m.segment().target()) << "\n";
    }
    ++i;
  }
  writer.join();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return ReportError(status, o);
  std::cerr << "heluo: " << matched << " of " << lines.size() << " segments matched at or above "
            << t.min_score << "%" << std::endl;
  return 0;
}

}  // namespace

void AddPretranslateCommand(CLI::App &app, std::vector<Command> *commands) {
  auto file = std::make_shared<std::string>();
  auto t = std::make_shared<TmOptions>();
  CLI::App *pretranslate =
      app.add_subcommand("pretranslate", "run a file (one segment a line) through the TM");
  pretranslate->add_option("file", *file, "UTF-8 text, one source segment per line")->required();
  pretranslate->add_option("--min-score", t->min_score, "lowest score, 0..101")->capture_default_str();
  commands->push_back({pretranslate, [=](const std::shared_ptr<grpc::Channel> &channel, const Options &o) {
                         return Pretranslate(channel, o, *file, *t);
                       }});
}

}  // namespace heluo::cli
