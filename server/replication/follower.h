// Follower: runs a replica's Applier on a thread of its own for the life of the server
// (docs/replication.md). Applies what arrives; while NATS cannot be reached it waits (100 ms doubling to
// 5 s) and tries again; once the stream has lost messages the replica needs, it stops for good.
#ifndef HELUO_SERVER_REPLICATION_FOLLOWER_H_
#define HELUO_SERVER_REPLICATION_FOLLOWER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "server/core/status.h"
#include "server/replication/applier.h"

namespace heluo {

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

 private:
  void Run();

  Applier* applier_;
  std::function<void()> after_apply_;
  std::function<void(const Status&)> on_state_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_FOLLOWER_H_
