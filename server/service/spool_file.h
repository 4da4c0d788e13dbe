// SpoolFile: an unlinked temporary file in the data directory that an export or a backup download is
// written to before any of it goes to the client. The LMDB snapshot (and the store's resize lock) is then
// held only while writing to local disk, never while waiting on a client that reads slowly or not at all;
// the client reads the file at its own pace, and a stalled one is ended by the idle timeout (stream_guard.h),
// which closes the file. Costs disk space for one copy of the export while it streams; the file has no name,
// so nothing is left behind by a crash.
//
// Thread-safety: one SpoolFile belongs to one call.
#ifndef HELUO_SERVER_SERVICE_SPOOL_FILE_H_
#define HELUO_SERVER_SERVICE_SPOOL_FILE_H_

#include <grpcpp/support/sync_stream.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/core/status.h"
#include "server/service/status_mapping.h"
#include "server/service/stream_guard.h"

namespace heluo {

class SpoolFile {
 public:
  SpoolFile() = default;
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Creates the file in `dir`, readable and writable by the owner only.
  Status Create(const std::string& dir);
  int fd() const { return fd_; }
  Status Append(std::string_view data);
  // Runs `produce` with a sink that appends to this file: its status, or the append's failure.
  Status Capture(const std::function<Status(const std::function<bool(std::string_view)>& sink)>& produce);
  // Calls `send` with the file's contents from its start, in chunks of at most 64 KiB, until it returns
  // false (then false). Fails with a Status only when the file cannot be read.
  Result<bool> ForEachChunk(const std::function<bool(std::string_view)>& send) const;

 private:
  int fd_ = -1;
};

// Streams `spool` to the client as Chunk messages (any message with set_data), each Write counted as
// waiting on the client. OK, or why the stream ended early.
template <typename Chunk>
grpc::Status SendSpool(const SpoolFile& spool, StreamRegistry::Stream& stream, grpc::ServerWriter<Chunk>* writer) {
  Result<bool> sent = spool.ForEachChunk([&](std::string_view data) {
    Chunk chunk;
    chunk.set_data(std::string(data));
    return stream.AwaitClient([&] { return writer->Write(chunk); });
  });
  if (!sent.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, sent.status().message());
  return *sent ? grpc::Status::OK : stream.Ended();
}

// A whole download after admission: `fill` writes the file in `dir` (its snapshot closes when it returns),
// then SendSpool streams it.
template <typename Chunk>
grpc::Status SpoolThenSend(const std::string& dir, StreamRegistry::Stream& stream, grpc::ServerWriter<Chunk>* writer,
                           const std::function<Status(SpoolFile&)>& fill) {
  SpoolFile spool;
  if (Status st = spool.Create(dir); !st.ok()) return ToGrpcStatus(st);
  if (Status st = fill(spool); !st.ok()) return ToGrpcStatus(st);
  return SendSpool(spool, stream, writer);
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_SPOOL_FILE_H_
