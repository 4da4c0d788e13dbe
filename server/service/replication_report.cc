#include "server/service/replication_report.h"

#include <spdlog/spdlog.h>

#include "server/service/log.h"

namespace heluo {

void ToProto(const ReplicationState* state, int64_t outbox_depth, v1::ReplicationStats* out) {
  if (state == nullptr) {
    out->set_role(v1::ReplicationStats::ROLE_STANDALONE);
    out->set_serving(true);
    return;
  }
  const ReplicationSnapshot s = state->Snapshot();
  const bool replica = s.role == ReplicationRole::kReplica;
  out->set_role(replica ? v1::ReplicationStats::ROLE_REPLICA : v1::ReplicationStats::ROLE_PRIMARY);
  out->set_sequence(s.sequence);
  out->set_stream_last_sequence(s.stream.last_stream_seq);
  out->set_stream_reachable(s.stream.reachable);
  out->set_stream_error(s.stream.error);
  out->set_serving(s.serving.ok());
  if (replica) {
    out->set_applied_stream_sequence(s.applied_stream_seq);
    out->set_lag_messages(s.lag_messages);
    out->set_lag_ms(s.lag_ms);
    out->set_lost(s.lost);
    out->set_max_lag_ms(s.max_lag.count());
  } else {
    out->set_outbox_depth(outbox_depth);
  }
}

void LogReplication(const ReplicationSnapshot& s) {
  const std::string line = LogLine(
      "replication", {{"role", ReplicationRoleName(s.role)},
                      {"applied", s.sequence},
                      {"applied_stream", s.applied_stream_seq},
                      {"stream_last", s.stream.last_stream_seq},
                      {"lag_messages", s.lag_messages},
                      {"lag_ms", s.lag_ms},
                      {"stream", s.stream.reachable ? "reachable" : "unreachable: " + s.stream.error},
                      {"serving", s.serving.ok() ? "yes" : "NO: " + s.serving.message()}});
  if (s.serving.ok()) {
    spdlog::info("{}", line);
  } else {
    spdlog::warn("{}", line);
  }
}

}  // namespace heluo
