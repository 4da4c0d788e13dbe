// Issue 11, part A, against the real server: one server per data directory and per port, a damaged data file
// refused at start, a map grown by another process adopted, health that tells the truth, stale import spools
// cleaned up. (Backups: tests/backup_test.cc.)
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <lmdb.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/bundle_counts.h"
#include "tests/ops_test_util.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

namespace fs = std::filesystem;
using ops_test::Bytes;
using ops_test::Ctx;
using ops_test::HealthOf;
using ops_test::kAdmin;
using ops_test::RunServer;

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
// The other process is this test binary started again with HELUO_TEST_GROW_MAP_DIR set: it grows the map
// before main and exits. (It was a fork running the same code, but a fork of this threaded process can
// deadlock in the child's first malloc when another thread held the allocator's lock — seen under ASan.)
int GrowTheMap(const char* dir) {
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi;
  int rc = mdb_env_create(&env);
  rc = rc ? rc : mdb_env_set_maxdbs(env, 32);
  rc = rc ? rc : mdb_env_set_mapsize(env, size_t{256} << 20);
  rc = rc ? rc : mdb_env_open(env, dir, MDB_NOSYNC, 0600);
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
  return rc;
}
constexpr char kGrowMapDirVariable[] = "HELUO_TEST_GROW_MAP_DIR";
[[maybe_unused]] const bool kIsTheGrowingProcess = [] {
  const char* dir = std::getenv(kGrowMapDirVariable);
  if (dir == nullptr) return false;
  _exit(GrowTheMap(dir) == 0 ? 0 : 1);
}();

void GrowTheMapFromAnotherProcess(const std::string& dir) {
  std::vector<std::string> env_strings = {std::string(kGrowMapDirVariable) + "=" + dir};
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  char self[] = "/proc/self/exe";
  char* argv[] = {self, nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, self, nullptr, nullptr, argv, envp.data()), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(RuntimeStoreTest, AMapGrownByAnotherProcessIsAdoptedNotAnError) {
  TempDir dir;
  std::ofstream(dir.Sub("tokens")) << "editor "
                                   << TokenHash(kAdmin)
                                   << " ed\n";
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", dir.Sub("tokens")});
  ASSERT_TRUE(server.started()) << server.output();
  GrowTheMapFromAnotherProcess(dir.Sub("data"));
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  v1::StatsResponse stats;
  grpc::Status st = v1::Admin::NewStub(channel)->Stats(Ctx().get(), v1::StatsRequest(), &stats);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(stats.segments(), BundledSegmentCount());
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
                                   << TokenHash(kAdmin)
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
