// StreamRegistry: admits the streaming calls (LookupStream, Import, ImportGlossary, Export, ExportGlossary,
// DownloadBackup) and ends those whose client stalls, so that no client, slow or hostile, can hold the
// server's threads, snapshots or spool files for long.
//  - At most max_total streams at once server-wide, and at most max_per_client from one client: the token's
//    name when the call is authenticated, the peer's IP address otherwise (so many anonymous clients behind
//    one address share its quota). One more is refused at once with RESOURCE_EXHAUSTED naming the limit's
//    flag, rather than queued.
//  - A stream that has waited on its client (for the next message, or for room to send one: HTTP/2 flow
//    control) longer than idle_timeout is ended by a watchdog thread (EndCall): the call's pending Read or
//    Write fails, so the method returns and releases what it held, and the client is told why. Time the server spends
//    working (parsing an import, matching) is not idle time.
//
// Thread-safety: all methods may be called from any thread.
#ifndef HELUO_SERVER_SERVICE_STREAM_GUARD_H_
#define HELUO_SERVER_SERVICE_STREAM_GUARD_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "server/core/auth/token_store.h"

namespace heluo {

struct StreamPolicy {
  int max_total = 64;                            // --max-streams
  int max_per_client = 16;                       // --max-streams-per-client
  std::chrono::milliseconds idle_timeout{60000};  // --stream-idle-timeout
};

class StreamRegistry {
  struct Entry {
    grpc::ServerContext* context;
    std::string client;
    std::chrono::steady_clock::time_point waiting_since;
    bool waiting = false;
    bool ended_idle = false;
  };

 public:
  explicit StreamRegistry(StreamPolicy policy);
  ~StreamRegistry();
  StreamRegistry(const StreamRegistry&) = delete;
  StreamRegistry& operator=(const StreamRegistry&) = delete;

  // One admitted stream; leaves the registry when destroyed.
  class Stream {
   public:
    Stream(Stream&& other) noexcept;
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream();
    bool ok() const { return registry_ != nullptr; }
    // Why the stream was not admitted (REQUIRES: !ok()).
    const grpc::Status& refusal() const { return refusal_; }
    // Runs `op` (one Read or Write on the call) as time spent waiting on the client.
    template <typename Op>
    bool AwaitClient(Op&& op) {
      SetWaiting(true);
      const bool done = op();
      SetWaiting(false);
      return done;
    }
    // Marks the stream as waiting on its client or not, for a method that reads and writes on separate
    // threads (lookup_stream.h) and so cannot wrap each operation in AwaitClient.
    void SetWaiting(bool waiting);
    // True once the watchdog ended the stream for idleness.
    bool ended_idle() const;
    // The status a method returns when its Read/Write failed: CANCELLED, saying why.
    grpc::Status Ended() const;

   private:
    friend class StreamRegistry;
    Stream(StreamRegistry* registry, std::list<Entry>::iterator entry) : registry_(registry), entry_(entry) {}
    explicit Stream(grpc::Status refusal) : refusal_(std::move(refusal)) {}
    StreamRegistry* registry_ = nullptr;
    std::list<Entry>::iterator entry_;
    grpc::Status refusal_;
  };

  // Admits a stream of `who` (see ClientOf) or refuses it.
  Stream Admit(grpc::ServerContext* context, const std::string& client);
  const StreamPolicy& policy() const { return policy_; }

 private:
  void Watch();

  const StreamPolicy policy_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::list<Entry> entries_;
  std::map<std::string, int> per_client_;
  std::thread watchdog_;
};

// Ends the call now with `why` as the status its client receives, from any thread: a pending Read or Write
// of the method fails, as with ServerContext::TryCancel. TryCancel would tell the client only "Cancelled on
// the server side", and the status a method returns after its Read or Write failed never reaches the
// client; so a stream ended for a reason carries the reason here. (Trailers are not flow-controlled: they
// reach even a client whose windows are full.)
void EndCall(grpc::ServerContext* context, const grpc::Status& why);

// The identity a per-client limit counts: "token <name>" for an authenticated principal, else "peer <ip>"
// (the peer's address without its port).
std::string ClientOf(const grpc::ServerContext* context, const Principal& who);
// The peer's address without its port ("ipv4:127.0.0.1", "ipv6:[::1]").
std::string PeerHost(const grpc::ServerContext* context);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_STREAM_GUARD_H_
