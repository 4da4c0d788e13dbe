// Read replicas seen from the clients' side, through the real binaries (a real nats-server with JetStream, a
// primary heluo-server with --nats, a replica with --replica-of; docs/replication.md): read-your-writes
// (x-heluo-commit-sequence / x-heluo-min-sequence), the replication block of Admin.Stats and health, and the
// CLI's address list (round_robin reads, writes to the primary).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/http_client.h"
#include "tests/nats_server_process.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kEditorToken = "editor-token-routing";

class ReplicaRoutingTest : public ::testing::Test {
 protected:
  ReplicaRoutingTest() : nats_(dir_.Sub("")) {
    std::ofstream(dir_.Sub("tokens")) << "editor " << TokenHash(kEditorToken) << " alice\n";
    primary_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--data-dir", dir_.Sub("primary"), "--token-file", dir_.Sub("tokens"), "--nats", nats_.url()});
    replica_ = StartReplica();
  }

  std::unique_ptr<ServerProcess> StartReplica() {
    return std::make_unique<ServerProcess>(std::vector<std::string>{
        "--data-dir", dir_.Sub("replica"), "--token-file", dir_.Sub("tokens"), "--replica-of", nats_.url(),
        "--primary-address", primary_->address(), "--max-replica-lag", "2"});
  }

  static std::shared_ptr<grpc::Channel> Channel(const ServerProcess& s) {
    return grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials());
  }
  static void Prepare(grpc::ClientContext* ctx, milliseconds deadline = milliseconds(20000), bool editor = false) {
    ctx->set_deadline(std::chrono::system_clock::now() + deadline);
    if (editor) ctx->AddMetadata("authorization", std::string("Bearer ") + kEditorToken);
  }
  static std::string Trailer(const grpc::ClientContext& ctx, const std::string& key) {
    auto it = ctx.GetServerTrailingMetadata().find(key);
    return it == ctx.GetServerTrailingMetadata().end() ? "" : std::string(it->second.data(), it->second.size());
  }

  // Upserts a term on the primary; returns the x-heluo-commit-sequence of the answer ("" on failure).
  std::string Upsert(const std::string& id, const std::string& en) {
    v1::UpsertTermRequest r;
    r.mutable_entry()->set_id(id);
    r.mutable_entry()->set_zh("读写" + id);
    r.mutable_entry()->set_en(en);
    r.mutable_entry()->set_collection("edits");
    v1::UpsertTermResponse out;
    grpc::ClientContext ctx;
    Prepare(&ctx, milliseconds(20000), /*editor=*/true);
    grpc::Status st = v1::Glossary::NewStub(Channel(*primary_))->UpsertTerm(&ctx, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return st.ok() ? Trailer(ctx, "x-heluo-commit-sequence") : "";
  }

  v1::StatsResponse Stats(const ServerProcess& s) {
    v1::StatsResponse out;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    grpc::Status st = v1::Admin::NewStub(Channel(s))->Stats(&ctx, v1::StatsRequest(), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(const ServerProcess& s) {
    grpc::health::v1::HealthCheckResponse out;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    grpc::Status st = grpc::health::v1::Health::NewStub(Channel(s))->Check(&ctx, {}, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.status();
  }

  // Waits up to `seconds` for `done`.
  template <typename F>
  static bool Eventually(F done, int seconds = 30) {
    for (auto end = steady_clock::now() + std::chrono::seconds(seconds); steady_clock::now() < end;) {
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return done();
  }

  int64_t Calls(const ServerProcess& s, const std::string& method) {
    const v1::StatsResponse stats = Stats(s);
    for (const v1::MethodStats& m : stats.methods()) {
      if (m.method() == method) return m.calls();
    }
    return 0;
  }

  TempDir dir_;
  NatsServerProcess nats_;
  std::unique_ptr<ServerProcess> primary_;
  std::unique_ptr<ServerProcess> replica_;
};

// Write on the primary, read on the replica at once with the answer's sequence: the new value, every time —
// through a sync method (GetTerm, the wait holds a sync thread) and a callback one (LookupTerm, the wait is
// deferred off gRPC's callback threads), alternately.
TEST_F(ReplicaRoutingTest, AReadWithTheWritesSequenceSeesTheWriteOnAReplicaEveryTime) {
  ASSERT_TRUE(primary_->started()) << primary_->output();
  ASSERT_TRUE(replica_->started()) << replica_->output();
  auto primary = v1::Glossary::NewStub(Channel(*primary_));
  auto replica = v1::Glossary::NewStub(Channel(*replica_));
  uint64_t last = 0;
  constexpr int kRounds = 200;
  for (int i = 0; i < kRounds; ++i) {
    const std::string value = "value " + std::to_string(i);
    const std::string sequence = Upsert("ryw", value);
    ASSERT_FALSE(sequence.empty()) << "round " << i << ": no x-heluo-commit-sequence";
    const uint64_t n = std::stoull(sequence);
    ASSERT_GT(n, last) << "round " << i;  // Every write commits a later sequence.
    last = n;
    grpc::ClientContext ctx;
    Prepare(&ctx);
    ctx.AddMetadata("x-heluo-min-sequence", sequence);
    if (i % 2 == 0) {
      v1::GetTermRequest get;
      get.set_id("ryw");
      v1::GetTermResponse got;
      grpc::Status st = replica->GetTerm(&ctx, get, &got);
      ASSERT_TRUE(st.ok()) << "round " << i << ": " << st.error_message();
      ASSERT_EQ(got.entry().en(), value) << "round " << i;
    } else {
      v1::LookupTermRequest lookup;
      lookup.set_text("读写ryw");
      v1::LookupTermResponse found;
      grpc::Status st = replica->LookupTerm(&ctx, lookup, &found);
      ASSERT_TRUE(st.ok()) << "round " << i << ": " << st.error_message();
      ASSERT_EQ(found.entries_size(), 1) << "round " << i;
      ASSERT_EQ(found.entries(0).en(), value) << "round " << i;
    }
    // A read answer carries the replica's sequence too: at least the one asked for.
    EXPECT_GE(std::stoull(Trailer(ctx, "x-heluo-commit-sequence")), n);
  }
}

// A sequence the replica never reaches: UNAVAILABLE once the call's deadline is near, for a sync and a
// callback method, and for TranslationMemory.Lookup at a low min_score (callback, its body then handed to
// the service's worker pool); the primary answers such a read at once; a malformed sequence is refused.
TEST_F(ReplicaRoutingTest, ASequenceNeverReachedIsUnavailableAfterTheDeadlineAndThePrimaryAnswersAtOnce) {
  ASSERT_TRUE(primary_->started()) << primary_->output();
  ASSERT_TRUE(replica_->started()) << replica_->output();
  const std::string sequence = Upsert("never", "reached");
  ASSERT_FALSE(sequence.empty());
  const std::string beyond = std::to_string(std::stoull(sequence) + 1000000);
  auto replica = v1::Glossary::NewStub(Channel(*replica_));
  auto replica_tm = v1::TranslationMemory::NewStub(Channel(*replica_));
  for (int method = 0; method < 3; ++method) {
    grpc::ClientContext ctx;
    Prepare(&ctx, milliseconds(1500));
    ctx.AddMetadata("x-heluo-min-sequence", beyond);
    const auto start = steady_clock::now();
    grpc::Status st;
    if (method == 0) {
      v1::GetTermRequest get;
      get.set_id("never");
      v1::GetTermResponse got;
      st = replica->GetTerm(&ctx, get, &got);
    } else if (method == 1) {
      v1::LookupTermRequest lookup;
      lookup.set_text("读写never");
      v1::LookupTermResponse found;
      st = replica->LookupTerm(&ctx, lookup, &found);
    } else {
      v1::LookupRequest lookup;
      lookup.set_text("读写never");
      lookup.set_min_score(30);
      v1::LookupResponse found;
      st = replica_tm->Lookup(&ctx, lookup, &found);
    }
    const auto waited = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
    // The server gives up at the deadline; whichever side notices first, the client sees the call fail
    // then, never at once (UNAVAILABLE from the server, or DEADLINE_EXCEEDED when the client's clock wins).
    EXPECT_TRUE(st.error_code() == grpc::StatusCode::UNAVAILABLE ||
                st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
        << method << ": " << st.error_code() << " " << st.error_message();
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE) {
      EXPECT_NE(st.error_message().find("retry on another server"), std::string::npos) << st.error_message();
    }
    EXPECT_GE(waited.count(), 1300) << method;
  }
  // The primary has all its own commits: a read asking for any sequence is answered at once.
  {
    grpc::ClientContext ctx;
    Prepare(&ctx, milliseconds(20000));
    ctx.AddMetadata("x-heluo-min-sequence", beyond);
    v1::GetTermRequest get;
    get.set_id("never");
    v1::GetTermResponse got;
    const auto start = steady_clock::now();
    grpc::Status st = v1::Glossary::NewStub(Channel(*primary_))->GetTerm(&ctx, get, &got);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(got.entry().en(), "reached");
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count(), 1000);
  }
  for (const char* bad : {"abc", "0", "-5"}) {
    grpc::ClientContext ctx;
    Prepare(&ctx);
    ctx.AddMetadata("x-heluo-min-sequence", bad);
    v1::GetTermRequest get;
    get.set_id("never");
    v1::GetTermResponse got;
    EXPECT_EQ(replica->GetTerm(&ctx, get, &got).error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
  }
}

// Admin.Stats' replication block on both roles, and the replica's health while the stream is away (lag past
// --max-replica-lag: NOT_SERVING, writes go on into the primary's outbox) and after it is back (SERVING,
// caught up, outbox empty).
TEST_F(ReplicaRoutingTest, StatsAndHealthShowRoleSequencesLagAndOutbox) {
  ASSERT_TRUE(primary_->started()) << primary_->output();
  ASSERT_TRUE(replica_->started()) << replica_->output();
  const uint64_t n = std::stoull(Upsert("stats", "one"));
  v1::StatsResponse p = Stats(*primary_);
  EXPECT_EQ(p.replication().role(), v1::ReplicationStats::ROLE_PRIMARY);
  EXPECT_GE(p.replication().sequence(), n);
  ASSERT_TRUE(Eventually([&] {
    const v1::ReplicationStats r = Stats(*replica_).replication();
    return r.sequence() >= n && r.lag_messages() == 0 && r.stream_last_sequence() > 0 && r.serving();
  })) << Stats(*replica_).replication().DebugString();
  v1::ReplicationStats r = Stats(*replica_).replication();
  EXPECT_EQ(r.role(), v1::ReplicationStats::ROLE_REPLICA);
  EXPECT_EQ(r.lag_ms(), 0);
  EXPECT_TRUE(r.stream_reachable());
  EXPECT_EQ(r.max_lag_ms(), 2000);
  EXPECT_GE(r.applied_stream_sequence(), r.stream_last_sequence());  // The stream was asked a moment ago.
  EXPECT_TRUE(r.lost().empty());
  EXPECT_EQ(Health(*replica_), grpc::health::v1::HealthCheckResponse::SERVING);
  CommandResult shown = RunCommand({HELUO_CLIENT_BIN, "--server", replica_->address(), "stats"});
  EXPECT_NE(shown.out.find("replication: replica at commit " + std::to_string(r.sequence())), std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("serving (bound 2000 ms)"), std::string::npos) << shown.out;
  ASSERT_TRUE(Eventually([&] { return Stats(*primary_).replication().outbox_depth() == 0; }));
  EXPECT_TRUE(Eventually([&] {  // The primary's monitor sees the same stream (asked once a second).
    return Stats(*primary_).replication().stream_last_sequence() >= r.applied_stream_sequence();
  }));

  nats_.Stop();
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(Upsert("away-" + std::to_string(i), "while away").empty());
  EXPECT_EQ(Stats(*primary_).replication().outbox_depth(), 3);
  ASSERT_TRUE(Eventually([&] { return Health(*replica_) == grpc::health::v1::HealthCheckResponse::NOT_SERVING; },
                         20));
  r = Stats(*replica_).replication();
  EXPECT_FALSE(r.serving());
  EXPECT_FALSE(r.stream_reachable());
  EXPECT_FALSE(r.stream_error().empty());
  EXPECT_GT(r.lag_ms(), 2000);
  EXPECT_EQ(Health(*primary_), grpc::health::v1::HealthCheckResponse::SERVING);  // A primary has no lag.
  replica_->Poll();
  EXPECT_NE(replica_->output().find("more than the 2000 ms --max-replica-lag allows"), std::string::npos)
      << replica_->output();

  ASSERT_TRUE(nats_.Start()) << nats_.log();
  ASSERT_TRUE(Eventually([&] { return Health(*replica_) == grpc::health::v1::HealthCheckResponse::SERVING; }, 30));
  ASSERT_TRUE(Eventually([&] {
    return Stats(*replica_).replication().sequence() == Stats(*primary_).replication().sequence() &&
           Stats(*primary_).replication().outbox_depth() == 0;
  }));
}

// heluo --server PRIMARY,REPLICA: reads are spread over both (each server's own call counts), writes go to
// the primary only (the first address, or --primary); with --primary naming the replica the write is refused
// there, naming the primary — nothing is written on the wrong server.
TEST_F(ReplicaRoutingTest, TheCliSpreadsReadsOverTheListAndSendsWritesToThePrimary) {
  ASSERT_TRUE(primary_->started()) << primary_->output();
  ASSERT_TRUE(replica_->started()) << replica_->output();
  ASSERT_FALSE(Upsert("cli-list", "spread").empty());
  const std::string list = primary_->address() + "," + replica_->address();
  ASSERT_TRUE(Eventually([&] {
    return RunCommand({HELUO_CLIENT_BIN, "--server", replica_->address(), "term", "读写cli-list"}).exit_code == 0;
  }));
  const std::string kLookup = "/heluo.v1.Glossary/LookupTerm";
  const int64_t primary_before = Calls(*primary_, kLookup), replica_before = Calls(*replica_, kLookup);
  // One process per command: each spreads its one read; round_robin starts at a random backend.
  constexpr int kReads = 16;
  for (int i = 0; i < kReads; ++i) {
    CommandResult r = RunCommand({HELUO_CLIENT_BIN, "--server", list, "term", "读写cli-list"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_NE(r.out.find("spread"), std::string::npos) << r.out;
  }
  const int64_t on_primary = Calls(*primary_, kLookup) - primary_before;
  const int64_t on_replica = Calls(*replica_, kLookup) - replica_before;
  EXPECT_EQ(on_primary + on_replica, kReads);
  EXPECT_GE(on_primary, 1);
  EXPECT_GE(on_replica, 1);

  const std::string kUpsert = "/heluo.v1.Glossary/UpsertTerm";
  const int64_t upserts_before = Calls(*primary_, kUpsert);
  for (int i = 0; i < 4; ++i) {
    CommandResult w = RunCommand({HELUO_CLIENT_BIN, "--server", list, "--token", kEditorToken, "term", "add",
                                  "--id", "cli-w" + std::to_string(i), "--zh", "写入" + std::to_string(i), "--en",
                                  "written " + std::to_string(i), "--collection", "edits"});
    ASSERT_EQ(w.exit_code, 0) << w.out;
  }
  // Listed second, the primary still takes the writes when --primary names it.
  CommandResult named = RunCommand({HELUO_CLIENT_BIN, "--server", replica_->address() + "," + primary_->address(),
                                    "--primary", primary_->address(), "--token", kEditorToken, "term", "add",
                                    "--id", "cli-w9", "--zh", "写入九", "--en", "written 9", "--collection", "edits"});
  ASSERT_EQ(named.exit_code, 0) << named.out;
  EXPECT_EQ(Calls(*primary_, kUpsert) - upserts_before, 5);
  EXPECT_EQ(Calls(*replica_, kUpsert), 0);
  // Misconfigured: the replica refuses and names the primary; nothing is written anywhere.
  CommandResult wrong = RunCommand({HELUO_CLIENT_BIN, "--server", list, "--primary", replica_->address(), "--token",
                                    kEditorToken, "term", "add", "--id", "cli-wrong", "--zh", "错", "--en", "wrong",
                                    "--collection", "edits"});
  EXPECT_EQ(wrong.exit_code, 2) << wrong.out;
  EXPECT_NE(wrong.out.find(primary_->address()), std::string::npos) << wrong.out;
  EXPECT_EQ(RunCommand({HELUO_CLIENT_BIN, "--server", primary_->address(), "term", "错"}).exit_code, 1);
}

// The HTTP face calls the services' method bodies directly (no gRPC hop), with the same read-your-writes:
// a write made over HTTP on the primary answers X-Heluo-Commit-Sequence; a read on the replica sending it
// as X-Heluo-Min-Sequence sees the write every time (the wait happens in the same Authorizer::Check), and
// answers a sequence at least as late; a malformed sequence is refused by the Authorizer; a write sent to
// the replica over HTTP is refused naming the primary. Each read is counted in the replica's metrics.
TEST_F(ReplicaRoutingTest, OverHttpAReadWithTheWritesSequenceSeesTheWriteAndAReplicaRefusesWrites) {
  ASSERT_TRUE(primary_->started()) << primary_->output();
  ASSERT_TRUE(replica_->started()) << replica_->output();
  ASSERT_GT(HttpPort(*primary_), 0) << primary_->startup_line();
  const httplib::Headers editor = {{"Authorization", std::string("Bearer ") + kEditorToken}};
  const int64_t lookups_before = Calls(*replica_, "/heluo.v1.Glossary/LookupTerm");
  constexpr int kRounds = 40;
  uint64_t last = 0;
  for (int i = 0; i < kRounds; ++i) {
    const std::string value = "http value " + std::to_string(i);
    const HttpAnswer put = HttpCall(*primary_, "PUT", "/v1/terms/ryw-http", editor,
                                    R"({"zh": "读写ryw-http", "en": ")" + value + R"(", "collection": "edits"})");
    ASSERT_EQ(put.status, 200) << put.body;
    const std::string sequence = put.Header("X-Heluo-Commit-Sequence");
    ASSERT_FALSE(sequence.empty()) << "round " << i;
    ASSERT_GT(std::stoull(sequence), last) << "round " << i;
    last = std::stoull(sequence);
    // GetTerm (a sync method over gRPC) and LookupTerm (a callback one) alternately.
    const std::string path = i % 2 == 0 ? "/v1/terms/ryw-http" : "/v1/terms:lookup?text=%E8%AF%BB%E5%86%99ryw-http";
    const HttpAnswer got = HttpCall(*replica_, "GET", path, {{"X-Heluo-Min-Sequence", sequence}});
    ASSERT_EQ(got.status, 200) << "round " << i << ": " << got.body;
    ASSERT_NE(got.body.find(value), std::string::npos) << "round " << i << ": " << got.body;
    EXPECT_GE(std::stoull(got.Header("X-Heluo-Commit-Sequence")), last) << "round " << i;
  }
  EXPECT_EQ(Calls(*replica_, "/heluo.v1.Glossary/LookupTerm") - lookups_before, kRounds / 2);

  const HttpAnswer malformed = HttpCall(*replica_, "GET", "/v1/terms/ryw-http", {{"X-Heluo-Min-Sequence", "soon"}});
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_NE(malformed.body.find("x-heluo-min-sequence must be a commit sequence"), std::string::npos)
      << malformed.body;
  const HttpAnswer refused = HttpCall(*replica_, "PUT", "/v1/terms/ryw-http", editor, R"({"en": "no"})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("read replica"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find(primary_->address()), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace heluo
