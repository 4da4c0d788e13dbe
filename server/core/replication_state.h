// ReplicationState: where this server stands in replication (docs/replication.md, "Read-your-writes" and
// "Visibility"), shared by the parts that change it — the primary's commits, the replica's applier, the
// monitor that asks the stream how far it goes — and the parts that read it: read-your-writes waits,
// Admin.Stats, health and the log. A standalone server has none.
//
// Sequences are the primary's commit sequences (dense: 1, 2, 3, …). On a primary `sequence()` is the last
// one committed; on a replica the last one applied. It only grows, so a read that waited for N sees N or
// later.
//
// Thread-safety: every method may be called from any thread.
#ifndef HELUO_SERVER_CORE_REPLICATION_STATE_H_
#define HELUO_SERVER_CORE_REPLICATION_STATE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

enum class ReplicationRole { kPrimary, kReplica };

const char* ReplicationRoleName(ReplicationRole role);

// What the stream holds, as last asked (the monitor, about once a second).
struct StreamView {
  bool reachable = false;      // The last question was answered.
  std::string error;           // Why not, when it was not.
  uint64_t last_stream_seq = 0;  // The stream's newest message: the primary's latest known position.
  // When the oldest message this replica has not applied was stored in the stream (none: caught up).
  std::optional<std::chrono::system_clock::time_point> behind_since;
  std::chrono::system_clock::time_point asked_at{};  // When the stream last answered.
};

struct ReplicationSnapshot {
  ReplicationRole role = ReplicationRole::kPrimary;
  uint64_t sequence = 0;         // Committed (primary) or applied (replica).
  uint64_t applied_stream_seq = 0;  // Replica: the stream message that completed `sequence`.
  StreamView stream;
  int64_t lag_messages = 0;      // Replica: stream messages not applied yet (a large commit is several).
  int64_t lag_ms = 0;            // Replica: how old the oldest change not applied is (see Lag()).
  std::string lost;              // Replica: why it stopped following for good; empty while it follows.
  std::chrono::milliseconds max_lag{0};  // Replica: the bound of Serving().
  Status serving;                // Serving() at the snapshot's time.
};

class ReplicationState {
 public:
  explicit ReplicationState(ReplicationRole role) : role_(role) {}
  ~ReplicationState();
  ReplicationState(const ReplicationState&) = delete;
  ReplicationState& operator=(const ReplicationState&) = delete;

  ReplicationRole role() const { return role_; }

  // The primary after each commit, the replica after each applied commit (and with its recorded position
  // when it starts following). Wakes the reads waiting for it.
  void Advance(uint64_t sequence, uint64_t stream_seq = 0);
  uint64_t sequence() const { return sequence_.load(std::memory_order_acquire); }

  // Read-your-writes. True when `wanted` is reached by `deadline` (at once on a primary: its own commits
  // are all there is). Blocks the calling thread on a condition variable, no polling.
  bool WaitFor(uint64_t wanted, std::chrono::system_clock::time_point deadline) const;
  // The same without holding a thread: runs `then` once `wanted` is reached or `deadline` passed — at once
  // on this thread if it already is, otherwise later on this object's one dispatch thread (which `then`
  // must not block for long). For callback-API handlers, whose threads must not wait.
  void WhenReached(uint64_t wanted, std::chrono::system_clock::time_point deadline, std::function<void()> then);
  // At shutdown: every wait ends now (unreached), deferred calls run at once, and later ones do not wait.
  void ReleaseWaiters();

  // The replica's applier: the stream no longer holds what it needs (permanent).
  void SetLost(const Status& why);
  Status lost() const;

  void SetStream(const StreamView& view);
  // A replica whose lag passes `max` is not serving (health NOT_SERVING); set once, before serving.
  void set_max_lag(std::chrono::milliseconds max) { max_lag_ = max; }
  // OK on a primary, and on a replica that follows the stream within max_lag; otherwise why not.
  Status Serving(std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
  // Everything Admin.Stats and the log show, taken together.
  ReplicationSnapshot Snapshot(std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

 private:
  struct Waiter {
    uint64_t wanted;
    std::function<void()> then;
  };
  void Dispatch();

  const ReplicationRole role_;
  const std::chrono::system_clock::time_point created_ = std::chrono::system_clock::now();
  std::chrono::milliseconds max_lag_{30000};
  std::atomic<uint64_t> sequence_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable advanced_;
  uint64_t applied_stream_seq_ = 0;
  Status lost_;
  StreamView stream_;
  // WhenReached's deferred calls by deadline, and the thread that runs them (started on first use).
  std::multimap<std::chrono::system_clock::time_point, Waiter> waiters_;
  std::condition_variable waiters_changed_;
  bool stopping_ = false;
  std::thread dispatcher_;
};

// The replica's lag in milliseconds at `now`: 0 when it had applied everything the stream held when last
// asked; otherwise the age of the oldest change it has not applied. While the stream cannot be asked, a
// replica cannot know what it misses, so the lag counts from the last moment the stream answered (or from
// `started`, if it never did).
int64_t ReplicaLagMillis(const StreamView& stream, uint64_t applied_stream_seq,
                         std::chrono::system_clock::time_point started, std::chrono::system_clock::time_point now);

// The state of a primary (`primary`), of a replica (`replica`) whose health fails past `max_lag_seconds`, or
// null for a standalone server.
std::unique_ptr<ReplicationState> MakeReplicationState(bool primary, bool replica, double max_lag_seconds);

// A primary's state starts at the store's last commit sequence (nothing for any other).
Status AdvanceToCommitted(const Store& store, ReplicationState* state);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_REPLICATION_STATE_H_
