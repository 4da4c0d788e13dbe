// Seeding: a new replica starts from a Backup of the primary instead of from the stream's first message
// (docs/replication.md#seeding), because the stream keeps only a week of changes (its limits) while a
// backup holds everything up to one commit.
//
// A Backup is LMDB's copy of one read transaction, so the commit sequence in its meta table
// (kCommitSequenceKey, raised in the same transaction as each change) is exactly the last change its content
// holds. Seeding copies the backup into the replica's empty data directory and records that sequence as the
// replica's applied position, in one transaction; the follower then reads the stream from its oldest message
// and skips commits up to it. The copy appears as DATA_DIR/data.mdb only when whole (it is made in
// DATA_DIR/seeding and renamed), so an interrupted seed leaves no store behind, and a retry starts over.
#ifndef HELUO_SERVER_REPLICATION_SEED_H_
#define HELUO_SERVER_REPLICATION_SEED_H_

#include <cstdint>
#include <string>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

struct SeedOutcome {
  bool seeded = false;      // False: the data directory already held a replica's store, left as it was.
  uint64_t commit_seq = 0;  // The backup's commit sequence (seeded), or the existing replica's applied one.
};

// Seeds `data_dir` from the backup directory `backup_dir` (holding data.mdb, as Admin.Backup and
// `heluo backup --download` write it). A data directory that already holds a replica's store (one that has
// applied commits) is left alone, so a restart with the same flags resumes; one holding any other store is
// refused (FAILED_PRECONDITION, nothing changed). `options` opens the copy (schema upgrade).
Result<SeedOutcome> SeedReplicaFromBackup(const std::string& backup_dir, const std::string& data_dir,
                                          const StoreOptions& options);

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_SEED_H_
