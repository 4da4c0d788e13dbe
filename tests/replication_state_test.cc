// ReplicationState (server/core/replication_state.h): read-your-writes waits, the replica's lag and whether
// it may serve.
#include "server/core/replication_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace heluo {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(ReplicationStateTest, AReplicaWaitsUntilTheSequenceIsAppliedOrTheDeadline) {
  ReplicationState replica(ReplicationRole::kReplica);
  replica.Advance(4, 10);
  EXPECT_TRUE(replica.WaitFor(4, system_clock::now()));  // Reached already: no wait at all.
  std::thread applier([&] {
    std::this_thread::sleep_for(milliseconds(50));
    replica.Advance(5, 11);
  });
  EXPECT_TRUE(replica.WaitFor(5, system_clock::now() + milliseconds(10000)));
  applier.join();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(replica.WaitFor(6, system_clock::now() + milliseconds(100)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(90));
  replica.Advance(3, 9);  // Never backwards.
  EXPECT_EQ(replica.sequence(), 5u);
  EXPECT_EQ(replica.Snapshot().applied_stream_seq, 11u);

  ReplicationState primary(ReplicationRole::kPrimary);
  EXPECT_TRUE(primary.WaitFor(1000, system_clock::now()));  // A primary has every commit there is.
}

TEST(ReplicationStateTest, DeferredCallsRunWhenTheSequenceArrivesAtTheirDeadlineOrAtShutdown) {
  ReplicationState replica(ReplicationRole::kReplica);
  replica.Advance(1);
  std::atomic<int> ran{0};
  replica.WhenReached(1, system_clock::now() + milliseconds(10000), [&] { ran += 1; });
  EXPECT_EQ(ran.load(), 1);  // Reached: at once, on this thread.
  std::atomic<bool> reached{false};
  replica.WhenReached(2, system_clock::now() + milliseconds(10000), [&] {
    reached = replica.sequence() >= 2;
    ran += 1;
  });
  std::atomic<bool> expired{false};
  const auto deadline = system_clock::now() + milliseconds(100);
  replica.WhenReached(50, deadline, [&] {
    expired = system_clock::now() >= deadline && replica.sequence() < 50;
    ran += 1;
  });
  EXPECT_EQ(ran.load(), 1);
  replica.Advance(2);
  for (int i = 0; i < 200 && ran.load() < 3; ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(ran.load(), 3);
  EXPECT_TRUE(reached.load());
  EXPECT_TRUE(expired.load());
  replica.WhenReached(60, system_clock::now() + milliseconds(60000), [&] { ran += 1; });
  replica.ReleaseWaiters();  // Shutdown: the waiting call is answered now, not in a minute.
  for (int i = 0; i < 200 && ran.load() < 4; ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(ran.load(), 4);
  EXPECT_FALSE(replica.WaitFor(70, system_clock::now() + milliseconds(60000)));  // Returns at once now.
}

TEST(ReplicationStateTest, LagIsTheAgeOfTheOldestUnappliedMessageOrTheTimeSinceTheStreamAnswered) {
  const auto now = system_clock::now();
  const auto started = now - milliseconds(60000);
  StreamView v;
  EXPECT_EQ(ReplicaLagMillis(v, 0, started, now), 60000);  // Never reached the stream: since the start.
  v.reachable = true;
  v.asked_at = now - milliseconds(500);
  v.last_stream_seq = 7;
  EXPECT_EQ(ReplicaLagMillis(v, 7, started, now), 0);  // Has everything the stream held.
  v.behind_since = now - milliseconds(4000);
  EXPECT_EQ(ReplicaLagMillis(v, 6, started, now), 4000);
  v.reachable = false;  // Cut off: at least since the stream last answered, or the oldest unapplied.
  EXPECT_EQ(ReplicaLagMillis(v, 6, started, now), 4000);
  v.behind_since.reset();
  EXPECT_EQ(ReplicaLagMillis(v, 7, started, now), 500);
}

TEST(ReplicationStateTest, AReplicaServesWithinItsLagBoundAndNeverOnceItLostTheStream) {
  ReplicationState replica(ReplicationRole::kReplica);
  replica.set_max_lag(milliseconds(2000));
  StreamView v;
  v.reachable = true;
  v.asked_at = system_clock::now();
  v.last_stream_seq = 3;
  replica.Advance(3, 3);
  replica.SetStream(v);
  EXPECT_TRUE(replica.Serving().ok());
  v.last_stream_seq = 5;
  v.behind_since = system_clock::now() - milliseconds(3000);
  replica.SetStream(v);
  const Status behind = replica.Serving();
  EXPECT_EQ(behind.code(), Status::Code::kUnavailable);
  EXPECT_NE(behind.message().find("2000 ms --max-replica-lag"), std::string::npos) << behind.message();
  EXPECT_EQ(replica.Snapshot().lag_messages, 2);
  replica.Advance(4, 5);
  EXPECT_TRUE(replica.Serving().ok());  // Caught up with what the stream held.
  replica.SetLost(Status::FailedPrecondition("re-seed it"));
  EXPECT_EQ(replica.Serving().code(), Status::Code::kFailedPrecondition);
  ReplicationState primary(ReplicationRole::kPrimary);
  EXPECT_TRUE(primary.Serving().ok());
}

}  // namespace
}  // namespace heluo
