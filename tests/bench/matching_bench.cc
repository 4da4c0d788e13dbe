// Benchmarks of the matching engine (results and the command that produced them: docs/performance.md).
//
//   build/matching_bench [--segments=100000,1000000] [--sweep_iterations=100] [--benchmark_filter=...]
//   build/matching_bench --segments=... --dump=DIR      (corpora and queries as TSV, no store built)
//   build/matching_bench --segments=... --answers=DIR   (brute-force answers at min_score 70 as TSV)
//   --split_ns=NS: count a lookup's postings on two cores above NS of predicted work (inf: never)
//   --recognize_server=ADDR [--recognize_server_pid=PID]: GrpcRecognize against an external heluo-server
//   on the bundled data (tests/load/recognize_bench.sh) instead of a service in this process
//
// Two corpora (synthetic_corpus.h): "synthetic" (segments of 20–80 characters cut from recombined clauses)
// and "near_dup" (whole clauses recombined, issue 19's near-duplicate-heavy shape).
//
// Corpora are synthetic (SyntheticCorpus) and cached in /tmp/heluo-bench-[neardup-]<N>-schema<V> (V the store schema
// version, so builds of different schemas never share a cache) so a second run skips the import. Lookup latencies are collected per query and reported as p50/p99 counters (microseconds); the
// brute-force scan over the same store and queries is measured in the same run as the ratio's denominator.
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/bundle.h"
#include "server/core/interchange.h"
#include "server/core/term_recognizer.h"
#include "server/core/tm/bulk_import.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/fuzzy_index.h"
#include "server/core/tm/source_array.h"
#include "server/core/translation_memory.h"
#include "server/core/qa/terminology_checker.h"
#include "server/service/glossary_service.h"
#include "server/service/translation_memory_service.h"
#include "tests/bench/synthetic_corpus.h"

namespace heluo {
namespace {

enum class CorpusKind { kSynthetic, kNearDuplicate };

const char* Name(CorpusKind kind) { return kind == CorpusKind::kSynthetic ? "synthetic" : "near_dup"; }

struct Fixture {
  std::unique_ptr<Store> store;
  std::unique_ptr<TranslationMemory> tm;
  std::vector<std::string> sources;  // A sample of stored sources, to build queries near them.
  std::shared_ptr<const SourceArray> array;  // The latest snapshot's, for PlanProfile.
  CorpusKind kind = CorpusKind::kSynthetic;
};

// Segment j of a corpus, generated in order from fixed seeds: the same segments whether a store is built from
// them (Corpus) or they are written out for another system (--dump).
class CorpusGenerator {
 public:
  explicit CorpusGenerator(CorpusKind kind) : kind_(kind), corpus_(20210428), near_dup_(20210428) {}

  Segment Next(size_t j) {
    Segment s{"b" + std::to_string(j), "bench", "", "", "", static_cast<int32_t>(j + 1), "", "", "", "", "", ""};
    if (kind_ == CorpusKind::kSynthetic) {
      s.source = corpus_.Source(20 + corpus_.Uniform(60));
      s.target = corpus_.Target();
    } else {
      s.source = near_dup_.Source();
      s.target = near_dup_.Target();
    }
    return s;
  }

  // The stored sources that queries are built near.
  static bool Sampled(size_t j) { return j % 97 == 0; }

 private:
  CorpusKind kind_;
  SyntheticCorpus corpus_;
  NearDuplicateCorpus near_dup_;
};

Fixture& Corpus(size_t n, CorpusKind kind) {
  static std::map<std::pair<size_t, CorpusKind>, Fixture> fixtures;
  Fixture& f = fixtures[{n, kind}];
  if (f.store) return f;
  f.kind = kind;
  const std::string dir = std::string("/tmp/heluo-bench-") + (kind == CorpusKind::kSynthetic ? "" : "neardup-") +
                          std::to_string(n) + "-schema" + std::to_string(kSchemaVersion);
  StoreOptions options;
  options.initial_map_size = size_t{1} << 30;
  // A cache of an older schema copied to this path (the pairs are the same) is upgraded as the server would.
  options.upgrade = &TranslationMemory::UpgradeSchema;
  f.store = std::move(*Store::Open(dir, options));
  f.tm = std::make_unique<TranslationMemory>(f.store.get());
  CorpusGenerator generator(kind);
  bool built = false;
  (void)f.store->Read([&](const LmdbTxn& txn) -> Status {
    built = txn.Get(f.store->dbs().meta, "bench_built")->has_value();
    return Status::Ok();
  });
  // The corpus goes in through the bulk import (what `heluo import` runs: worker threads, staged and
  // published in one commit), ~15× faster than a Put per pair; the generator runs either way, so the
  // sample of sources the queries are built from is the same whether the store was cached or not.
  const auto start = std::chrono::steady_clock::now();
  ImportSummary summary;
  ImportOptions import_options;
  import_options.collection = "bench";
  import_options.author = "bench";
  import_options.now = "2026-01-01T00:00:00Z";
  std::unique_ptr<TmBulkImport> import;
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "building the corpus failed: %s\n", st.ToString().c_str());
    std::exit(1);
  };
  if (!built) {
    import = std::make_unique<TmBulkImport>(f.store.get(), import_options, &summary);
    if (Status st = import->Begin(); !st.ok()) fail(st);
  }
  for (size_t j = 0; j < n; ++j) {
    Segment s = generator.Next(j);
    if (CorpusGenerator::Sampled(j)) f.sources.push_back(s.source);
    if (import) {
      if (Status st = import->Add(std::move(s), static_cast<long>(j + 1), 0); !st.ok()) fail(import->Abort(st));
    }
  }
  if (import) {
    if (Status st = import->Finish(""); !st.ok()) fail(st);
    if (Status st = f.store->Write([&](LmdbTxn& txn) { return txn.Put(f.store->dbs().meta, "bench_built", "1"); });
        !st.ok()) {
      fail(st);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "imported %zu %s segments in %.1f s (%.0f segments/s), %zu MiB on disk\n", n, Name(kind),
                 secs, n / secs, f.store->Storage().used_bytes >> 20);
  }
  // The in-memory array is built before any timing, as the server builds it at start-up.
  const auto warm = std::chrono::steady_clock::now();
  (void)f.tm->WarmUp();
  const double warm_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - warm).count();
  size_t bytes = 0;
  (void)f.store->Read([&](const LmdbTxn& txn) -> Status {
    Result<std::shared_ptr<const SourceArray>> a = SourceArray::Build(txn, f.store->dbs());
    if (a.ok()) {
      bytes = (*a)->MemoryBytes();
      f.array = *a;
    }
    return Status::Ok();
  });
  std::fprintf(stderr, "source array of %zu %s segments in %.1f s, %zu MiB\n", n, Name(kind), warm_secs, bytes >> 20);
  return f;
}

// Synthetic: queries of about 40 characters near stored sources (so there are matches to find).
// Near-duplicate: 500 queries, exact, edited and fresh (NearDuplicateCorpus::Query).
std::vector<std::string> Queries(CorpusKind kind, const std::vector<std::string>& sources) {
  std::vector<std::string> out;
  if (kind == CorpusKind::kNearDuplicate) {
    NearDuplicateCorpus corpus(11);
    for (size_t i = 0; i < 500; ++i) out.push_back(corpus.Query(sources));
    return out;
  }
  SyntheticCorpus corpus(7);
  for (size_t i = 0; i < 200; ++i) {
    std::u32string s;
    (void)DecodeUtf8(sources[corpus.Uniform(sources.size())], &s);
    if (s.size() > 40) s.resize(40);
    out.push_back(corpus.Near(EncodeUtf8(s)));
  }
  return out;
}

// The settings for the near-duplicate corpus; the synthetic one keeps its historical 10 results.
int MaxResults(const Fixture& f) { return f.kind == CorpusKind::kNearDuplicate ? 50 : 10; }

void ReportPercentiles(benchmark::State& state, std::vector<double> micros, std::vector<double> cpu_micros = {}) {
  auto pct = [](std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  state.counters["p50_us"] = pct(micros, 0.50);
  state.counters["p99_us"] = pct(micros, 0.99);
  // CPU time of the whole process per lookup (all its threads): on a shared machine wall time also holds
  // the time other engineers' processes ran, CPU time does not.
  if (!cpu_micros.empty()) {
    state.counters["cpu_p50_us"] = pct(cpu_micros, 0.50);
    state.counters["cpu_p99_us"] = pct(cpu_micros, 0.99);
  }
}

double ProcessCpuMicros() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

enum class Engine { kIndexed, kBruteForceStore, kBruteForceMemory };

void BM_FuzzyLookup(benchmark::State& state, size_t n, CorpusKind kind, Engine engine, int min_score) {
  Fixture& f = Corpus(n, kind);
  const std::vector<std::string> queries = Queries(f.kind, f.sources);
  std::vector<double> micros, cpu_micros;
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    TmQuery q;
    q.text = queries[i++ % queries.size()];
    q.min_score = min_score;
    q.max_results = MaxResults(f);
    const double c0 = ProcessCpuMicros();
    const auto t0 = std::chrono::steady_clock::now();
    Result<std::vector<TmMatch>> r = engine == Engine::kIndexed           ? f.tm->Lookup(q)
                                     : engine == Engine::kBruteForceStore ? f.tm->LookupBruteForce(q)
                                                                          : f.tm->LookupBruteForceInMemory(q);
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    cpu_micros.push_back(ProcessCpuMicros() - c0);
    state.SetIterationTime(us / 1e6);
    micros.push_back(us);
    matches += r.ok() ? r->size() : 0;
  }
  ReportPercentiles(state, micros, cpu_micros);
  state.counters["matches_per_query"] = static_cast<double>(matches) / static_cast<double>(micros.size());
}

// Indexed and brute-force results agree on the benchmark's own queries (the recall the timing is for).
void BM_RecallCheck(benchmark::State& state, size_t n, CorpusKind kind, int min_score) {
  Fixture& f = Corpus(n, kind);
  std::vector<std::string> queries = Queries(f.kind, f.sources);
  queries.resize(20);
  size_t equal = 0, total = 0;
  for (auto _ : state) {
    for (const std::string& text : queries) {
      TmQuery q;
      q.text = text;
      q.min_score = min_score;
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

// The cost model against each plan forced, query by query (FindFuzzyCandidates alone, no ranking): CPU
// time of the whole process (all threads) and wall time per plan, each the least of three runs (the machine
// is shared), what the model chose, and the oracle (the cheaper of postings and scan). Writes one line per
// query to /tmp/heluo-plan-profile-<corpus>-<n>-min<m>.tsv for inspection.
void BM_PlanProfile(benchmark::State& state, size_t n, CorpusKind kind, int min_score) {
  Fixture& f = Corpus(n, kind);
  const std::vector<std::string> queries = Queries(f.kind, f.sources);
  constexpr int kPlans = 4;
  const FuzzyPlan plans[kPlans] = {FuzzyPlan::kAuto, FuzzyPlan::kPostings, FuzzyPlan::kScan, FuzzyPlan::kPostingsInBands};
  const char* names[kPlans] = {"auto", "postings", "scan", "bands"};
  std::vector<double> cpu[kPlans], wall[kPlans], oracle;
  size_t mispicks = 0;
  const std::string path = std::string("/tmp/heluo-plan-profile-") + Name(kind) + "-" + std::to_string(n) + "-min" +
                           std::to_string(min_score) + ".tsv";
  FILE* out = std::fopen(path.c_str(), "w");
  if (out) {
    std::fprintf(out, "query\tls\tplan\twindow\tscan_est_us\tindex_est_us\tpostings\tcounted\tverified\tfound"
                      "\tauto_us\tpostings_us\tscan_us\tbands_us\tauto_wall_us\tbands_wall_us\n");
  }
  for (auto _ : state) {
    for (size_t i = 0; i < queries.size(); ++i) {
      Folded q;
      if (!Fold(queries[i], &q).ok() || q.ids.empty()) continue;
      double us[kPlans], wall_us[kPlans];
      FuzzyStats stats[kPlans];
      size_t found = 0;
      for (int p = 0; p < kPlans; ++p) {
        us[p] = wall_us[p] = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
          (void)f.store->Read([&](const LmdbTxn& txn) -> Status {
            FuzzyQuery fq;
            fq.ids = &q.ids;
            fq.min_score = min_score;
            fq.array = f.array.get();
            fq.plan = plans[p];
            stats[p] = FuzzyStats{};
            fq.stats = &stats[p];
            const double c0 = ProcessCpuMicros();
            const auto t0 = std::chrono::steady_clock::now();
            Result<std::vector<FuzzyCandidate>> r = FindFuzzyCandidates(txn, f.store->dbs(), fq);
            wall_us[p] = std::min(wall_us[p], std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
            us[p] = std::min(us[p], ProcessCpuMicros() - c0);
            if (p == 0 && r.ok()) found = r->size();
            return Status::Ok();
          });
        }
        cpu[p].push_back(us[p]);
        wall[p].push_back(wall_us[p]);
      }
      oracle.push_back(std::min(us[1], us[2]));
      mispicks += us[0] > 1.5 * std::min(us[1], us[2]) && us[0] > 1000;
      const FuzzyStats& a = stats[0];
      if (out) {
        std::fprintf(out, "%zu\t%zu\t%d\t%zu\t%.0f\t%.0f\t%zu\t%zu\t%zu\t%zu\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\n", i,
                     q.ids.size(), static_cast<int>(a.plan), a.window, a.scan_cost_ns / 1e3, a.index_cost_ns / 1e3,
                     stats[1].postings_read, stats[1].counted, stats[1].verified, found, us[0], us[1], us[2], us[3],
                     wall_us[0], wall_us[3]);
      }
    }
  }
  if (out) std::fclose(out);
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  for (int p = 0; p < kPlans; ++p) {
    state.counters[std::string(names[p]) + "_cpu_p50_us"] = pct(cpu[p], 0.5);
    state.counters[std::string(names[p]) + "_cpu_p99_us"] = pct(cpu[p], 0.99);
    state.counters[std::string(names[p]) + "_wall_p50_us"] = pct(wall[p], 0.5);
    state.counters[std::string(names[p]) + "_wall_p99_us"] = pct(wall[p], 0.99);
  }
  state.counters["oracle_cpu_p50_us"] = pct(oracle, 0.5);
  state.counters["oracle_cpu_p99_us"] = pct(oracle, 0.99);
  state.counters["mispicks"] = static_cast<double>(mispicks);
}

// Where a lookup's wall time goes, query by query: the whole Lookup against FindFuzzyCandidates alone
// (kAuto, in its own read transaction), each the least of three runs; the rest is the query's folding and
// the per-match work (record read and parse, folding, placeables, alignment, ranking). One line per query
// in /tmp/heluo-lookup-breakdown-<corpus>-<n>.tsv.
void BM_LookupBreakdown(benchmark::State& state, size_t n, CorpusKind kind, int min_score) {
  Fixture& f = Corpus(n, kind);
  const std::vector<std::string> queries = Queries(f.kind, f.sources);
  std::vector<double> total, candidates, rest;
  const std::string path = std::string("/tmp/heluo-lookup-breakdown-") + Name(kind) + "-" + std::to_string(n) + ".tsv";
  FILE* out = std::fopen(path.c_str(), "w");
  if (out) std::fprintf(out, "query\tls\tmatches\tlookup_us\tcandidates_us\n");
  size_t index = 0;
  for (auto _ : state) {
    for (const std::string& text : queries) {
      ++index;
      Folded q;
      if (!Fold(text, &q).ok() || q.ids.empty()) continue;
      double lookup_us = 1e300, find_us = 1e300;
      size_t matches = 0;
      for (int rep = 0; rep < 3; ++rep) {
        TmQuery tq;
        tq.text = text;
        tq.min_score = min_score;
        tq.max_results = MaxResults(f);
        auto t0 = std::chrono::steady_clock::now();
        const Result<std::vector<TmMatch>> r = f.tm->Lookup(tq);
        matches = r.ok() ? r->size() : 0;
        lookup_us = std::min(lookup_us, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        t0 = std::chrono::steady_clock::now();
        (void)f.store->Read([&](const LmdbTxn& txn) -> Status {
          FuzzyQuery fq;
          fq.ids = &q.ids;
          fq.min_score = min_score;
          fq.array = f.array.get();
          benchmark::DoNotOptimize(FindFuzzyCandidates(txn, f.store->dbs(), fq));
          return Status::Ok();
        });
        find_us = std::min(find_us, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      }
      total.push_back(lookup_us);
      candidates.push_back(find_us);
      rest.push_back(std::max(0.0, lookup_us - find_us));
      if (out) std::fprintf(out, "%zu\t%zu\t%zu\t%.0f\t%.0f\n", index - 1, q.ids.size(), matches, lookup_us, find_us);
    }
  }
  if (out) std::fclose(out);
  auto pct = [](std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  state.counters["lookup_p50_us"] = pct(total, 0.5);
  state.counters["lookup_p99_us"] = pct(total, 0.99);
  state.counters["candidates_p50_us"] = pct(candidates, 0.5);
  state.counters["candidates_p99_us"] = pct(candidates, 0.99);
  state.counters["rest_p50_us"] = pct(rest, 0.5);
  state.counters["rest_p99_us"] = pct(rest, 0.99);
}

void BM_Concordance(benchmark::State& state, size_t n) {
  Fixture& f = Corpus(n, CorpusKind::kSynthetic);
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

// What the benchmarks' in-process services run with: open reads, default stream limits.
ServiceOptions OpenReadsOptions(Store* store) {
  static TokenStore no_tokens;
  static Authorizer open_reads(&no_tokens, false);
  static StreamRegistry streams(StreamPolicy{});
  ServiceOptions options;
  options.streams = &streams;
  options.store = store;
  options.auth = &open_reads;
  return options;
}

// The loopback port of the one real TranslationMemory server per corpus (GrpcLookup and GrpcFloor share it).
int LookupServerPort(size_t n, CorpusKind kind) {
  Fixture& f = Corpus(n, kind);
  static std::map<std::pair<size_t, CorpusKind>, std::pair<std::unique_ptr<TranslationMemoryService>, std::unique_ptr<grpc::Server>>> servers;
  static std::map<std::pair<size_t, CorpusKind>, int> ports;
  auto& [service, server] = servers[{n, kind}];
  int& port = ports[{n, kind}];
  if (!server) {
    const ServiceOptions options = OpenReadsOptions(f.store.get());
    service = std::make_unique<TranslationMemoryService>(f.tm.get(), options);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
  }
  return port;
}

// Times one blocking call: its wall time is the iteration's (manual) time and goes into `micros`, the
// process's CPU time over it (client and server threads) into `cpu_micros`.
template <typename Call>
grpc::Status TimeCall(benchmark::State& state, std::vector<double>* micros, std::vector<double>* cpu_micros, Call&& call) {
  const double c0 = ProcessCpuMicros();
  const auto t0 = std::chrono::steady_clock::now();
  grpc::Status st = call();
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  cpu_micros->push_back(ProcessCpuMicros() - c0);
  state.SetIterationTime(us / 1e6);
  micros->push_back(us);
  return st;
}

void BM_GrpcLookup(benchmark::State& state, size_t n, CorpusKind kind) {
  Fixture& f = Corpus(n, kind);
  const int port = LookupServerPort(n, kind);
  auto stub = v1::TranslationMemory::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  const std::vector<std::string> queries = Queries(f.kind, f.sources);
  std::vector<double> micros, cpu_micros;
  size_t i = 0;
  double response_bytes = 0, matches = 0;
  for (auto _ : state) {
    v1::LookupRequest request;
    request.set_text(queries[i++ % queries.size()]);
    request.set_max_results(MaxResults(f));
    request.set_min_score(70);
    v1::LookupResponse response;
    grpc::ClientContext ctx;
    const grpc::Status st = TimeCall(state, &micros, &cpu_micros, [&] { return stub->Lookup(&ctx, request, &response); });
    if (!st.ok()) state.SkipWithError(st.error_message().c_str());
    response_bytes += static_cast<double>(response.ByteSizeLong());
    matches += response.matches_size();
  }
  ReportPercentiles(state, micros, cpu_micros);
  // What the call carries back (the size a client parses), to tell a response's cost from the round trip's.
  state.counters["response_bytes"] = response_bytes / static_cast<double>(micros.size());
  state.counters["matches_per_query"] = matches / static_cast<double>(micros.size());
}

// The round trip's floor on the same server and channel as GrpcLookup: GetSegment of an id that is not
// stored (authorization, one LMDB read, NOT_FOUND, no payload): gRPC's own per-call cost. With `idle_us`
// the client sleeps that long before each call (untimed), as it waits blocked through a lookup: the same
// call then also pays for threads (and vCPUs) woken after being idle, which back-to-back calls never meet.
void BM_GrpcFloor(benchmark::State& state, size_t n, CorpusKind kind, int idle_us) {
  const int port = LookupServerPort(n, kind);
  auto stub = v1::TranslationMemory::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  std::vector<double> micros, cpu_micros;
  for (auto _ : state) {
    if (idle_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(idle_us));
    v1::GetSegmentRequest request;
    request.set_id("not-stored");
    v1::GetSegmentResponse response;
    grpc::ClientContext ctx;
    const grpc::Status st = TimeCall(state, &micros, &cpu_micros, [&] { return stub->GetSegment(&ctx, request, &response); });
    if (st.error_code() != grpc::StatusCode::NOT_FOUND) state.SkipWithError(("expected NOT_FOUND: " + st.error_message()).c_str());
  }
  ReportPercentiles(state, micros, cpu_micros);
}

void BM_Normalize(benchmark::State& state) {
  const std::string sentence = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x")->at(20).source;
  NormalizedText out;
  for (auto _ : state) benchmark::DoNotOptimize(Normalizer::Get().Normalize(sentence, &out));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sentence.size()));
}

// The bundled glossary and the whole report (its TM sources in order), shared by the recognition benchmarks.
struct GlossaryFixture {
  std::unique_ptr<Store> store;
  std::unique_ptr<Glossary> glossary;
  std::unique_ptr<TermRecognizer> recognizer;
  std::string report;
};

GlossaryFixture& ReportAndGlossary() {
  static GlossaryFixture f;
  if (!f.recognizer) {
    const std::string dir = "/tmp/heluo-bench-glossary";
    std::filesystem::remove_all(dir);
    f.store = std::move(*Store::Open(dir));
    (void)ImportBundleOnce(*f.store, EmbeddedBundle());
    f.glossary = std::make_unique<Glossary>(f.store.get());
    f.recognizer = std::make_unique<TermRecognizer>(f.store.get());
    (void)f.recognizer->Rebuild();
    const Result<std::vector<Segment>> segments = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x");
    for (const Segment& s : *segments) f.report += s.source;
  }
  return f;
}

void BM_Recognize(benchmark::State& state) {
  GlossaryFixture& f = ReportAndGlossary();
  NormalizedText text;
  (void)Normalizer::Get().Normalize(f.report, &text);
  size_t hits = 0;
  for (auto _ : state) hits += f.recognizer->Recognize(text, Language::kAny, false).size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.report.size()));
  state.counters["hits_per_pass"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
}

// RecognizeTerms through gRPC on loopback, the whole report per pass, as real clients drive it:
//   Unit::kDocument  a batch pre-check: the report in calls of up to kMaxRecognizeLength code points cut at
//                    segment ends (4 calls);
//   Unit::kSegment   a CAT plugin: one call per segment of the report (hundreds of calls, a few dozen
//                    characters each);
// with `in_flight` calls outstanding at a time (1: each call waits for the previous answer, as a CAT tool
// does; more: a client overlapping its calls, both cores busy), and the hits in the message form (full or
// compact) or packed. MB/s of text recognized, wall time. The server is a real GlossaryService in this
// process (client and server share the machine's two cores), or with --recognize_server=ADDR an external
// heluo-server on the bundled data; --recognize_server_pid=PID then reports its CPU per MB from /proc.
// cpu_us_per_mb is this process's CPU (client, plus the in-process server when there is one).
enum class HitForm { kFull, kCompact, kPacked };
enum class Unit { kDocument, kSegment };
std::string recognize_server;  // --recognize_server=ADDR
int recognize_server_pid = 0;  // --recognize_server_pid=PID

double ServerCpuMicros() {
  if (recognize_server_pid == 0) return 0;
  std::ifstream in("/proc/" + std::to_string(recognize_server_pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));  // After "pid (comm) ".
  std::string field;
  double ticks = 0;
  for (int k = 3; k <= 15 && fields >> field; ++k) {
    if (k == 14 || k == 15) ticks += std::stod(field);  // utime, stime.
  }
  return ticks * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::vector<std::string> RecognizeTexts(Unit unit) {
  const Result<std::vector<Segment>> segments = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x");
  std::vector<std::string> texts;
  if (unit == Unit::kSegment) {
    for (const Segment& s : *segments) texts.push_back(s.source);
    return texts;
  }
  std::string chunk;
  size_t chunk_chars = 0;
  for (const Segment& s : *segments) {
    const size_t chars = static_cast<size_t>(std::count_if(s.source.begin(), s.source.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
    if (chunk_chars + chars > static_cast<size_t>(kMaxRecognizeLength)) {
      texts.push_back(std::move(chunk));
      chunk.clear();
      chunk_chars = 0;
    }
    chunk += s.source;
    chunk_chars += chars;
  }
  if (!chunk.empty()) texts.push_back(std::move(chunk));
  return texts;
}

std::string RecognizeTarget() {
  if (!recognize_server.empty()) return recognize_server;
  GlossaryFixture& f = ReportAndGlossary();
  static std::unique_ptr<TerminologyChecker> checker;
  static std::unique_ptr<GlossaryService> service;
  static std::unique_ptr<grpc::Server> server;
  static int port = 0;
  if (!server) {
    const ServiceOptions options = OpenReadsOptions(f.store.get());
    checker = std::make_unique<TerminologyChecker>(f.store.get(), f.recognizer.get());
    if (Status st = checker->Rebuild(); !st.ok()) std::abort();
    service = std::make_unique<GlossaryService>(f.glossary.get(), f.recognizer.get(), checker.get(), options);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service.get());
    server = builder.BuildAndStart();
  }
  return "127.0.0.1:" + std::to_string(port);
}

void BM_GrpcRecognize(benchmark::State& state, HitForm form, Unit unit, int in_flight) {
  const std::vector<std::string> texts = RecognizeTexts(unit);
  auto stub = v1::Glossary::NewStub(grpc::CreateChannel(RecognizeTarget(), grpc::InsecureChannelCredentials()));
  // Each answer is parsed into a message on an arena over a block the call reuses (docs/matching.md, "A
  // C++ client"): freeing an answer's hundred-odd strings one by one was a tenth of the client's CPU.
  struct Call {
    v1::RecognizeTermsRequest request;
    std::vector<char> block = std::vector<char>(16 << 10);
    std::optional<google::protobuf::Arena> arena;
    v1::RecognizeTermsResponse* response = nullptr;
    std::unique_ptr<grpc::ClientContext> ctx;
    void Start() {
      ctx = std::make_unique<grpc::ClientContext>();
      response = nullptr;
      arena.reset();
      google::protobuf::ArenaOptions options;
      options.initial_block = block.data();
      options.initial_block_size = block.size();
      arena.emplace(options);
      response = google::protobuf::Arena::CreateMessage<v1::RecognizeTermsResponse>(&*arena);
    }
  };
  std::vector<Call> calls(texts.size());
  for (size_t k = 0; k < texts.size(); ++k) {
    calls[k].request.set_text(texts[k]);
    calls[k].request.set_compact(form == HitForm::kCompact);
    calls[k].request.set_packed(form == HitForm::kPacked);
  }
  size_t bytes = 0, response_bytes = 0, hits = 0;
  std::string error;
  auto finish = [&](Call& call, const grpc::Status& st) {
    if (!st.ok() && error.empty()) error = st.error_message();
    response_bytes += call.response->ByteSizeLong();
    hits += static_cast<size_t>(form == HitForm::kPacked ? call.response->packed().term_size() : call.response->hits_size());
    bytes += call.request.text().size();
  };
  const double cpu0 = ProcessCpuMicros(), server_cpu0 = ServerCpuMicros();
  for (auto _ : state) {
    if (in_flight == 1) {
      for (Call& call : calls) {
        call.Start();
        finish(call, stub->RecognizeTerms(call.ctx.get(), call.request, call.response));
      }
      continue;
    }
    // At most in_flight calls outstanding; each answer lets the next call go.
    std::mutex mu;
    std::condition_variable cv;
    int outstanding = 0;
    for (Call& call : calls) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return outstanding < in_flight; });
        ++outstanding;
      }
      call.Start();
      stub->async()->RecognizeTerms(call.ctx.get(), &call.request, call.response, [&](grpc::Status st) {
        std::lock_guard lock(mu);
        finish(call, st);
        --outstanding;
        cv.notify_all();
      });
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return outstanding == 0; });
  }
  if (!error.empty()) state.SkipWithError(error.c_str());
  const double mb = static_cast<double>(bytes) / 1e6;
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["calls_per_pass"] = static_cast<double>(calls.size());
  state.counters["hits_per_pass"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.counters["resp_bytes_per_pass"] = static_cast<double>(response_bytes) / static_cast<double>(state.iterations());
  state.counters["cpu_us_per_mb"] = (ProcessCpuMicros() - cpu0) / mb;
  if (recognize_server_pid != 0) state.counters["server_cpu_us_per_mb"] = (ServerCpuMicros() - server_cpu0) / mb;
}

// --dump=DIR: each corpus and its query list as TSV in PostgreSQL COPY's text format (id, source, target;
// query number, text), for tests/bench/pg_compare.sh to load the same segments into another system.
std::string CopyField(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out.push_back(c);
  }
  return out;
}

std::string TsvPath(const std::string& dir, CorpusKind kind, size_t n, const char* what) {
  return dir + "/" + Name(kind) + "_" + std::to_string(n) + "." + what + ".tsv";
}

bool Dump(const std::string& dir, const std::vector<size_t>& sizes) {
  for (size_t n : sizes) {
    for (CorpusKind kind : {CorpusKind::kSynthetic, CorpusKind::kNearDuplicate}) {
      CorpusGenerator generator(kind);
      std::vector<std::string> sources;
      FILE* corpus = std::fopen(TsvPath(dir, kind, n, "corpus").c_str(), "w");
      if (!corpus) return false;
      for (size_t j = 0; j < n; ++j) {
        const Segment s = generator.Next(j);
        if (CorpusGenerator::Sampled(j)) sources.push_back(s.source);
        std::fprintf(corpus, "%zu\t%s\t%s\n", j, CopyField(s.source).c_str(), CopyField(s.target).c_str());
      }
      std::fclose(corpus);
      FILE* queries = std::fopen(TsvPath(dir, kind, n, "queries").c_str(), "w");
      if (!queries) return false;
      const std::vector<std::string> texts = Queries(kind, sources);
      for (size_t i = 0; i < texts.size(); ++i) std::fprintf(queries, "%zu\t%s\n", i, CopyField(texts[i]).c_str());
      std::fclose(queries);
    }
  }
  return true;
}

// --answers=DIR: the brute-force answer (min_score 70, the top kMaxResults) to every query of each corpus, as
// "query number, segment number, score" lines: what another system's recall is measured against. The
// indexed lookup's answer is compared with it on the way (they must be equal; a difference is reported).
bool Answers(const std::string& dir, const std::vector<size_t>& sizes) {
  for (size_t n : sizes) {
    for (CorpusKind kind : {CorpusKind::kSynthetic, CorpusKind::kNearDuplicate}) {
      Fixture& f = Corpus(n, kind);
      const std::vector<std::string> texts = Queries(f.kind, f.sources);
      FILE* out = std::fopen(TsvPath(dir, kind, n, "answers").c_str(), "w");
      if (!out) return false;
      size_t differ = 0;
      for (size_t i = 0; i < texts.size(); ++i) {
        TmQuery q;
        q.text = texts[i];
        q.min_score = 70;
        q.max_results = kMaxResults;
        const Result<std::vector<TmMatch>> brute = f.tm->LookupBruteForceInMemory(q), indexed = f.tm->Lookup(q);
        if (!brute.ok() || !indexed.ok()) return false;
        std::set<std::pair<std::string, int>> a, b;
        for (const TmMatch& m : *brute) {
          b.emplace(m.segment.id, m.score);
          std::fprintf(out, "%zu\t%s\t%d\n", i, m.segment.id.substr(1).c_str(), m.score);
        }
        for (const TmMatch& m : *indexed) a.emplace(m.segment.id, m.score);
        differ += a != b;
      }
      std::fclose(out);
      std::fprintf(stderr, "%s %zu: %zu queries answered, indexed differs from brute force on %zu\n", Name(kind), n,
                   texts.size(), differ);
    }
  }
  return true;
}

}  // namespace
}  // namespace heluo

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {100000, 1000000};
  int sweep_iterations = 100;
  std::string dump_dir, answers_dir;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--sweep_iterations=", 19) == 0) {
      sweep_iterations = std::atoi(argv[i] + 19);
      continue;
    }
    if (std::strncmp(argv[i], "--split_ns=", 11) == 0) {
      heluo::SetFuzzySplitThreshold(std::atof(argv[i] + 11));
      continue;
    }
    if (std::strncmp(argv[i], "--recognize_server=", 19) == 0) {
      heluo::recognize_server = argv[i] + 19;
      continue;
    }
    if (std::strncmp(argv[i], "--recognize_server_pid=", 23) == 0) {
      heluo::recognize_server_pid = std::atoi(argv[i] + 23);
      continue;
    }
    if (std::strncmp(argv[i], "--dump=", 7) == 0) {
      dump_dir = argv[i] + 7;
      continue;
    }
    if (std::strncmp(argv[i], "--answers=", 10) == 0) {
      answers_dir = argv[i] + 10;
      continue;
    }
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
  if (!dump_dir.empty()) return heluo::Dump(dump_dir, sizes) ? 0 : 1;
  if (!answers_dir.empty()) return heluo::Answers(answers_dir, sizes) ? 0 : 1;
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RegisterBenchmark("Normalize/sentence", heluo::BM_Normalize);
  benchmark::RegisterBenchmark("Recognize/whole_report", heluo::BM_Recognize);
  {
    using heluo::HitForm;
    using heluo::Unit;
    // The names of earlier sessions' figures stay: whole_report/{full,compact} is the document, one call at
    // a time.
    const std::pair<const char*, HitForm> forms[] = {{"full", HitForm::kFull}, {"compact", HitForm::kCompact}, {"packed", HitForm::kPacked}};
    for (auto [name, form] : forms) {
      benchmark::RegisterBenchmark((std::string("GrpcRecognize/whole_report/") + name).c_str(), heluo::BM_GrpcRecognize, form, Unit::kDocument, 1)->UseRealTime();
    }
    for (auto [name, form] : forms) {
      if (form == HitForm::kFull) continue;
      for (int in_flight : {2, 4}) {
        benchmark::RegisterBenchmark((std::string("GrpcRecognize/document/") + name + "/in_flight:" + std::to_string(in_flight)).c_str(),
                                     heluo::BM_GrpcRecognize, form, Unit::kDocument, in_flight)->UseRealTime();
      }
      for (int in_flight : {1, 4}) {
        benchmark::RegisterBenchmark((std::string("GrpcRecognize/segment/") + name + "/in_flight:" + std::to_string(in_flight)).c_str(),
                                     heluo::BM_GrpcRecognize, form, Unit::kSegment, in_flight)->UseRealTime();
      }
    }
  }
  using heluo::CorpusKind;
  using heluo::Engine;
  for (size_t n : sizes) {
    const std::string size = "/" + std::to_string(n);
    for (CorpusKind kind : {CorpusKind::kSynthetic, CorpusKind::kNearDuplicate}) {
      const std::string corpus = std::string("/") + heluo::Name(kind);
      benchmark::RegisterBenchmark(("FuzzyLookup" + corpus + "/indexed" + size).c_str(), heluo::BM_FuzzyLookup, n, kind, Engine::kIndexed, 70)
          ->UseManualTime()->Iterations(2000)->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("FuzzyLookup" + corpus + "/brute_force_memory" + size).c_str(), heluo::BM_FuzzyLookup, n, kind, Engine::kBruteForceMemory, 70)
          ->UseManualTime()->Iterations(100)->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("FuzzyLookup" + corpus + "/brute_force_store" + size).c_str(), heluo::BM_FuzzyLookup, n, kind, Engine::kBruteForceStore, 70)
          ->UseManualTime()->Iterations(n >= 1000000 ? 5 : 20)->Unit(benchmark::kMillisecond);
      for (int m : {50, 70}) {
        benchmark::RegisterBenchmark(("FuzzyLookup" + corpus + "/recall_vs_brute_force/min" + std::to_string(m) + size).c_str(), heluo::BM_RecallCheck, n, kind, m)
            ->Iterations(1)->Unit(benchmark::kMillisecond);
      }
      // The threshold sweep (issue 19, goal 2): every min_score from 30 to 100.
      for (int m = 30; m <= 100; m += 10) {
        benchmark::RegisterBenchmark(("Sweep" + corpus + "/indexed/min" + std::to_string(m) + size).c_str(), heluo::BM_FuzzyLookup, n, kind, Engine::kIndexed, m)
            ->UseManualTime()->Iterations(sweep_iterations)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("Sweep" + corpus + "/brute_force_memory/min" + std::to_string(m) + size).c_str(), heluo::BM_FuzzyLookup, n, kind, Engine::kBruteForceMemory, m)
            ->UseManualTime()->Iterations(sweep_iterations)->Unit(benchmark::kMicrosecond);
      }
      for (int m : {50, 70}) {
        benchmark::RegisterBenchmark(("PlanProfile" + corpus + "/min" + std::to_string(m) + size).c_str(), heluo::BM_PlanProfile, n, kind, m)
            ->Iterations(1)->Unit(benchmark::kMillisecond);
      }
      benchmark::RegisterBenchmark(("LookupBreakdown" + corpus + "/min70" + size).c_str(), heluo::BM_LookupBreakdown, n, kind, 70)
          ->Iterations(1)->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("GrpcLookup" + corpus + "/loopback" + size).c_str(), heluo::BM_GrpcLookup, n, kind)
          ->UseManualTime()->Iterations(2000)->Unit(benchmark::kMicrosecond);
      for (int idle_us : {0, 800}) {
        const std::string idle = idle_us == 0 ? "" : "_after_idle_" + std::to_string(idle_us) + "us";
        benchmark::RegisterBenchmark(("GrpcFloor" + corpus + "/loopback" + idle + size).c_str(), heluo::BM_GrpcFloor, n, kind, idle_us)
            ->UseManualTime()->Iterations(2000)->Unit(benchmark::kMicrosecond);
      }
    }
    benchmark::RegisterBenchmark(("Concordance/source" + size).c_str(), heluo::BM_Concordance, n)
        ->UseManualTime()->Iterations(500)->Unit(benchmark::kMicrosecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
