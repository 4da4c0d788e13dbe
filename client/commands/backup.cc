// backup: a consistent hot copy of the store, written on the server (Admin.Backup) or streamed here
// (Admin.DownloadBackup, --download).
#include <chrono>
#include <iostream>
#include <string>

#include "client/backup_download.h"
#include "client/commands/command.h"
#include "heluo/v1/admin.grpc.pb.h"

namespace heluo::cli {
namespace {

int Backup(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& path) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  heluo::v1::BackupRequest request;
  request.set_path(path);
  heluo::v1::BackupResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
  Authorize(&ctx, o);
  grpc::Status status = stub->Backup(&ctx, request, &response);
  if (!status.ok()) return ReportError(status, o);
  std::cout << "backup written on the server to " << response.path() << " (" << response.bytes()
            << " bytes); restore with heluo-server --data-dir " << response.path() << "\n";
  return 0;
}

int DownloadBackup(const std::shared_ptr<grpc::Channel>& channel, const Options& o, const std::string& dir) {
  auto stub = heluo::v1::Admin::NewStub(channel);
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
  const heluo::client::DownloadResult r = heluo::client::DownloadBackup(*stub, &ctx, dir);
  if (r.outcome == heluo::client::DownloadResult::Outcome::kServerError) return ReportError(r.status, o);
  if (r.outcome == heluo::client::DownloadResult::Outcome::kLocalError) {
    std::cerr << "heluo: backup --download failed: " << r.message << std::endl;
    return kLocalFailure;
  }
  std::cout << "backup downloaded to " << dir << "/data.mdb (" << r.bytes << " bytes, SHA-256 " << r.sha256
            << ", verified); restore with heluo-server --data-dir " << dir << "\n";
  return 0;
}

}  // namespace

void AddBackupCommand(CLI::App& app, std::vector<Command>* commands) {
  auto path = std::make_shared<std::string>();
  auto download = std::make_shared<bool>(false);
  CLI::App* backup =
      app.add_subcommand("backup", "consistent hot copy of the store, written on the server (admin token)");
  backup
      ->add_option("path", *path,
                   "directory on the server below its --backup-dir (relative to it or absolute); must not exist "
                   "or be empty")
      ->required();
  backup->add_flag("--download", *download,
                   "stream the copy here instead: path is a new or empty local directory; the copy is verified "
                   "(size, SHA-256) before it is kept");
  commands->push_back({backup, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return *download ? DownloadBackup(channel, o, *path) : Backup(channel, o, *path);
                       },
                       /*writes=*/true});  // The primary's copy: it is what a new replica is seeded from.
}

}  // namespace heluo::cli
