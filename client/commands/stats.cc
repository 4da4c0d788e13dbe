// stats: what the server holds and how its methods have been doing.
#include <iostream>

#include "client/commands/command.h"
#include "client/output.h"
#include "heluo/v1/admin.grpc.pb.h"

namespace heluo::cli {
namespace {

// The replication block (docs/replication.md, "Visibility"), one or two lines.
void PrintReplication(const heluo::v1::ReplicationStats& r) {
  switch (r.role()) {
    case heluo::v1::ReplicationStats::ROLE_PRIMARY:
      std::cout << "  replication: primary at commit " << r.sequence() << ", outbox " << r.outbox_depth()
                << " not yet published, stream at message " << r.stream_last_sequence()
                << (r.stream_reachable() ? "" : " (stream unreachable: " + r.stream_error() + ")") << "\n";
      return;
    case heluo::v1::ReplicationStats::ROLE_REPLICA:
      std::cout << "  replication: replica at commit " << r.sequence() << " (stream message "
                << r.applied_stream_sequence() << " of " << r.stream_last_sequence() << "), lag "
                << r.lag_messages() << " messages, " << r.lag_ms() << " ms; "
                << (r.serving() ? "serving" : "NOT SERVING") << " (bound " << r.max_lag_ms() << " ms)"
                << (r.stream_reachable() ? "" : "; stream unreachable: " + r.stream_error()) << "\n";
      if (!r.lost().empty()) std::cout << "  LOST THE STREAM: " << r.lost() << "\n";
      return;
    default:
      std::cout << "  replication: standalone\n";
  }
}

int Stats(const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  heluo::v1::StatsResponse response;
  grpc::ClientContext ctx;
  PrepareCall(&ctx, o);
  grpc::Status status = stub->Stats(&ctx, heluo::v1::StatsRequest(), &response);
  if (!status.ok()) return ReportError(status, o);
  if (o.json) {
    PrintJson(response);
    return 0;
  }
  std::cout << "heluo-server " << response.server_version() << " at " << o.server << "\n"
            << "  terms: " << response.terms() << "\n  segments: " << response.segments() << "\n";
  for (const auto& c : response.collections()) {
    std::cout << "  collection " << c.name() << ": " << c.terms() << " terms, " << c.segments()
              << " segments\n";
  }
  std::cout << "  data dir: " << response.data_dir() << " (schema " << response.schema_version() << ")\n"
            << "  storage: " << response.used_bytes() / 1024 << " KiB used of a "
            << response.map_size_bytes() / (1024 * 1024) << " MiB map\n"
            << "  up " << response.uptime_seconds() << " s\n";
  PrintReplication(response.replication());
  if (!response.methods().empty()) std::cout << "  calls (method: calls, errors, p50, p99, max in µs)\n";
  for (const auto& m : response.methods()) {
    std::cout << "    " << m.method() << ": " << m.calls() << ", " << m.errors() << ", " << m.p50_us() << ", "
              << m.p99_us() << ", " << m.max_us() << "\n";
  }
  return 0;
}

}  // namespace

void AddStatsCommand(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* stats = app.add_subcommand("stats", "what the server holds");
  commands->push_back({stats, [](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return Stats(channel, o);
                       }});
}

}  // namespace heluo::cli
