// Issue 11, part A, against the real server and client: backups that can be trusted, one server per data
// directory and per port, health that tells the truth, stale import spools cleaned up.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <lmdb.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/sha256.h"
#include "tests/server_process.h"
#include "tests/small_filesystem.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

namespace fs = std::filesystem;
constexpr const char* kAdmin = "admin-token-5b1e";

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::unique_ptr<grpc::ClientContext> Ctx(const char* token = nullptr) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (token) ctx->AddMetadata("authorization", std::string("Bearer ") + token);
  return ctx;
}

// A token file with one admin token, in `dir`.
std::string AdminTokens(const TempDir& dir) {
  const std::string hash = RunCommand({HELUO_SERVER_BIN, "--hash-token", kAdmin}).out.substr(0, 64);
  std::ofstream(dir.Sub("tokens")) << "admin " << hash << " root\n";
  return dir.Sub("tokens");
}

// heluo-server run to completion (it is expected to refuse to start); killed after 30 s if it does start.
CommandResult RunServer(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/timeout", "30", HELUO_SERVER_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

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

std::string HealthOf(const std::string& address, const std::string& service) {
  auto health =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status st = health->Check(Ctx().get(), request, &response);
  if (!st.ok()) return "error " + std::to_string(st.error_code());
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
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

// --- start-up refusals -------------------------------------------------------------------------------------

TEST(StartupTest, ATruncatedDataFileIsRefusedWithAMessageNotACrash) {
  TempDir dir;
  {
    ServerProcess server({"--data-dir", dir.Sub("data")});
    ASSERT_TRUE(server.started()) << server.output();
  }
  const std::string whole = Bytes(dir.Sub("data/data.mdb"));
  ASSERT_GT(whole.size(), 524288u);
  fs::resize_file(dir.Sub("data/data.mdb"), 524288);  // What the full disk of the issue left.
  CommandResult run = RunServer({"--listen", "127.0.0.1:0", "--data-dir", dir.Sub("data")});
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("data.mdb is truncated"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("restore it from a backup"), std::string::npos) << run.out;
  EXPECT_EQ(fs::file_size(dir.Sub("data/data.mdb")), 524288u);
}

TEST(StartupTest, ASecondServerOnTheSameDataDirectoryRefusesToStart) {
  TempDir dir;
  ServerProcess first({"--data-dir", dir.Sub("data")});
  ASSERT_TRUE(first.started()) << first.output();
  CommandResult second = RunServer({"--listen", "127.0.0.1:0", "--data-dir", dir.Sub("data")});
  EXPECT_EQ(second.exit_code, 1) << second.out;
  EXPECT_NE(second.out.find("is in use by another heluo-server (pid " + std::to_string(first.pid()) + ")"),
            std::string::npos)
      << second.out;
  EXPECT_EQ(HealthOf(first.address(), ""), "SERVING");
  // Once the first is gone (even by kill -9) the directory is free again.
  first.Kill();
  ServerProcess third({"--data-dir", dir.Sub("data")});
  EXPECT_TRUE(third.started()) << third.output();
}

TEST(StartupTest, ASecondServerOnTheSamePortFailsWithAddressInUse) {
  TempDir dir;
  ServerProcess first({"--data-dir", dir.Sub("one")});
  ASSERT_TRUE(first.started()) << first.output();
  CommandResult second = RunServer({"--listen", first.address(), "--data-dir", dir.Sub("two")});
  EXPECT_EQ(second.exit_code, 1) << second.out;
  EXPECT_NE(second.out.find("cannot listen on " + first.address() + ": address in use"), std::string::npos)
      << second.out;
}

// --- the store at run time ---------------------------------------------------------------------------------

// Another LMDB user (mdb_copy, a repair tool, a misconfigured second process) grows the map beyond the
// server's: LMDB then answers the server's next transaction with MDB_MAP_RESIZED.
void GrowTheMapFromAnotherProcess(const std::string& dir) {
  pid_t pid = fork();
  if (pid == 0) {
    MDB_env* env = nullptr;
    MDB_txn* txn = nullptr;
    MDB_dbi dbi;
    int rc = mdb_env_create(&env);
    rc = rc ? rc : mdb_env_set_maxdbs(env, 32);
    rc = rc ? rc : mdb_env_set_mapsize(env, size_t{256} << 20);
    rc = rc ? rc : mdb_env_open(env, dir.c_str(), MDB_NOSYNC, 0600);
    rc = rc ? rc : mdb_txn_begin(env, nullptr, 0, &txn);
    rc = rc ? rc : mdb_dbi_open(txn, "scratch", MDB_CREATE, &dbi);
    std::string big(size_t{96} << 20, 'x');  // Past the server's 64 MiB map.
    MDB_val k{7, const_cast<char*>("scratch")}, v{big.size(), big.data()};
    rc = rc ? rc : mdb_put(txn, dbi, &k, &v, 0);
    rc = rc ? rc : mdb_txn_commit(txn);
    rc = rc ? rc : mdb_txn_begin(env, nullptr, 0, &txn);
    rc = rc ? rc : mdb_drop(txn, dbi, 1);  // The pages stay allocated: the file keeps its new size.
    rc = rc ? rc : mdb_txn_commit(txn);
    mdb_env_close(env);
    _exit(rc == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(RuntimeStoreTest, AMapGrownByAnotherProcessIsAdoptedNotAnError) {
  TempDir dir;
  std::ofstream(dir.Sub("tokens")) << "editor "
                                   << RunCommand({HELUO_SERVER_BIN, "--hash-token", kAdmin}).out.substr(0, 64)
                                   << " ed\n";
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", dir.Sub("tokens")});
  ASSERT_TRUE(server.started()) << server.output();
  GrowTheMapFromAnotherProcess(dir.Sub("data"));
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  v1::StatsResponse stats;
  grpc::Status st = v1::Admin::NewStub(channel)->Stats(Ctx().get(), v1::StatsRequest(), &stats);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(stats.segments(), 434);
  EXPECT_GE(stats.map_size_bytes(), int64_t{256} << 20);
  v1::UpsertSegmentsRequest upsert;
  v1::Segment* s = upsert.add_segments();
  s->set_id("after-resize");
  s->set_collection("resize");
  s->set_source("地图变大以后仍可写入。");
  s->set_target("Writes still work after the map grew.");
  v1::UpsertSegmentsResponse upserted;
  st = v1::TranslationMemory::NewStub(channel)->UpsertSegments(Ctx(kAdmin).get(), upsert, &upserted);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(HealthOf(server.address(), ""), "SERVING");
}

TEST(HealthTest, EachServiceNameAnswersAndAFailedStoreStopsServing) {
  TempDir dir;
  ServerProcess server({"--data-dir", dir.Sub("data")});
  ASSERT_TRUE(server.started()) << server.output();
  for (const char* name : {"", "heluo.v1.Glossary", "heluo.v1.TranslationMemory", "heluo.v1.Admin"}) {
    EXPECT_EQ(HealthOf(server.address(), name), "SERVING") << name;
  }
  EXPECT_EQ(HealthOf(server.address(), "heluo.v1.NoSuchService"), "error 5");  // NOT_FOUND.
  // The data file is removed from under the running server (an operator "restoring" into a live directory).
  fs::rename(dir.Sub("data/data.mdb"), dir.Sub("moved.mdb"));
  std::string overall;
  for (int i = 0; i < 50 && (overall = HealthOf(server.address(), "")) == "SERVING"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(overall, "NOT_SERVING");
  for (const char* name : {"heluo.v1.Glossary", "heluo.v1.TranslationMemory", "heluo.v1.Admin"}) {
    EXPECT_EQ(HealthOf(server.address(), name), "NOT_SERVING") << name;
  }
  server.Stop();
  EXPECT_NE(server.output().find("health: NOT_SERVING from now on: the store failed: the data file"),
            std::string::npos)
      << server.output();
}

TEST(SpoolTest, ASpoolFileLeftByAKilledImportIsRemovedAtTheNextStart) {
  TempDir dir;
  std::ofstream(dir.Sub("tokens")) << "editor "
                                   << RunCommand({HELUO_SERVER_BIN, "--hash-token", kAdmin}).out.substr(0, 64)
                                   << " ed\n";
  const std::vector<std::string> flags = {"--data-dir", dir.Sub("data"), "--token-file", dir.Sub("tokens")};
  const std::string tmx = dir.Sub("big.tmx");
  {
    std::ofstream out(tmx);
    out << "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body>\n";
    for (int i = 0; i < 20000; ++i) {
      out << "<tu tuid=\"s-" << i << "\"><tuv xml:lang=\"zh-CN\"><seg>暂存文件清理测试第" << i
          << "句。</seg></tuv><tuv xml:lang=\"en-US\"><seg>Spool cleanup test, sentence " << i
          << ".</seg></tuv></tu>\n";
    }
    out << "</body></tmx>\n";
  }
  auto spools = [&] {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir.Sub("data"))) {
      if (e.path().extension() == ".spool") found.push_back(e.path().filename().string());
    }
    return found;
  };
  {
    ServerProcess server(flags);
    ASSERT_TRUE(server.started()) << server.output();
    std::thread import([&] {
      RunCommand({HELUO_CLIENT_BIN, "--server", server.address(), "--token", kAdmin, "import", tmx});
    });
    bool seen = false;
    for (int i = 0; i < 20000 && !(seen = !spools().empty()); ++i) usleep(500);
    server.Kill();
    import.join();
    ASSERT_TRUE(seen) << "the import never spooled";
  }
  ASSERT_FALSE(spools().empty()) << "kill -9 should have left the spool file";
  std::ofstream(dir.Sub("data/import-notes.txt")) << "not a spool\n";
  ServerProcess again(flags);
  ASSERT_TRUE(again.started()) << again.output();
  EXPECT_TRUE(spools().empty());
  EXPECT_TRUE(fs::exists(dir.Sub("data/import-notes.txt")));
  again.Stop();
  EXPECT_NE(again.output().find("removed 1 import spool file(s)"), std::string::npos) << again.output();
}

}  // namespace
}  // namespace heluo
