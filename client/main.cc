// heluo: the command-line client. Talks to heluo-server over gRPC with the same heluo.v1 protos. Each
// subcommand lives in client/commands/; this file holds the global flags and the dispatch.
//
// Exit status: 0 success; 1 nothing found (unknown term, no TM match); 2 bad usage or a request the server
// rejected; 3 the server could not be reached.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/commands/command.h"
#include "client/connection.h"
#include "client/suggest_command.h"

int main(int argc, char** argv) {
  using namespace heluo::cli;
  CLI::App app{"heluo: look up terms and translation-memory matches on a heluo-server"};
  Options o;
  if (const char* env = std::getenv("HELUO_SERVER")) o.server = env;
  if (const char* env = std::getenv("HELUO_TOKEN")) o.token = env;
  app.add_option("--server", o.server,
                 "server address HOST:PORT (or $HELUO_SERVER); several, comma-separated (a:1,b:2), or "
                 "dns:///NAME:PORT spread reads over all of them (round_robin)")
      ->capture_default_str();
  app.add_option("--primary", o.primary,
                 "where writes, imports and backups go (HOST:PORT): the primary of read replicas; default: the "
                 "first address of --server");
  app.add_flag("--json", o.json, "print the server's response as JSON");
  app.add_option("--timeout-ms", o.timeout_ms, "deadline per call")->capture_default_str();
  app.add_option("--tls-ca", o.tls_ca, "connect over TLS, trusting this PEM CA");
  app.add_option("--tls-server-name", o.tls_server_name, "certificate name to expect (default: the host)");
  app.add_option("--tls-cert", o.tls_cert, "client certificate (PEM) for servers that require mutual TLS");
  app.add_option("--tls-key", o.tls_key, "private key (PEM) of --tls-cert");
  app.add_option("--token", o.token, "bearer token, sent on every call (or $HELUO_TOKEN)");
  app.require_subcommand(1);
  // Subcommands inherit this: an option they do not know (--json after the command) goes to the parent.
  app.fallthrough();

  std::vector<Command> commands;
  AddTermCommands(app, &commands);
  AddTmCommands(app, &commands);
  AddPretranslateCommand(app, &commands);
  AddInterchangeCommands(app, &commands);
  AddBackupCommand(app, &commands);
  AddStatsCommand(app, &commands);
  AddCheckCommands(app, &commands);
  if (std::optional<std::string> unknown = UnknownCommand(app, argc, argv)) {
    std::cerr << "heluo: " << UnknownCommandMessage(app, *unknown) << std::endl;
    return kRejected;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kRejected;
  }

  const Channels channels = Connect(o);
  if (channels.reads == nullptr || channels.writes == nullptr) return kRejected;
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.run(c.writes ? channels.writes : channels.reads, o);
  }
  return kRejected;
}
