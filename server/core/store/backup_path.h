// Where Admin.Backup may write: only below the directory the operator named with --backup-dir.
//
// The path in a BackupRequest comes from a client; without a confinement an admin token (or whoever stole
// one) could make the server write a copy of the store anywhere its user may write, over a mount point or
// into another service's directory. So a request names a directory below the backup root, either relative
// to it or as an absolute path inside it, and anything that would leave it is refused before any file is
// touched: a NUL byte, a ".." component, a symlink (anywhere along the path) that resolves outside.
// The check and the write are separate steps: someone who can write inside the root could swap a directory
// for a symlink in between, so the root should be writable by the server's user only (it is created 0700).
#ifndef HELUO_SERVER_CORE_STORE_BACKUP_PATH_H_
#define HELUO_SERVER_CORE_STORE_BACKUP_PATH_H_

#include <string>

#include "server/core/status.h"

namespace heluo {

// The directory `requested` names below `root` (an existing directory, resolved to its canonical path),
// with every symlink that exists along it resolved. INVALID_ARGUMENT for an empty path, a NUL byte, "..",
// the root itself, or a path that is or resolves outside the root.
Result<std::string> ResolveBackupPath(const std::string& root, const std::string& requested);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_BACKUP_PATH_H_
