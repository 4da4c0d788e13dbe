// What to say when the first word of a command line is not a command: its name and the nearest command.
#ifndef HELUO_CLIENT_SUGGEST_COMMAND_H_
#define HELUO_CLIENT_SUGGEST_COMMAND_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace heluo::cli {

// The first word of argv that is neither an option of `app` nor an option's value, when it names no
// subcommand of `app`; nullopt otherwise (CLI11 then reports whatever else is wrong).
std::optional<std::string> UnknownCommand(CLI::App& app, int argc, char** argv);

// "unknown command 'trem'; did you mean 'term'?" — the nearest command by edit distance, or the list of
// commands when none is close.
std::string UnknownCommandMessage(CLI::App& app, const std::string& word);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_SUGGEST_COMMAND_H_
