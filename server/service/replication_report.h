// How a server's place in replication is shown (docs/replication.md, "Visibility"): the replication block
// of Admin.Stats and the replica's periodic log line, both from one ReplicationSnapshot.
#ifndef HELUO_SERVER_SERVICE_REPLICATION_REPORT_H_
#define HELUO_SERVER_SERVICE_REPLICATION_REPORT_H_

#include <cstdint>

#include "heluo/v1/admin.pb.h"
#include "server/core/replication_state.h"

namespace heluo {

// `state` null: a standalone server (role STANDALONE, nothing else). `outbox_depth`: the primary's.
void ToProto(const ReplicationState* state, int64_t outbox_depth, v1::ReplicationStats* out);

// One log line with role, sequences, lag and whether it serves (info; warn when it does not).
void LogReplication(const ReplicationSnapshot& s);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_REPLICATION_REPORT_H_
