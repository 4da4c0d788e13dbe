// Follower: runs a replica's Applier on a thread of its own for the life of the server
// (docs/replication.md). Applies what arrives; while NATS cannot be reached it waits (100 ms doubling to
// 5 s) and tries again; once the stream has lost messages the replica needs, it stops for good.
// State() tells the rest of the server (health, Admin.Stats, the read refusal) where it is.
#ifndef HELUO_SERVER_REPLICATION_FOLLOWER_H_
#define HELUO_SERVER_REPLICATION_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "server/core/status.h"
#include "server/replication/applier.h"

namespace heluo {

struct FollowerState {
  AppliedPosition applied;  // The last commit applied (read from the store at Start(), then after each one).
  std::chrono::system_clock::time_point applied_at{};  // When this process applied it (epoch: not yet).
  // OK: following; UNAVAILABLE: NATS cannot be reached (retrying); FAILED_PRECONDITION: the stream lost
  // messages this replica needs — permanent, the message says how to re-seed.
  Status status;
};

// Why a replica in `state` must not serve reads: the stream lost messages it needs (its content is stale for
// good, the status says how to re-seed); OK otherwise — NATS being away only delays it.
inline Status RefusalOfReads(const FollowerState& state) {
  return state.status.code() == Status::Code::kFailedPrecondition ? state.status : Status::Ok();
}

class Follower {
 public:
  // after_apply: called on the follower's thread after commits were applied (e.g. the term recognizer's
  // rebuild). on_state: called when the follower's state changes (OK again, NATS away, stream lost).
  Follower(Applier* applier, std::function<void()> after_apply, std::function<void(const Status&)> on_state)
      : applier_(applier), after_apply_(std::move(after_apply)), on_state_(std::move(on_state)) {}
  ~Follower() { Stop(); }
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  void Start();
  void Stop();
  // Thread-safe; no store access.
  FollowerState State() const;

 private:
  void Run();

  Applier* applier_;
  std::function<void()> after_apply_;
  std::function<void(const Status&)> on_state_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  FollowerState state_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_FOLLOWER_H_
