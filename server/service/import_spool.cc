#include "server/service/import_spool.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "server/service/call_limits.h"
#include "server/service/convert.h"
#include "server/service/spool_file.h"
#include "server/service/status_mapping.h"

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
  Close();
  if (!path_.empty()) unlink(path_.c_str());
}

grpc::Status ImportSpool::Open() {
  std::string pattern = dir_ + "/" + std::string(kSpoolPrefix) + "XXXXXX" + std::string(kSpoolSuffix);
  fd_ = mkstemps(pattern.data(), static_cast<int>(kSpoolSuffix.size()));  // Mode 0600.
  if (fd_ < 0) return grpc::Status(grpc::StatusCode::INTERNAL, "cannot create a spool file in the data directory");
  path_ = pattern;
  return grpc::Status::OK;
}

grpc::Status ImportSpool::Append(std::string_view data, const char* nothing) {
  total_ += data.size();
  if (total_ > max_bytes_) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "the file is larger than this server's import limit of " +
                                                                  std::to_string(max_bytes_ >> 20) +
                                                                  " MiB (--max-import-mib); " + nothing);
  }
  for (size_t off = 0; off < data.size();) {
    const ssize_t n = write(fd_, data.data() + off, data.size() - off);
    if (n <= 0) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          std::string("cannot spool the file: the disk is full?; ") + nothing);
    }
    off += static_cast<size_t>(n);
  }
  return grpc::Status::OK;
}

void ImportSpool::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

grpc::Status ImportSpool::Receive(grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
                                  StreamRegistry::Stream& stream, const std::string& author, ImportOptions* options) {
  options->author = author;
  options->now = NowIso8601();
  if (grpc::Status opened = Open(); !opened.ok()) return opened;
  v1::ImportChunk chunk;
  bool first = true;
  while (stream.AwaitClient([&] { return reader->Read(&chunk); })) {
    if (first) {
      options->dry_run = chunk.dry_run();
      options->collection = chunk.collection();
      if (!v1::HeaderRow_IsValid(chunk.header())) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "header must be AUTO, PRESENT or ABSENT");
      }
      options->header = FromProto(chunk.header());
      first = false;
    }
    if (grpc::Status st = Append(chunk.data(), "nothing was imported"); !st.ok()) return st;
  }
  Close();
  if (stream.ended_idle()) return stream.Ended();
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the import; nothing was imported");
  }
  if (first) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the import stream was empty");
  return grpc::Status::OK;
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

void AuditCounts(const ImportSummary& summary, Audit* audit) {
  audit->Note("format", summary.format);
  audit->Count("created", summary.created);
  audit->Count("updated", summary.updated);
  audit->Count("unchanged", summary.unchanged);
  audit->Count("skipped", summary.skipped);
  audit->Count("bytes", summary.bytes);
  audit->Count("dry_run", summary.dry_run ? 1 : 0);
}

grpc::Status ServeImport(
    std::string method, grpc::ServerContext* context, grpc::ServerReader<v1::ImportChunk>* reader,
    const ServiceOptions& options,
    const std::function<Result<ImportSummary>(const std::string& path, const ImportOptions& import_options)>& import,
    v1::ImportSummary* response) {
  Audit audit(std::move(method), context);
  Principal who;
  if (grpc::Status a = options.auth->Check(context, Role::kEditor, &who); !a.ok()) return audit.Finish(a);
  audit.set_who(who);
  StreamRegistry::Stream stream = options.streams->Admit(context, ClientOf(context, who));
  if (!stream.ok()) return audit.Finish(stream.refusal());
  ImportSpool spool(options.spool_dir, options.max_import_bytes);
  ImportOptions import_options;
  if (grpc::Status received = spool.Receive(context, reader, stream, who.name, &import_options); !received.ok()) {
    return audit.Finish(received);
  }
  import_options.limits = WriteLimitsOf(context);
  Result<ImportSummary> summary = import(spool.path(), import_options);
  if (!summary.ok()) return audit.Finish(ToGrpcStatus(summary.status()));
  ToProto(*summary, response);
  AuditCounts(*summary, &audit);
  return audit.Finish(grpc::Status::OK);
}

grpc::Status ServeExport(grpc::ServerContext* context, const ServiceOptions& options,
                         grpc::ServerWriter<v1::ExportChunk>* writer,
                         const std::function<Status(const ExportSink& sink)>& produce) {
  Principal who;
  if (grpc::Status a = options.auth->Check(context, Role::kReader, &who); !a.ok()) return a;
  StreamRegistry::Stream stream = options.streams->Admit(context, ClientOf(context, who));
  if (!stream.ok()) return stream.refusal();
  return SpoolThenSend(options.spool_dir, stream, writer, [&](SpoolFile& spool) { return spool.Capture(produce); });
}

}  // namespace heluo
