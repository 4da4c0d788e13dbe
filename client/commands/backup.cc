// backup: a consistent hot copy of the store, written on the server (Admin.Backup) or streamed here
// (Admin.DownloadBackup, --download).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

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
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || std::filesystem::exists(dir + "/data.mdb")) {
    std::cerr << "heluo: " << dir << " must be a new or empty directory" << std::endl;
    return kRejected;
  }
  std::ofstream out(dir + "/data.mdb", std::ios::binary);
  auto stub = heluo::v1::Admin::NewStub(channel);
  grpc::ClientContext ctx;
  Authorize(&ctx, o);
  auto reader = stub->DownloadBackup(&ctx, heluo::v1::DownloadBackupRequest());
  heluo::v1::BackupChunk chunk;
  long long bytes = 0;
  while (reader->Read(&chunk)) {
    out << chunk.data();
    bytes += static_cast<long long>(chunk.data().size());
  }
  grpc::Status status = reader->Finish();
  out.close();
  if (!status.ok()) {
    std::filesystem::remove(dir + "/data.mdb", ec);
    return ReportError(status, o);
  }
  std::cout << "backup downloaded to " << dir << "/data.mdb (" << bytes
            << " bytes); restore with heluo-server --data-dir " << dir << "\n";
  return 0;
}

}  // namespace

void AddBackupCommand(CLI::App& app, std::vector<Command>* commands) {
  auto path = std::make_shared<std::string>();
  auto download = std::make_shared<bool>(false);
  CLI::App* backup =
      app.add_subcommand("backup", "consistent hot copy of the store, written on the server (admin token)");
  backup->add_option("path", *path, "absolute directory on the server; must not exist or be empty")
      ->required();
  backup->add_flag("--download", *download, "stream the copy here instead: path is a local directory");
  commands->push_back({backup, [=](const std::shared_ptr<grpc::Channel>& channel, const Options& o) {
                         return *download ? DownloadBackup(channel, o, *path) : Backup(channel, o, *path);
                       }});
}

}  // namespace heluo::cli
