// ServeUnary's offload (server/service/unary_reactor.h), as
// TranslationMemory.Lookup uses it for lookups that may run long: a callback
// call whose body may run long runs on a WorkerPool, so that however many such
// calls are in progress — more than gRPC has callback threads — a short
// callback call and the health check still answer. Real gRPC on loopback; the
// long bodies block on a gate the test opens, so nothing in the test depends on
// how fast anything runs.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "server/service/auth.h"
#include "server/service/unary_reactor.h"
#include "server/service/worker_pool.h"

namespace heluo {
namespace {

bool TextIsLong(const v1::LookupTermRequest &request) { return request.text() == "long"; }

// LookupTerm whose body, for the text "long", waits until the gate opens.
class GatedGlossary final : public v1::Glossary::WithRawCallbackMethod_LookupTerm<v1::Glossary::Service> {
 public:
  GatedGlossary(const Authorizer *auth, WorkerPool *pool) : auth_(auth), pool_(pool) {}

  grpc::ServerUnaryReactor *LookupTerm(grpc::CallbackServerContext *context, const grpc::ByteBuffer *request,
                                       grpc::ByteBuffer *response) override {
    return ServeUnary<v1::LookupTermRequest, v1::LookupTermResponse>(
        auth_, context, request, response,
        [this](const CallContext &, const v1::LookupTermRequest *q, v1::LookupTermResponse *r) {
          if (q->text() == "long") {
            std::unique_lock<std::mutex> lock(mu_);
            ++waiting_;
            changed_.notify_all();
            changed_.wait(lock, [this] { return open_; });
          }
          r->add_entries()->set_id(q->text());
          return grpc::Status::OK;
        },
        UnaryOffload<v1::LookupTermRequest>{pool_, &TextIsLong});
  }

  // Waits until `n` long bodies are waiting at the gate (false after 30 s).
  bool AwaitWaiting(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return waiting_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  const Authorizer *auth_;
  WorkerPool *pool_;
  std::mutex mu_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

TEST(UnaryOffloadTest, LongBodiesHoldNoCallbackThread) {
  TokenStore no_tokens;
  Authorizer open_reads(&no_tokens, false);
  WorkerPool pool(2);
  GatedGlossary service(&open_reads, &pool);
  grpc::EnableDefaultHealthCheckService(true);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto glossary = v1::Glossary::NewStub(channel);

  // More long calls than gRPC has callback threads (one per core) and than the
  // pool has workers.
  const int kLong = 4 * static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::vector<grpc::Status> long_status(kLong);
  std::vector<std::thread> callers;
  for (int i = 0; i < kLong; ++i) {
    callers.emplace_back([&, i] {
      v1::LookupTermRequest request;
      request.set_text("long");
      v1::LookupTermResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      long_status[i] = glossary->LookupTerm(&context, request, &response);
    });
  }
  ASSERT_TRUE(service.AwaitWaiting(2)) << "the pool's two workers never started a long body";

  v1::LookupTermRequest request;
  request.set_text("short");
  v1::LookupTermResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::Status short_status = glossary->LookupTerm(&context, request, &response);
  grpc::health::v1::HealthCheckResponse health;
  grpc::ClientContext health_context;
  health_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::Status health_status = grpc::health::v1::Health::NewStub(channel)->Check(
      &health_context, grpc::health::v1::HealthCheckRequest(), &health);

  service.Open();
  for (std::thread &t : callers) t.join();
  EXPECT_TRUE(short_status.ok()) << short_status.error_code() << " " << short_status.error_message();
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).id(), "short");
  EXPECT_TRUE(health_status.ok()) << health_status.error_message();
  EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  for (const grpc::Status &s : long_status) EXPECT_TRUE(s.ok()) << s.error_message();
  server->Shutdown();
}

}  // namespace
}  // namespace heluo
