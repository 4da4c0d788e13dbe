// Publisher: the primary's side of replication (docs/replication.md). Sends the outbox of its store to the
// change stream in commit order — each commit one message, or bounded parts of a large one — and trims the
// rows JetStream has acknowledged.
//
// Message ids are "<commit sequence>.<part>", so a row sent again after a crash between the acknowledgement
// and the trim is dropped by JetStream's de-duplication (and, past its window, skipped by the replica,
// which knows the last sequence it applied).
//
// Thread-safety: PublishPending() from one thread at a time; Start() runs it on a thread of its own.
#ifndef HELUO_SERVER_REPLICATION_PUBLISHER_H_
#define HELUO_SERVER_REPLICATION_PUBLISHER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/replication/change_stream.h"

namespace heluo {

// Headers of a change message.
inline constexpr const char* kCommitSequenceHeader = "Heluo-Commit-Seq";
inline constexpr const char* kPartHeader = "Heluo-Part";  // "k/n", 1-based.
// Payload bytes per message: under NATS' default max_payload of 1 MiB with room for the headers.
inline constexpr size_t kMaxPartBytes = 1000 * 1000;

class Publisher {
 public:
  Publisher(Store* store, ChangeStream* stream) : store_(store), stream_(stream) {}
  ~Publisher() { Stop(); }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Publishes every outbox row there is now, oldest first, trimming as it goes. Returns how many commits
  // were published; UNAVAILABLE (the rest left in the outbox) when NATS cannot be reached.
  Result<size_t> PublishPending();

  // Publishes in the background: at once when Notify() says a commit happened, and every `interval`
  // anyway; after a failure it waits from 100 ms doubling up to 5 s. Stop() ends the thread.
  void Start(std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  void Notify();
  void Stop();

  uint64_t last_published() const { return last_published_.load(); }

 private:
  Status PublishRow(uint64_t sequence, std::string_view log);
  void Run(std::chrono::milliseconds interval);

  Store* store_;
  ChangeStream* stream_;
  std::atomic<uint64_t> last_published_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_PUBLISHER_H_
