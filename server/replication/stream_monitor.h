// StreamMonitor: asks the change stream, about once a second, how far it goes — the primary's latest known
// position — and, on a replica that is behind, how old the oldest message it has not applied is; puts the
// answers into the ReplicationState that Admin.Stats, health and the log read (docs/replication.md,
// "Visibility"). Its own thread: a stream that does not answer holds up only this question (for the
// stream's request timeout), never a call or the server's main loop.
#ifndef HELUO_SERVER_REPLICATION_STREAM_MONITOR_H_
#define HELUO_SERVER_REPLICATION_STREAM_MONITOR_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "server/core/replication_state.h"
#include "server/replication/applier.h"
#include "server/replication/change_stream.h"

namespace heluo {

class StreamMonitor {
 public:
  // `report` is called with the state every `report_every` on a replica (the periodic log line).
  StreamMonitor(ChangeStream* stream, ReplicationState* state, std::function<void(const ReplicationSnapshot&)> report,
                std::chrono::milliseconds interval = std::chrono::milliseconds(1000),
                std::chrono::milliseconds report_every = std::chrono::milliseconds(60000))
      : stream_(stream), state_(state), report_(std::move(report)), interval_(interval), report_every_(report_every) {}
  ~StreamMonitor() { Stop(); }
  StreamMonitor(const StreamMonitor&) = delete;
  StreamMonitor& operator=(const StreamMonitor&) = delete;

  void Start();
  void Stop();
  // One question to the stream (what the thread does each interval).
  void Tick();

 private:
  void Run();

  ChangeStream* stream_;
  ReplicationState* state_;
  std::function<void(const ReplicationSnapshot&)> report_;
  const std::chrono::milliseconds interval_, report_every_;
  StreamView view_;
  uint64_t behind_message_ = 0;  // The message behind_since is the time of.
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// A started monitor of `stream` for `state`, or null when either is (a standalone server).
std::unique_ptr<StreamMonitor> StartStreamMonitor(ChangeStream* stream, ReplicationState* state,
                                                  std::function<void(const ReplicationSnapshot&)> report);

// Tells a replica's `state` the position its store records (at start, and after the follower made what it
// applied visible everywhere: the recognizer and checker reloaded). Nothing when `state` is null.
void AdvanceToApplied(const Applier& applier, ReplicationState* state);

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_STREAM_MONITOR_H_
