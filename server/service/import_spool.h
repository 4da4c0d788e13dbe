// The service edge of interchange, shared by Glossary and TranslationMemory.
//
// ServeImport and ServeExport: a whole Import or Export call of either service, so that both admit, spool,
// audit and answer the same way; each service gives only the core call.
//
// ImportSpool: receives a client-streamed file into a temporary file in the data directory, enforcing the
// size limit, so the core can parse it as a stream (and read it again if the LMDB map has to grow). The
// file is removed when the spool goes out of scope. A server killed during an import leaves its spool file
// behind: RemoveStaleSpools deletes such files at the next start (safe then: the data directory's lock
// says no other server is using them).
#ifndef HELUO_SERVER_SERVICE_IMPORT_SPOOL_H_
#define HELUO_SERVER_SERVICE_IMPORT_SPOOL_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <string>
#include <string_view>

#include "heluo/v1/interchange.pb.h"
#include "server/core/interchange.h"
#include "server/service/audit.h"
#include "server/service/service_options.h"
#include "server/service/stream_guard.h"

namespace heluo {

class ImportSpool {
 public:
  ImportSpool(std::string dir, size_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}
  ~ImportSpool();
  ImportSpool(const ImportSpool&) = delete;
  ImportSpool& operator=(const ImportSpool&) = delete;

  // Reads the whole stream; options come from the first chunk, the author is `author` and the time now.
  // RESOURCE_EXHAUSTED past the limit, CANCELLED when the client goes away, INVALID_ARGUMENT for an empty
  // stream.
  // Each Read counts as waiting on the client for the idle timeout of `stream`.
  grpc::Status Receive(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                       StreamRegistry::Stream& stream, const std::string& author, ImportOptions* options);
  const std::string& path() const { return path_; }

  // The same in pieces, for a call whose messages are not ImportChunks: Open, Append each piece (what
  // `nothing` says happened when the limit or the disk refuses it), Close.
  grpc::Status Open();
  grpc::Status Append(std::string_view data, const char* nothing);
  void Close();
  size_t bytes() const { return total_; }  // Received so far.

 private:
  std::string dir_;
  size_t max_bytes_;
  std::string path_;
  int fd_ = -1;
  size_t total_ = 0;
};

void ToProto(const ImportSummary& in, v1::ImportSummary* out);

// Runs `import` on the spooled file of a client-streamed import: the call is audited as `method` (the full
// gRPC name), needs an editor and an admitted stream; `import` gets the spool's path and the options of the
// first chunk with the call's write limits, and its summary is the answer (and the audit line's counts).
grpc::Status ServeImport(
    std::string method, grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
    const ServiceOptions& options,
    const std::function<Result<ImportSummary>(const std::string& path, const ImportOptions& import_options)>& import,
    v1::ImportSummary* response);

// Streams what `produce` writes to the client: needs a reader and an admitted stream; the export is written
// to a spool file first (spool_file.h says why).
grpc::Status ServeExport(grpc::ServerContext* context, const ServiceOptions& options,
                         grpc::ServerWriter<v1::ExportChunk>* writer,
                         const std::function<Status(const ExportSink& sink)>& produce);

// Removes the spool files (import-XXXXXX.spool) in `dir`; returns how many. Call only while holding the
// directory's lock, before serving.
int RemoveStaleSpools(const std::string& dir);

// The summary's counts on the import's audit line.
void AuditCounts(const ImportSummary& summary, Audit* audit);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_IMPORT_SPOOL_H_
