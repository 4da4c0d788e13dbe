// ChangeStream: heluo's replicated change log, kept by NATS JetStream (docs/replication.md).
//
// The primary publishes each change record with a message id (JetStream drops a re-sent id inside its
// duplicate window, so a publisher that crashed between publishing and forgetting a record can send it
// again); a replica reads the stream in order from the stream sequence after the last one it applied. This
// class knows nothing of terms or segments: payloads are opaque bytes, headers small strings.
//
// Thread-safety: one ChangeStream may be used from several threads (the NATS client's connection is
// thread-safe); a ChangeReader from one thread at a time.
#ifndef HELUO_SERVER_REPLICATION_CHANGE_STREAM_H_
#define HELUO_SERVER_REPLICATION_CHANGE_STREAM_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/core/status.h"
#include "server/replication/nats_handles.h"

namespace heluo {

struct ChangeStreamOptions {
  std::string url;               // nats://HOST:PORT
  std::string stream = "HELUO";  // JetStream stream name.
  std::string subject = "heluo.changes";
  // Limits of a stream this process creates (an existing stream keeps its own): what the stream forgets,
  // a replica that was away cannot get back from it.
  std::chrono::seconds max_age{7 * 24 * 3600};
  int64_t max_bytes = int64_t{10} << 30;
  // Bounds connecting and every JetStream request (publish acknowledgement, stream info).
  std::chrono::milliseconds timeout{5000};
  // Connect() succeeds even when no server answers yet and keeps trying in the background (a primary must
  // start and take writes while NATS is away; its outbox holds them).
  bool connect_in_background = false;
};

using MessageHeaders = std::map<std::string, std::string>;

struct PublishAck {
  uint64_t stream_seq = 0;  // Where the message is in the stream (the first copy's, for a duplicate).
  bool duplicate = false;   // JetStream already had a message with this id.
};

struct StreamState {
  uint64_t first_seq = 0;  // The oldest message the stream still holds (0 when empty).
  uint64_t last_seq = 0;   // The newest message ever stored (kept after a purge).
  uint64_t messages = 0;
};

struct StreamMessage {
  uint64_t stream_seq = 0;
  std::string payload;
  MessageHeaders headers;  // The first value of each header.
};

class ChangeReader;

class ChangeStream {
 public:
  // Connects (UNAVAILABLE when no server answers within options.timeout). The client reconnects by itself
  // afterwards; requests made while it is away fail with UNAVAILABLE after options.timeout.
  static Result<std::unique_ptr<ChangeStream>> Connect(const ChangeStreamOptions& options);

  // Creates the stream (file storage, options' limits, subject) if it does not exist; an existing stream
  // must carry options.subject (FAILED_PRECONDITION otherwise: two deployments sharing a name).
  Status EnsureStream();
  // Publishes `payload` with the Nats-Msg-Id header `msg_id` and `headers`, and waits for JetStream's
  // acknowledgement: when this returns OK the message is stored.
  Result<PublishAck> Publish(std::string_view msg_id, std::string_view payload,
                             const MessageHeaders& headers = {});
  Result<StreamState> State();
  // When the stream stored its message `seq` (NOT_FOUND when it no longer holds it): how old the oldest
  // change a replica has not applied is.
  Result<std::chrono::system_clock::time_point> MessageTime(uint64_t seq);
  // A reader of the stream's messages from `start_seq` on (1 or 0: from the oldest held). Messages the
  // stream no longer holds are skipped by JetStream; compare StreamMessage::stream_seq with what you
  // expected to notice that.
  Result<std::unique_ptr<ChangeReader>> ReadFrom(uint64_t start_seq);

  const ChangeStreamOptions& options() const { return options_; }

 private:
  ChangeStream(ChangeStreamOptions options, NatsConnectionPtr connection, JsContextPtr js)
      : options_(std::move(options)), connection_(std::move(connection)), js_(std::move(js)) {}
  jsOptions RequestOptions() const;

  ChangeStreamOptions options_;
  NatsConnectionPtr connection_;  // Declared before js_: the context is destroyed first.
  JsContextPtr js_;
};

class ChangeReader {
 public:
  // The next message in stream order, or nullopt when none arrived within `timeout`.
  Result<std::optional<StreamMessage>> Next(std::chrono::milliseconds timeout);

 private:
  friend class ChangeStream;
  explicit ChangeReader(NatsSubscriptionPtr subscription) : subscription_(std::move(subscription)) {}
  NatsSubscriptionPtr subscription_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_CHANGE_STREAM_H_
