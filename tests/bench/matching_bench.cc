// Benchmarks of the matching engine (results and the command that produced them: docs/performance.md).
//
//   build/matching_bench [--segments=100000,1000000] [--benchmark_filter=...]
//
// Corpora are synthetic (SyntheticCorpus) and cached in /tmp/heluo-bench-<N>-schema<V> (V the store schema
// version, so builds of different schemas never share a cache) so a second run skips the import. Lookup latencies are collected per query and reported as p50/p99 counters (microseconds); the
// brute-force scan over the same store and queries is measured in the same run as the ratio's denominator.
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/bundle.h"
#include "server/core/term_recognizer.h"
#include "server/core/translation_memory.h"
#include "server/service/translation_memory_service.h"
#include "tests/bench/synthetic_corpus.h"

namespace heluo {
namespace {

struct Fixture {
  std::unique_ptr<Store> store;
  std::unique_ptr<TranslationMemory> tm;
  std::vector<std::string> sources;  // A sample of stored sources, to build queries near them.
};

Fixture& Corpus(size_t n) {
  static std::map<size_t, Fixture> fixtures;
  Fixture& f = fixtures[n];
  if (f.store) return f;
  const std::string dir = "/tmp/heluo-bench-" + std::to_string(n) + "-schema" + std::to_string(kSchemaVersion);
  StoreOptions options;
  options.initial_map_size = size_t{1} << 30;
  f.store = std::move(*Store::Open(dir, options));
  f.tm = std::make_unique<TranslationMemory>(f.store.get());
  SyntheticCorpus corpus(20210428);
  bool built = false;
  (void)f.store->Read([&](const LmdbTxn& txn) -> Status {
    built = txn.Get(f.store->dbs().meta, "bench_built")->has_value();
    return Status::Ok();
  });
  const auto start = std::chrono::steady_clock::now();
  const size_t batch = 20000;
  for (size_t i = 0; i < n; i += batch) {
    std::vector<Segment> segments;
    for (size_t j = i; j < std::min(n, i + batch); ++j) {
      Segment s{"b" + std::to_string(j), "bench", corpus.Source(20 + corpus.Uniform(60)), corpus.Target(), "", static_cast<int32_t>(j + 1), "", "", "", "", "", ""};
      if (j % 97 == 0) f.sources.push_back(s.source);
      segments.push_back(std::move(s));
    }
    if (built) continue;
    Status st = f.store->Write([&](LmdbTxn& txn) -> Status {
      for (const Segment& s : segments) HELUO_RETURN_IF_ERROR(f.tm->Put(txn, s));
      return Status::Ok();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "building the corpus failed: %s\n", st.ToString().c_str());
      std::exit(1);
    }
  }
  if (!built) {
    (void)f.store->Write([&](LmdbTxn& txn) { return txn.Put(f.store->dbs().meta, "bench_built", "1"); });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "built %zu segments in %.1f s (%.0f segments/s), %zu MiB on disk\n", n, secs, n / secs,
                 f.store->Storage().used_bytes >> 20);
  }
  return f;
}

// Queries of about 40 characters near stored sources (so there are matches to find).
std::vector<std::string> Queries(Fixture& f, size_t count) {
  SyntheticCorpus corpus(7);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    std::u32string s;
    (void)DecodeUtf8(f.sources[corpus.Uniform(f.sources.size())], &s);
    if (s.size() > 40) s.resize(40);
    out.push_back(corpus.Near(EncodeUtf8(s)));
  }
  return out;
}

void ReportPercentiles(benchmark::State& state, std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<size_t>(p * micros.size()))]; };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
}

void BM_FuzzyLookup(benchmark::State& state, size_t n, bool brute) {
  Fixture& f = Corpus(n);
  const std::vector<std::string> queries = Queries(f, 200);
  std::vector<double> micros;
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    TmQuery q;
    q.text = queries[i++ % queries.size()];
    q.min_score = 70;
    q.max_results = 10;
    const auto t0 = std::chrono::steady_clock::now();
    Result<std::vector<TmMatch>> r = brute ? f.tm->LookupBruteForce(q) : f.tm->Lookup(q);
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(us / 1e6);
    micros.push_back(us);
    matches += r.ok() ? r->size() : 0;
  }
  ReportPercentiles(state, micros);
  state.counters["matches_per_query"] = static_cast<double>(matches) / static_cast<double>(micros.size());
}

// Indexed and brute-force results agree on the benchmark's own queries (the recall the timing is for).
void BM_RecallCheck(benchmark::State& state, size_t n) {
  Fixture& f = Corpus(n);
  const std::vector<std::string> queries = Queries(f, 20);
  size_t equal = 0, total = 0;
  for (auto _ : state) {
    for (const std::string& text : queries) {
      TmQuery q;
      q.text = text;
      q.min_score = 70;
      q.max_results = kMaxResults;
      std::set<std::pair<std::string, int>> a, b;
      const Result<std::vector<TmMatch>> indexed = f.tm->Lookup(q), brute = f.tm->LookupBruteForce(q);
      for (const TmMatch& m : *indexed) a.emplace(m.segment.id, m.score);
      for (const TmMatch& m : *brute) b.emplace(m.segment.id, m.score);
      equal += a == b;
      ++total;
    }
  }
  state.counters["queries_equal"] = static_cast<double>(equal);
  state.counters["queries"] = static_cast<double>(total);
}

void BM_Concordance(benchmark::State& state, size_t n) {
  Fixture& f = Corpus(n);
  const std::vector<std::string> phrases = {"产业集聚区", "高质量发展", "生态保护", "偃师", "城乡"};
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<std::vector<ConcordanceHit>> r = f.tm->Concordance(phrases[i++ % phrases.size()], ConcordanceSide::kSource, 20, {});
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(us / 1e6);
    micros.push_back(us);
    benchmark::DoNotOptimize(r);
  }
  ReportPercentiles(state, micros);
}

void BM_GrpcLookup(benchmark::State& state, size_t n) {
  Fixture& f = Corpus(n);
  // One real server per corpus size, on a loopback port.
  static std::map<size_t, std::pair<std::unique_ptr<TranslationMemoryService>, std::unique_ptr<grpc::Server>>> servers;
  static std::map<size_t, int> ports;
  auto& [service, server] = servers[n];
  int& port = ports[n];
  if (!server) {
    static TokenStore no_tokens;
    static Authorizer open_reads(&no_tokens, false);
    static StreamRegistry streams(StreamPolicy{});
    ServiceOptions options;
    options.streams = &streams;
    options.store = f.store.get();
    options.auth = &open_reads;
    service = std::make_unique<TranslationMemoryService>(f.tm.get(), options);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
  }
  auto stub = v1::TranslationMemory::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  const std::vector<std::string> queries = Queries(f, 200);
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    v1::LookupRequest request;
    request.set_text(queries[i++ % queries.size()]);
    request.set_max_results(10);
    v1::LookupResponse response;
    grpc::ClientContext ctx;
    const auto t0 = std::chrono::steady_clock::now();
    grpc::Status st = stub->Lookup(&ctx, request, &response);
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    state.SetIterationTime(us / 1e6);
    micros.push_back(us);
    if (!st.ok()) state.SkipWithError(st.error_message().c_str());
  }
  ReportPercentiles(state, micros);
}

void BM_Normalize(benchmark::State& state) {
  const std::string sentence = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x")->at(20).source;
  NormalizedText out;
  for (auto _ : state) benchmark::DoNotOptimize(Normalizer::Get().Normalize(sentence, &out));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sentence.size()));
}

void BM_Recognize(benchmark::State& state) {
  static Fixture f;
  static std::unique_ptr<TermRecognizer> recognizer;
  static std::string report;
  if (!recognizer) {
    const std::string dir = "/tmp/heluo-bench-glossary";
    std::filesystem::remove_all(dir);
    f.store = std::move(*Store::Open(dir));
    (void)ImportBundleOnce(*f.store, EmbeddedBundle());
    recognizer = std::make_unique<TermRecognizer>(f.store.get());
    (void)recognizer->Rebuild();
    const Result<std::vector<Segment>> segments = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x");
    for (const Segment& s : *segments) report += s.source;
  }
  NormalizedText text;
  (void)Normalizer::Get().Normalize(report, &text);
  size_t hits = 0;
  for (auto _ : state) hits += recognizer->Recognize(text, Language::kAny, false).size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * report.size()));
  state.counters["hits_per_pass"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
}

}  // namespace
}  // namespace heluo

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {100000, 1000000};
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--segments=", 11) == 0) {
      sizes.clear();
      for (char* p = argv[i] + 11; *p;) {
        sizes.push_back(std::strtoull(p, &p, 10));
        if (*p == ',') ++p;
      }
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RegisterBenchmark("Normalize/sentence", heluo::BM_Normalize);
  benchmark::RegisterBenchmark("Recognize/whole_report", heluo::BM_Recognize);
  for (size_t n : sizes) {
    const std::string suffix = "/" + std::to_string(n);
    benchmark::RegisterBenchmark(("FuzzyLookup/indexed" + suffix).c_str(), heluo::BM_FuzzyLookup, n, false)
        ->UseManualTime()->Iterations(2000)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("FuzzyLookup/brute_force" + suffix).c_str(), heluo::BM_FuzzyLookup, n, true)
        ->UseManualTime()->Iterations(n >= 1000000 ? 5 : 20)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("FuzzyLookup/recall_vs_brute_force" + suffix).c_str(), heluo::BM_RecallCheck, n)
        ->Iterations(1)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Concordance/source" + suffix).c_str(), heluo::BM_Concordance, n)
        ->UseManualTime()->Iterations(500)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("GrpcLookup/loopback" + suffix).c_str(), heluo::BM_GrpcLookup, n)
        ->UseManualTime()->Iterations(2000)->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
