// The base of a test suite whose tests share one real heluo-server (tests/server_process.h): a fresh data
// directory with the bundled content, an optional token file, a loopback channel to it, and the heluo CLI
// pointed at it. Starting a server costs about a second, so a suite whose tests do not disturb each other
// starts one: derive as `class MyTest : public SharedServerTest<MyTest>` (each suite its own server) and call
// StartServer from SetUpTestSuite.
#ifndef HELUO_TESTS_SHARED_SERVER_TEST_H_
#define HELUO_TESTS_SHARED_SERVER_TEST_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {

// One line of the server's token file: a token with its role and name (docs/operations.md).
struct TestToken {
  std::string role;  // reader, editor or admin.
  std::string token;
  std::string name;
};

template <class Suite>
class SharedServerTest : public ::testing::Test {
 protected:
  // Starts the server on `--data-dir DIR/data` with `extra` flags, and with `tokens` in a token file if any.
  static void StartServer(std::vector<std::string> extra = {}, const std::vector<TestToken>& tokens = {}) {
    dir_ = new TempDir();
    std::vector<std::string> args = {"--data-dir", dir_->Sub("data")};
    if (!tokens.empty()) {
      std::ofstream file(dir_->Sub("tokens"));
      for (const TestToken& t : tokens) {
        file << t.role << " " << TokenHash(t.token) << " " << t.name << "\n";
      }
      args.insert(args.end(), {"--token-file", dir_->Sub("tokens")});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = new ServerProcess(args);
    ASSERT_TRUE(server_->started()) << server_->output();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  static void TearDownTestSuite() {
    channel_.reset();  // Close our connection first: the server drains open connections for up to 5 s.
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  // The heluo CLI with `args`, against this suite's server.
  static CommandResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {HELUO_CLIENT_BIN, "--server", server_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  // Every segment the server lists, in list order, read through ListSegments `page_size` at a time into
  // `all`. A page that fails is a fatal failure (call through ASSERT_NO_FATAL_FAILURE); so is a listing that
  // does not end within 100,000 segments.
  static void AllSegments(std::vector<v1::Segment>* all, int page_size = 500) {
    auto stub = v1::TranslationMemory::NewStub(channel_);
    all->clear();
    std::string token;
    do {
      v1::ListSegmentsRequest request;
      request.set_page_size(page_size);
      request.set_page_token(token);
      v1::ListSegmentsResponse page;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      const grpc::Status st = stub->ListSegments(&ctx, request, &page);
      ASSERT_TRUE(st.ok()) << "ListSegments after " << all->size() << " segments: " << st.error_message();
      all->insert(all->end(), page.segments().begin(), page.segments().end());
      token = page.next_page_token();
    } while (!token.empty() && all->size() < 100000);
    ASSERT_TRUE(token.empty()) << "ListSegments did not end within " << all->size() << " segments";
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace heluo

#endif  // HELUO_TESTS_SHARED_SERVER_TEST_H_
