// Primary → NATS JetStream → replica, in one process: two real LMDB stores, a real nats-server started by
// the test, the Publisher on the primary's outbox and the Applier on the replica (docs/replication.md).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "server/core/glossary.h"
#include "server/core/store/store.h"
#include "server/core/tm/segment.h"
#include "server/core/translation_memory.h"
#include "server/replication/applier.h"
#include "server/replication/change_stream.h"
#include "server/replication/publisher.h"
#include "server/replication/seed.h"
#include "tests/nats_server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

struct Node {
  std::unique_ptr<Store> store;
  std::unique_ptr<Glossary> glossary;
  std::unique_ptr<TranslationMemory> tm;
  std::unique_ptr<ChangeStream> stream;
};

TermEntry Term(const std::string& id, const std::string& en) {
  TermEntry e;
  e.id = id;
  e.collection = "test";
  e.zh = "术语" + id;
  e.en = en;
  return e;
}

Segment Pair(const std::string& id, const std::string& en) {
  Segment s;
  s.id = id;
  s.collection = "test";
  s.source = "第" + id + "项工作稳步推进。";
  s.target = en;
  return s;
}

class ReplicationTest : public ::testing::Test {
 protected:
  ReplicationTest() : nats_(dir_.Sub("")) {}

  Node Open(const std::string& name, bool primary) {
    Node n;
    StoreOptions options;
    options.record_changes = primary;
    auto store = Store::Open(dir_.Sub(name), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    n.store = std::move(*store);
    n.glossary = std::make_unique<Glossary>(n.store.get());
    n.tm = std::make_unique<TranslationMemory>(n.store.get());
    ChangeStreamOptions o;
    o.url = nats_.url();
    o.timeout = std::chrono::milliseconds(2000);
    auto stream = ChangeStream::Connect(o);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    n.stream = std::move(*stream);
    EXPECT_TRUE(n.stream->EnsureStream().ok());
    return n;
  }

  static Status Write(Node& n, const std::function<Status(LmdbTxn&)>& fn) { return n.store->Write(fn); }

  // Every term and segment of a store, as stored, in id order: equal dumps mean equal content.
  static std::string Dump(Node& n) {
    std::string out;
    EXPECT_TRUE(n.glossary
                    ->ForEach([&](const TermEntry& e) {
                      out += "T " + e.id + " " + e.zh + " " + e.en + "\n";
                      return true;
                    })
                    .ok());
    std::map<std::string, std::string> segments;
    EXPECT_TRUE(n.tm->ForEach([&](const Segment& s) {
                      segments[s.id] = SerializeSegment(s);
                      return true;
                    })
                    .ok());
    for (const auto& [id, record] : segments) out += "S " + id + " " + record + "\n";
    return out;
  }

  static size_t Publish(Node& primary) {
    Publisher publisher(primary.store.get(), primary.stream.get());
    Result<size_t> n = publisher.PublishPending();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  }

  // Applies everything available: one ApplyAvailable call ends its burst after Applier::kMaxBurst, so on a
  // loaded machine a long backlog takes several calls (until one applies nothing).
  static Result<size_t> Apply(Node& replica) {
    Applier applier(replica.store.get(), replica.glossary.get(), replica.tm.get(), replica.stream.get());
    size_t total = 0;
    // After the first call, whatever is left was published already: a short idle wait finds it.
    for (auto idle = std::chrono::milliseconds(500);; idle = std::chrono::milliseconds(20)) {
      Result<size_t> n = applier.ApplyAvailable(idle);
      if (!n.ok()) return n;
      if (*n == 0) return total;
      total += *n;
    }
  }

  TempDir dir_;
  NatsServerProcess nats_;
};

TEST_F(ReplicationTest, AReplicaEndsWithThePrimarysContent) {
  ASSERT_TRUE(nats_.running()) << nats_.log();
  Node primary = Open("primary", true), replica = Open("replica", false);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) {
                  return primary.glossary->Put(txn,
                                               Term("t" + std::to_string(i), "term " + std::to_string(i)));
                }).ok());
  }
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) -> Status {
                for (int i = 0; i < 200; ++i) {
                  HELUO_RETURN_IF_ERROR(primary.tm->Put(
                      txn, Pair("s" + std::to_string(i), "Work " + std::to_string(i) + " went ahead.")));
                }
                return Status::Ok();
              }).ok());
  for (int i = 0; i < 40; i += 4) {
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) {
                  return primary.glossary->Delete(txn, "t" + std::to_string(i));
                }).ok());
    ASSERT_TRUE(
        Write(primary, [&](LmdbTxn& txn) { return primary.tm->Delete(txn, "s" + std::to_string(i)); }).ok());
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) {
                  return primary.tm->Put(txn,
                                         Pair("s" + std::to_string(i + 1), "Changed " + std::to_string(i)));
                }).ok());
  }
  const uint64_t commits = *primary.store->CommitSequence();
  EXPECT_EQ(Publish(primary), commits);
  Result<size_t> applied = Apply(replica);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, commits);
  EXPECT_EQ(Dump(replica), Dump(primary));
  EXPECT_NE(Dump(primary).find("Changed 4"), std::string::npos);
  Applier applier(replica.store.get(), replica.glossary.get(), replica.tm.get(), replica.stream.get());
  EXPECT_EQ(applier.Position()->commit_seq, commits);
  // The replica's own index answers lookups: it built its postings, not copied the primary's.
  TmQuery q;
  q.text = Pair("s5", "").source;
  auto matches = replica.tm->Lookup(q);
  ASSERT_TRUE(matches.ok()) << matches.status().ToString();
  ASSERT_FALSE(matches->empty());
  EXPECT_EQ((*matches)[0].segment.target, "Changed 4");
}

TEST_F(ReplicationTest, ALargeCommitTravelsInPartsAndIsAppliedAsOne) {
  Node primary = Open("primary", true), replica = Open("replica", false);
  const std::string long_target(600, 'x');
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) -> Status {
                for (int i = 0; i < 3000; ++i) {
                  HELUO_RETURN_IF_ERROR(
                      primary.tm->Put(txn, Pair("p" + std::to_string(i), "Item " + long_target)));
                }
                return Status::Ok();
              }).ok());
  EXPECT_EQ(Publish(primary), 1u);
  auto state = primary.stream->State();
  ASSERT_TRUE(state.ok());
  EXPECT_GE(state->messages, 2u);  // More than 1 MiB: several parts.
  ASSERT_EQ(*Apply(replica), 1u);
  EXPECT_EQ(Dump(replica), Dump(primary));
}

TEST_F(ReplicationTest, ACommitSentAgainIsAppliedOnce) {
  Node primary = Open("primary", true), replica = Open("replica", false);
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("a", "A")); }).ok());
  std::string first_log;
  ASSERT_TRUE(primary.store
                  ->ReadOutbox(0, 1,
                               [&](uint64_t, std::string_view log) {
                                 first_log = std::string(log);
                                 return false;
                               })
                  .ok());
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Delete(txn, "a"); }).ok());
  ASSERT_EQ(Publish(primary), 2u);
  // Commit 1 again, as a publisher would send it after a crash and after JetStream's duplicate window
  // (a new message id, so JetStream stores it a second time).
  auto late =
      primary.stream->Publish("1.1-late", first_log, {{kCommitSequenceHeader, "1"}, {kPartHeader, "1/1"}});
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->duplicate);
  // And once more with its own id: JetStream drops it.
  auto dup = primary.stream->Publish("1.1", first_log, {{kCommitSequenceHeader, "1"}, {kPartHeader, "1/1"}});
  ASSERT_TRUE(dup.ok());
  EXPECT_TRUE(dup->duplicate);
  ASSERT_EQ(*Apply(replica), 2u);
  EXPECT_TRUE(replica.glossary->Get("a").status().code() == Status::Code::kNotFound);  // Not re-created.
  EXPECT_EQ(Dump(replica), Dump(primary));
}

TEST_F(ReplicationTest, ARestartedReplicaResumesWhereItStopped) {
  Node primary = Open("primary", true);
  {
    Node replica = Open("replica", false);
    for (const char* id : {"a", "b", "c"}) {
      ASSERT_TRUE(
          Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term(id, id)); }).ok());
    }
    Publish(primary);
    ASSERT_EQ(*Apply(replica), 3u);
  }  // The replica process ends.
  for (const char* id : {"d", "e"}) {
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term(id, id)); }).ok());
  }
  Publish(primary);
  Node replica = Open("replica", false);
  ASSERT_EQ(*Apply(replica), 2u);  // Only the two new commits: it read from its recorded stream sequence.
  EXPECT_EQ(Dump(replica), Dump(primary));
}

TEST_F(ReplicationTest, AReplicaThatLostMessagesRefusesAndChangesNothing) {
  Node primary = Open("primary", true);
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term(id, id)); }).ok());
  }
  Publish(primary);
  ASSERT_TRUE(nats_.PurgeStream("HELUO"));  // What `nats stream purge` or the stream's age limit does.
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("d", "d")); }).ok());
  Publish(primary);
  Node replica = Open("replica", false);
  Result<size_t> applied = Apply(replica);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("re-seed"), std::string::npos) << applied.status().message();
  EXPECT_EQ(Dump(replica), "");
}

TEST_F(ReplicationTest, WritesGoOnWhileNatsIsDownAndArriveWhenItIsBack) {
  Node primary = Open("primary", true);
  Publisher publisher(primary.store.get(), primary.stream.get());
  nats_.Stop();
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("a", "A")); }).ok());
  Result<size_t> down = publisher.PublishPending();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kUnavailable) << down.status().ToString();
  size_t rows = 0;
  ASSERT_TRUE(
      primary.store->ReadOutbox(0, 10, [&](uint64_t, std::string_view) { return ++rows, true; }).ok());
  EXPECT_EQ(rows, 1u);  // Kept for later.
  ASSERT_TRUE(nats_.Start()) << nats_.log();
  publisher.Start(std::chrono::milliseconds(100));  // The background thread retries by itself.
  Node replica = Open("replica", false);
  size_t applied = 0;
  for (int attempt = 0; attempt < 20 && applied == 0; ++attempt) {
    Result<size_t> n = Apply(replica);
    if (n.ok()) applied += *n;
  }
  publisher.Stop();
  EXPECT_EQ(applied, 1u);
  EXPECT_EQ(Dump(replica), Dump(primary));
}

// The stream was emptied after this replica last read it and nothing new was published since: no message will
// ever show the gap, so the replica notices it from the stream's state and refuses at once.
TEST_F(ReplicationTest, AReplicaBehindAnEmptiedStreamRefusesWithoutWaitingForANewMessage) {
  Node primary = Open("primary", true);
  {
    Node replica = Open("replica", false);
    ASSERT_TRUE(
        Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("a", "a")); }).ok());
    Publish(primary);
    ASSERT_EQ(*Apply(replica), 1u);
  }
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("b", "b")); }).ok());
  Publish(primary);
  ASSERT_TRUE(nats_.PurgeStream("HELUO"));
  Node replica = Open("replica", false);
  Result<size_t> applied = Apply(replica);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("--seed-from-backup"), std::string::npos)
      << applied.status().message();
  EXPECT_FALSE(replica.glossary->Get("b").ok());
}

// Under a steady trickle of commits the applier still comes back after each burst (a pause, or kMaxBurst), so
// what the server does after applying (the recognizer's rebuild) is not put off until the writes stop.
TEST_F(ReplicationTest, ApplyingReturnsAfterEachBurstWhileWritesKeepComing) {
  Node primary = Open("primary", true), replica = Open("replica", false);
  Publisher publisher(primary.store.get(), primary.stream.get());
  std::atomic<bool> writing{true};
  std::thread writer([&] {  // A commit every few milliseconds, for up to 400 commits.
    for (int i = 0; writing && i < 400; ++i) {
      (void)Write(primary, [&](LmdbTxn& txn) {
        return primary.glossary->Put(txn, Term("w" + std::to_string(i), "w"));
      });
      (void)publisher.PublishPending();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  Applier applier(replica.store.get(), replica.glossary.get(), replica.tm.get(), replica.stream.get());
  const auto start = std::chrono::steady_clock::now();
  // A long idle wait: only a burst's end, not a pause of the writer, can make it return early.
  Result<size_t> first = applier.ApplyAvailable(std::chrono::milliseconds(2000));
  const auto took = std::chrono::steady_clock::now() - start;
  writing = false;
  writer.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GE(*first, 1u);
  EXPECT_LT(took,
            std::chrono::milliseconds(1500));  // Before: after the writer's last commit and 2 s of quiet.
}

// A backup carries the commit sequence of its own snapshot; seeding makes it a replica's store at exactly
// that position (the primary's unpublished outbox rows dropped: they come through the stream), and the
// replica then applies only the commits after it.
TEST_F(ReplicationTest, ASeededReplicaStartsAtTheBackupsCommitAndAppliesOnlyLaterOnes) {
  Node primary = Open("primary", true);
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term(id, id)); }).ok());
  }
  Publish(primary);
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Put(txn, Term("d", "d")); }).ok());
  ASSERT_TRUE(primary.store->Backup(dir_.Sub("backup")).ok());  // Commit 4 still in the outbox.
  ASSERT_TRUE(Write(primary, [&](LmdbTxn& txn) { return primary.glossary->Delete(txn, "a"); }).ok());
  Publish(primary);
  StoreOptions options;
  Result<SeedOutcome> seeded = SeedReplicaFromBackup(dir_.Sub("backup"), dir_.Sub("replica"), options);
  ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
  EXPECT_TRUE(seeded->seeded);
  EXPECT_EQ(seeded->commit_seq, 4u);
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("replica") + "/seeding"));
  {
    Node replica = Open("replica", false);
    EXPECT_EQ(ReadAppliedPosition(*replica.store)->commit_seq, 4u);
    size_t outbox = 0;
    ASSERT_TRUE(
        replica.store->ReadOutbox(0, 10, [&](uint64_t, std::string_view) { return ++outbox, true; }).ok());
    EXPECT_EQ(outbox, 0u);
    ASSERT_EQ(*Apply(replica), 1u);  // Only commit 5, the delete.
    EXPECT_EQ(Dump(replica), Dump(primary));
  }
  // Again with the same flags: the replica's store is kept as it is.
  Result<SeedOutcome> again = SeedReplicaFromBackup(dir_.Sub("backup"), dir_.Sub("replica"), options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->seeded);
  EXPECT_EQ(again->commit_seq, 5u);
}

}  // namespace
}  // namespace heluo
