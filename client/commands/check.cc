// check: the server's terminology check (Glossary.CheckTerminology) on one translation, with the problems
// underlined in the terminal. Exit status 0 clean, 1 issues found (2 bad request, 3 unreachable).
#include <iostream>

#include "client/commands/check_flags.h"
#include "client/commands/command.h"
#include "client/issue_output.h"
#include "client/output.h"
#include "heluo/v1/glossary.grpc.pb.h"

namespace heluo::cli {
namespace {

struct CheckFlags {
  std::string source, target;
  TermCheckFlags check;
};

int Check(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const CheckFlags& f) {
  auto stub = v1::Glossary::NewStub(channel);
  v1::CheckTerminologyRequest request;
  request.set_source(f.source);
  request.set_target(f.target);
  for (const std::string& g : f.check.glossaries) request.add_collections(g);
  f.check.SetOptions(request.mutable_options());
  v1::CheckTerminologyResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->CheckTerminology(&ctx, request, &response);
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

}  // namespace

int CheckFailed(const grpc::Status& status, const Options& o) {
  const int code = ReportError(status, o);
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? kRejected : code;
}

void AddCheckCommands(CLI::App& app, std::vector<Command>* commands) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand("check", "check a translation against the glossary (exit 1: issues)");
  check->add_option("source", flags->source, "the Chinese source")->required();
  check->add_option("target", flags->target, "the English translation")->required();
  flags->check.AddTo(check);
  commands->push_back({check, [flags](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Check(channel, o, *flags);
                       }});
  AddAuditCommand(app, commands);
}

}  // namespace heluo::cli
