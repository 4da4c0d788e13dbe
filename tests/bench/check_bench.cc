// Benchmarks of the terminology check (issue 13; results and the command: docs/performance.md, section
// "qa-stream"). The report's pairs (the bundled TM) checked against the bundled glossary:
//  - BM_CheckInProcess: TerminologyChecker::Check on one thread (the goal: >= 20,000 pairs/s on one core);
//  - BM_CheckUnaryGrpc: Glossary.CheckTerminology over loopback gRPC, one call at a time;
//  - BM_CheckStreamGrpc: the same pairs through Glossary.CheckTerminologyStream.
// The gRPC server is the real GlossaryService in this process, on 127.0.0.1.
//
//   build/check_bench [--benchmark_filter=...] [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <thread>

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/core/bundle.h"
#include "server/core/qa/terminology_checker.h"
#include "server/service/glossary_service.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Glossary> glossary;
  std::unique_ptr<TermRecognizer> recognizer;
  std::unique_ptr<TerminologyChecker> checker;
  std::vector<Segment> pairs;
  TokenStore tokens;
  std::unique_ptr<Authorizer> auth;
  std::unique_ptr<StreamRegistry> streams;
  std::unique_ptr<GlossaryService> service;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

Fixture& Get() {
  static Fixture* f = [] {
    auto* f = new Fixture();
    f->store = std::move(*Store::Open(f->dir.path()));
    (void)ImportBundleOnce(*f->store, EmbeddedBundle());
    f->glossary = std::make_unique<Glossary>(f->store.get());
    f->recognizer = std::make_unique<TermRecognizer>(f->store.get());
    (void)f->recognizer->Rebuild();
    f->checker = std::make_unique<TerminologyChecker>(f->store.get(), f->recognizer.get());
    (void)f->checker->Rebuild();
    (void)TranslationMemory(f->store.get()).ForEach([&](const Segment& s) {
      f->pairs.push_back(s);
      return true;
    });
    f->auth = std::make_unique<Authorizer>(&f->tokens, false);
    f->streams = std::make_unique<StreamRegistry>(StreamPolicy{});
    ServiceOptions options;
    options.store = f->store.get();
    options.auth = f->auth.get();
    options.spool_dir = f->dir.path();
    options.streams = f->streams.get();
    f->service = std::make_unique<GlossaryService>(f->glossary.get(), f->recognizer.get(), f->checker.get(), options);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(f->service.get());
    f->server = builder.BuildAndStart();
    f->channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    return f;
  }();
  return *f;
}

// Built inside each timed loop: a client pays for its requests too.
v1::CheckTerminologyRequest RequestOf(const Segment& s) {
  v1::CheckTerminologyRequest request;
  request.set_source(s.source);
  request.set_target(s.target);
  return request;
}

void Report(benchmark::State& state, size_t pairs) {
  state.counters["pairs_per_s"] = benchmark::Counter(static_cast<double>(pairs), benchmark::Counter::kIsRate);
}

void BM_CheckInProcess(benchmark::State& state) {
  Fixture& f = Get();
  size_t pairs = 0, issues = 0;
  for (auto _ : state) {
    for (const Segment& s : f.pairs) {
      Result<std::vector<TermIssue>> r = f.checker->Check(s.source, s.target, {}, TermCheckOptions());
      issues += r->size();
      ++pairs;
    }
  }
  benchmark::DoNotOptimize(issues);
  Report(state, pairs);
}
BENCHMARK(BM_CheckInProcess)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CheckUnaryGrpc(benchmark::State& state) {
  Fixture& f = Get();
  auto stub = v1::Glossary::NewStub(f.channel);
  size_t pairs = 0;
  for (auto _ : state) {
    for (const Segment& s : f.pairs) {
      v1::CheckTerminologyResponse response;
      grpc::ClientContext ctx;
      if (!stub->CheckTerminology(&ctx, RequestOf(s), &response).ok()) state.SkipWithError("call failed");
      ++pairs;
    }
  }
  Report(state, pairs);
}
BENCHMARK(BM_CheckUnaryGrpc)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CheckStreamGrpc(benchmark::State& state) {
  Fixture& f = Get();
  auto stub = v1::Glossary::NewStub(f.channel);
  size_t pairs = 0;
  for (auto _ : state) {
    grpc::ClientContext ctx;
    auto stream = stub->CheckTerminologyStream(&ctx);
    std::thread writer([&] {
      for (const Segment& s : f.pairs) {
        if (!stream->Write(RequestOf(s))) break;
      }
      stream->WritesDone();
    });
    v1::CheckTerminologyResponse response;
    while (stream->Read(&response)) ++pairs;
    writer.join();
    if (!stream->Finish().ok()) state.SkipWithError("stream failed");
  }
  Report(state, pairs);
}
BENCHMARK(BM_CheckStreamGrpc)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace heluo

BENCHMARK_MAIN();
