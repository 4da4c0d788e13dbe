#include "server/service/import_spool.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

namespace heluo {

namespace {
constexpr std::string_view kSpoolPrefix = "import-", kSpoolSuffix = ".spool";  // mkstemps: 6 random chars.
}  // namespace

int RemoveStaleSpools(const std::string& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == kSpoolPrefix.size() + 6 + kSpoolSuffix.size() && name.starts_with(kSpoolPrefix) &&
        name.ends_with(kSpoolSuffix) && unlink(entry.path().c_str()) == 0) {
      ++removed;
    }
  }
  return removed;
}

ImportSpool::~ImportSpool() {
  if (!path_.empty()) unlink(path_.c_str());
}

grpc::Status ImportSpool::Receive(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                                  const std::string& author, ImportOptions* options) {
  options->author = author;
  options->now = NowIso8601();
  std::string pattern = dir_ + "/" + std::string(kSpoolPrefix) + "XXXXXX" + std::string(kSpoolSuffix);
  const int fd = mkstemps(pattern.data(), static_cast<int>(kSpoolSuffix.size()));  // Mode 0600.
  if (fd < 0) return grpc::Status(grpc::StatusCode::INTERNAL, "cannot create a spool file in the data directory");
  path_ = pattern;
  v1::ImportChunk chunk;
  size_t total = 0;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) {
      options->dry_run = chunk.dry_run();
      options->collection = chunk.collection();
      first = false;
    }
    total += chunk.data().size();
    if (total > max_bytes_) {
      close(fd);
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "the file is larger than this server's import limit of " + std::to_string(max_bytes_ >> 20) +
                              " MiB (--max-import-mib); nothing was imported");
    }
    const std::string& data = chunk.data();
    for (size_t off = 0; off < data.size();) {
      const ssize_t n = write(fd, data.data() + off, data.size() - off);
      if (n <= 0) {
        close(fd);
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "cannot spool the import: the disk is full?");
      }
      off += static_cast<size_t>(n);
    }
  }
  close(fd);
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the import; nothing was imported");
  }
  if (first) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the import stream was empty");
  return grpc::Status::OK;
}

ExportSink ChunkWriter(grpc::ServerContext* context, grpc::ServerWriter<v1::ExportChunk>* writer) {
  return [context, writer](std::string_view data) {
    if (context->IsCancelled()) return false;
    v1::ExportChunk chunk;
    chunk.set_data(std::string(data));
    return writer->Write(chunk);
  };
}

void ToProto(const ImportSummary& in, v1::ImportSummary* out) {
  out->set_format(in.format);
  out->set_created(in.created);
  out->set_updated(in.updated);
  out->set_unchanged(in.unchanged);
  out->set_skipped(in.skipped);
  out->set_dry_run(in.dry_run);
  out->set_bytes(in.bytes);
  for (const ImportIssue& i : in.issues) {
    v1::ImportIssue* issue = out->add_issues();
    issue->set_line(i.line);
    issue->set_column(i.column);
    issue->set_unit_id(i.unit_id);
    issue->set_reason(i.reason);
  }
}

}  // namespace heluo
