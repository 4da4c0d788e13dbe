// A subcommand of `heluo`: each commands/*.cc file registers its own subcommands (flags, help) on the CLI11
// app and says what runs when one of them was given, so main.cc only parses and dispatches.
#ifndef HELUO_CLIENT_COMMANDS_COMMAND_H_
#define HELUO_CLIENT_COMMANDS_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "client/connection.h"

namespace heluo::cli {

struct Command {
  CLI::App* app;  // Owned by the parent CLI::App.
  std::function<int(const std::shared_ptr<grpc::Channel>&, const Options&)> run;
  // Runs on the primary's channel (writes, imports, backups), not on the reads' (Channels, connection.h).
  bool writes = false;
};

// Each appends its commands, a nested one (term add) before its parent (term), since main runs the first
// command whose app was parsed.
void AddTermCommands(CLI::App& app, std::vector<Command>* commands);
void AddTmCommands(CLI::App& app, std::vector<Command>* commands);
void AddPretranslateCommand(CLI::App& app, std::vector<Command>* commands);
void AddInterchangeCommands(CLI::App& app, std::vector<Command>* commands);
void AddBackupCommand(CLI::App& app, std::vector<Command>* commands);
void AddStatsCommand(CLI::App& app, std::vector<Command>* commands);
// check, and audit (AddAuditCommand).
void AddCheckCommands(CLI::App& app, std::vector<Command>* commands);
void AddAuditCommand(CLI::App& app, std::vector<Command>* commands);

// Exit status 1 means "issues found" to check and audit, so an unknown collection is a bad request (2), not
// "nothing found": prints the error and returns the exit status.
int CheckFailed(const grpc::Status& status, const Options& o);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_COMMANDS_COMMAND_H_
