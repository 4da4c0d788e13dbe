#include "server/replication/replica_start.h"

#include "server/replication/seed.h"
#include "server/service/log.h"

namespace heluo {

Status SeedReplicaIfAsked(const std::string& backup_dir, const std::string& data_dir,
                          const StoreOptions& options) {
  if (backup_dir.empty()) return Status::Ok();
  Result<SeedOutcome> seeded = SeedReplicaFromBackup(backup_dir, data_dir, options);
  if (!seeded.ok()) return seeded.status();
  if (seeded->seeded) {
    spdlog::info(
        "{}", LogLine("replica: seeded from a backup; following the stream after its commit",
                      {{"backup", backup_dir}, {"data_dir", data_dir}, {"commit_seq", seeded->commit_seq}}));
  } else {
    spdlog::info("{}", LogLine("replica: the data directory already holds this replica's store; "
                               "--seed-from-backup not needed, resuming",
                               {{"data_dir", data_dir}, {"applied_commit_seq", seeded->commit_seq}}));
  }
  return Status::Ok();
}

}  // namespace heluo
