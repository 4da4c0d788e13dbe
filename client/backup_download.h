// heluo backup --download DIR: the streamed copy of the store (Admin.DownloadBackup) written so that a copy
// at DIR/data.mdb is always whole.
//
// The copy goes to a temporary file in DIR (mode 0600); every write, the fsync and the close are checked;
// the size and SHA-256 the server sends after the last chunk must match what arrived; only then is the file
// renamed to data.mdb (never over an existing one) and the directory synced. On any failure nothing is left
// at DIR/data.mdb, the temporary file is removed, and DIR too if this command created it. DIR must be new or
// empty: the copy never goes into a directory holding anything (a data.mdb symlink included).
#ifndef HELUO_CLIENT_BACKUP_DOWNLOAD_H_
#define HELUO_CLIENT_BACKUP_DOWNLOAD_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <string>

#include "heluo/v1/admin.grpc.pb.h"

namespace heluo::client {

struct DownloadResult {
  enum class Outcome { kDone, kServerError, kLocalError };
  Outcome outcome = Outcome::kLocalError;
  grpc::Status status;  // kServerError: what the call ended with.
  std::string message;  // kLocalError: what went wrong, for a person; nothing was kept.
  int64_t bytes = 0;    // kDone: size and checksum of the verified copy.
  std::string sha256;
};

// Downloads into `dir`/data.mdb over `stub`, with `ctx` (authorization set by the caller).
DownloadResult DownloadBackup(v1::Admin::StubInterface& stub, grpc::ClientContext* ctx,
                              const std::string& dir);

}  // namespace heluo::client

#endif  // HELUO_CLIENT_BACKUP_DOWNLOAD_H_
