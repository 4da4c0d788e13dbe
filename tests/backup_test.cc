// backup --download and Admin.Backup against the real server and client (issue 11): a copy is whole and
// verified or absent, written only where it may be, and a failure leaves nothing behind.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "heluo/v1/admin.grpc.pb.h"
#include "server/core/sha256.h"
#include "tests/ops_test_util.h"
#include "tests/server_process.h"
#include "tests/small_filesystem.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

namespace fs = std::filesystem;
using ops_test::AdminTokens;
using ops_test::Bytes;
using ops_test::Ctx;
using ops_test::kAdmin;

CommandResult Download(const std::string& address, const std::string& dir,
                       std::vector<std::string> prefix = {}) {
  std::vector<std::string> argv = std::move(prefix);
  for (const std::string& a :
       {std::string(HELUO_CLIENT_BIN), std::string("--server"), address, std::string("--token"),
        std::string(kAdmin), std::string("backup"), std::string("--download"), dir}) {
    argv.push_back(a);
  }
  return RunCommand(argv);
}

// --- backup --download -------------------------------------------------------------------------------------

TEST(BackupDownloadTest, ADiskThatFillsUpFailsTheDownloadAndLeavesNothing) {
  TempDir dir;
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir)});
  ASSERT_TRUE(server.started()) << server.output();
  SmallFilesystem disk(dir.Sub("disk"), 512 << 10);  // The copy is about 1.5 MB.
  std::vector<std::string> prefix;
  if (!disk.mounted()) {  // Not root: the same write error through a file size limit on the client.
    fs::create_directories(dir.Sub("disk"));
    prefix = {"/usr/bin/prlimit", "--fsize=524288"};
  }
  for (const char* name : {"new", "empty"}) {
    const std::string target = dir.Sub("disk/") + name;
    const bool existed = std::string(name) == "empty";
    if (existed) fs::create_directory(target);
    CommandResult down = Download(server.address(), target, prefix);
    EXPECT_EQ(down.exit_code, 4) << down.out;
    EXPECT_NE(down.out.find(disk.mounted() ? "No space left on device" : "File too large"), std::string::npos)
        << down.out;
    EXPECT_NE(down.out.find("nothing was kept"), std::string::npos) << down.out;
    EXPECT_EQ(down.out.find("downloaded"), std::string::npos) << down.out;
    EXPECT_EQ(fs::exists(target), existed) << name;
    if (existed) {
      EXPECT_TRUE(fs::is_empty(target)) << name;
    }
  }
  // With room, the same command into the same directory works, and the copy restores.
  if (disk.mounted()) {
    ASSERT_TRUE(disk.Resize(16 << 20));
    prefix.clear();
  }
  const std::string target = disk.mounted() ? dir.Sub("disk/empty") : dir.Sub("roomy");
  CommandResult down = Download(server.address(), target);
  ASSERT_EQ(down.exit_code, 0) << down.out;
  const std::string copy = Bytes(target + "/data.mdb");
  struct stat st;
  ASSERT_EQ(stat((target + "/data.mdb").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the copy holds the whole store: its owner's only";
  EXPECT_NE(
      down.out.find("(" + std::to_string(copy.size()) + " bytes, SHA-256 " + Sha256Hex(copy) + ", verified)"),
      std::string::npos)
      << down.out;
  EXPECT_EQ(std::distance(fs::directory_iterator(target), fs::directory_iterator()), 1)
      << "a temporary file was left";
  ServerProcess restored({"--data-dir", target});
  ASSERT_TRUE(restored.started()) << restored.output();
  EXPECT_NE(restored.startup_line().find("serving 89 terms and 434 segments"), std::string::npos);
}

// A server that sends a copy and ends the stream badly: what an older server, a broken proxy or a bug looks
// like to the client. The real server cannot be made to do this on demand, so this one stands in for it.
class BrokenBackupServer final : public v1::Admin::Service {
 public:
  enum class Mode { kNoDigest, kShortByOneChunk, kWrongChecksum, kErrorAfterData };
  BrokenBackupServer(std::string copy, Mode mode) : copy_(std::move(copy)), mode_(mode) {}

  grpc::Status DownloadBackup(grpc::ServerContext*, const v1::DownloadBackupRequest*,
                              grpc::ServerWriter<v1::BackupChunk>* writer) override {
    const size_t chunk = 64 << 10;
    size_t end = copy_.size();
    if (mode_ == Mode::kShortByOneChunk || mode_ == Mode::kErrorAfterData) end -= chunk;
    for (size_t at = 0; at < end; at += chunk) {
      v1::BackupChunk c;
      c.set_data(copy_.substr(at, std::min(chunk, end - at)));
      writer->Write(c);
    }
    if (mode_ == Mode::kErrorAfterData)
      return grpc::Status(grpc::StatusCode::INTERNAL, "the copy failed midway");
    if (mode_ == Mode::kNoDigest) return grpc::Status::OK;
    v1::BackupChunk last;
    last.mutable_digest()->set_bytes(static_cast<int64_t>(copy_.size()));
    std::string sha = Sha256Hex(copy_);
    if (mode_ == Mode::kWrongChecksum) sha[0] = sha[0] == '0' ? '1' : '0';
    last.mutable_digest()->set_sha256(sha);
    writer->Write(last);
    return grpc::Status::OK;
  }

 private:
  std::string copy_;
  Mode mode_;
};

TEST(BackupDownloadTest, ATruncatedOrUnverifiableStreamIsRefusedAndNothingIsKept) {
  TempDir dir;
  // A real copy of a real store, to send.
  std::string copy;
  {
    ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir)});
    ASSERT_TRUE(server.started()) << server.output();
    ASSERT_EQ(Download(server.address(), dir.Sub("good")).exit_code, 0);
    copy = Bytes(dir.Sub("good/data.mdb"));
  }
  ASSERT_GT(copy.size(), 256u << 10);
  using Mode = BrokenBackupServer::Mode;
  const std::pair<Mode, std::string> cases[] = {
      {Mode::kNoDigest, "without the server's size and checksum"},
      {Mode::kShortByOneChunk, "but the server sent a copy of " + std::to_string(copy.size()) + " bytes"},
      {Mode::kWrongChecksum, "differs from the server's"},
      {Mode::kErrorAfterData, "the copy failed midway"},
  };
  for (const auto& [mode, expect] : cases) {
    BrokenBackupServer service(copy, mode);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    const std::string target = dir.Sub("copy");
    CommandResult down = Download("127.0.0.1:" + std::to_string(port), target);
    EXPECT_NE(down.exit_code, 0) << expect;
    EXPECT_NE(down.out.find(expect), std::string::npos) << down.out;
    EXPECT_FALSE(fs::exists(target)) << expect << ": the directory the command created was left";
    server->Shutdown();
  }
}

TEST(BackupDownloadTest, OnlyIntoANewOrEmptyDirectoryAndNeverThroughASymlink) {
  TempDir dir;
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir)});
  ASSERT_TRUE(server.started()) << server.output();
  fs::create_directories(dir.Sub("full"));
  std::ofstream(dir.Sub("full/notes.txt")) << "mine\n";
  CommandResult down = Download(server.address(), dir.Sub("full"));
  EXPECT_EQ(down.exit_code, 4) << down.out;
  EXPECT_NE(down.out.find("is not empty (it holds notes.txt)"), std::string::npos) << down.out;
  EXPECT_EQ(Bytes(dir.Sub("full/notes.txt")), "mine\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.Sub("full")), fs::directory_iterator()), 1);

  // data.mdb a symlink to a file elsewhere: refused, and the file it points at is untouched.
  fs::create_directories(dir.Sub("linked"));
  std::ofstream(dir.Sub("victim")) << "precious\n";
  fs::create_symlink(dir.Sub("victim"), dir.Sub("linked/data.mdb"));
  down = Download(server.address(), dir.Sub("linked"));
  EXPECT_EQ(down.exit_code, 4) << down.out;
  EXPECT_NE(down.out.find("is not empty (it holds data.mdb)"), std::string::npos) << down.out;
  EXPECT_EQ(Bytes(dir.Sub("victim")), "precious\n");
  // A dangling one too.
  fs::create_directories(dir.Sub("dangling"));
  fs::create_symlink(dir.Sub("nowhere"), dir.Sub("dangling/data.mdb"));
  EXPECT_EQ(Download(server.address(), dir.Sub("dangling")).exit_code, 4);
  EXPECT_FALSE(fs::exists(dir.Sub("nowhere")));
}

// --- Admin.Backup on the server ----------------------------------------------------------------------------

TEST(ServerBackupTest, WithoutBackupDirServerSideBackupIsRefusedSayingHowToEnableIt) {
  TempDir dir;
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir)});
  ASSERT_TRUE(server.started()) << server.output();
  auto admin = v1::Admin::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  v1::BackupRequest request;
  request.set_path(dir.Sub("anywhere"));
  v1::BackupResponse response;
  grpc::Status st = admin->Backup(Ctx(kAdmin).get(), request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("start heluo-server with --backup-dir DIR"), std::string::npos)
      << st.error_message();
  EXPECT_FALSE(fs::exists(dir.Sub("anywhere")));
}

TEST(ServerBackupTest, BackupsGoOnlyBelowBackupDir) {
  TempDir dir;
  ServerProcess server(
      {"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir), "--backup-dir", dir.Sub("backups")});
  ASSERT_TRUE(server.started()) << server.output();
  auto admin = v1::Admin::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  auto backup = [&](const std::string& path, v1::BackupResponse* response) {
    v1::BackupRequest request;
    request.set_path(path);
    return admin->Backup(Ctx(kAdmin).get(), request, response);
  };
  v1::BackupResponse response;
  ASSERT_TRUE(backup("monday", &response).ok());
  EXPECT_EQ(response.path(), fs::canonical(dir.Sub("backups")).string() + "/monday");
  EXPECT_TRUE(fs::exists(dir.Sub("backups/monday/data.mdb")));
  ASSERT_TRUE(backup(dir.Sub("backups/tuesday"), &response).ok());

  fs::create_directories(dir.Sub("outside"));
  fs::create_directory_symlink(dir.Sub("outside"), dir.Sub("backups/escape"));
  const std::pair<std::string, const char*> refused[] = {
      {std::string("a\0b", 3), "NUL byte"},
      {"../outside/x", "'..'"},
      {dir.Sub("outside/x"), "is not below it"},
      {"escape/x", "through a symlink"},
  };
  for (const auto& [path, expect] : refused) {
    grpc::Status st = backup(path, &response);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << expect;
    EXPECT_NE(st.error_message().find(expect), std::string::npos) << st.error_message();
  }
  EXPECT_TRUE(fs::is_empty(dir.Sub("outside")));
}

TEST(ServerBackupTest, ABackupThatFillsTheDiskRemovesItsPartialCopySoARetryWorks) {
  TempDir dir;
  SmallFilesystem disk(dir.Sub("backups"), 512 << 10);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  ServerProcess server(
      {"--data-dir", dir.Sub("data"), "--token-file", AdminTokens(dir), "--backup-dir", dir.Sub("backups")});
  ASSERT_TRUE(server.started()) << server.output();
  auto admin = v1::Admin::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  v1::BackupRequest request;
  request.set_path("nightly");
  v1::BackupResponse response;
  grpc::Status st = admin->Backup(Ctx(kAdmin).get(), request, &response);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
  EXPECT_NE(st.error_message().find("No space left on device"), std::string::npos) << st.error_message();
  EXPECT_TRUE(fs::is_empty(dir.Sub("backups"))) << "the partial copy was left";
  ASSERT_TRUE(disk.Resize(16 << 20));
  st = admin->Backup(Ctx(kAdmin).get(), request, &response);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ServerProcess restored({"--data-dir", dir.Sub("backups/nightly")});
  ASSERT_TRUE(restored.started()) << restored.output();
  EXPECT_NE(restored.startup_line().find("serving 89 terms and 434 segments"), std::string::npos);
}

}  // namespace
}  // namespace heluo
