// heluo-server's replica start-up steps that log (so they live with the server binary, not in the
// replication library): seeding from a backup before the store opens.
#ifndef HELUO_SERVER_REPLICATION_REPLICA_START_H_
#define HELUO_SERVER_REPLICATION_REPLICA_START_H_

#include <string>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

// With --seed-from-backup (`backup_dir` not empty): seeds `data_dir` (seed.h) and logs what it did. OK and
// nothing done when `backup_dir` is empty.
Status SeedReplicaIfAsked(const std::string& backup_dir, const std::string& data_dir,
                          const StoreOptions& options);

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_REPLICA_START_H_
