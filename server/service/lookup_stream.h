// The body of TranslationMemory.LookupStream (pre-translating a document): lookups run on several worker
// threads at once, so a long document uses every core, while the answers still leave in request order and
// memory stays bounded — at most `window` requests are between being read and their answer being written
// (gRPC flow control holds the client back beyond that).
//
// Three threads of one call share the work: a reader (Read), `workers` lookup threads, and the caller's
// thread, which writes the answers in order. For the idle watchdog (stream_guard.h) the stream waits on its
// client while a Write is blocked, or while the reader waits for a request and no answer is pending — time
// the server spends matching is never idle time.
//
// A lookup that fails ends the stream with its status, INVALID_ARGUMENT naming the request's index. If the
// client is then still holding the stream open without sending (a client that waits for each answer before
// sending the next request), the call is cancelled after kReaderGrace so that no thread is left blocked in
// Read; such a client sees CANCELLED (the server's log line has the reason).
#ifndef HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_
#define HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstddef>
#include <functional>

#include "heluo/v1/translation_memory.pb.h"
#include "server/core/translation_memory.h"

namespace heluo {

struct LookupStreamLimits {
  size_t window = 32;  // Requests read and not yet answered, at most.
  size_t workers = 0;  // Lookup threads; 0: one per core.
};

inline constexpr std::chrono::milliseconds kReaderGrace{500};

// What the pipeline needs from the call; the service adapts the gRPC stream and its guard, tests their own.
class LookupStreamIo {
 public:
  virtual ~LookupStreamIo() = default;
  virtual bool Read(v1::LookupRequest* request) = 0;  // false: the client half-closed, or the call ended.
  virtual bool Write(const v1::LookupResponse& response) = 0;
  virtual void SetWaiting(bool waiting) = 0;  // Waiting on the client (the idle watchdog's clock).
  virtual void Cancel() = 0;                  // Ends the call: a blocked Read returns false.
  virtual std::function<bool()> CancelledOrExpired() = 0;  // A fresh poll for one lookup.
};

struct LookupStreamOutcome {
  grpc::Status status;       // OK, or why a lookup failed.
  bool ended_early = false;  // A Write failed: the call was cancelled or its client went away.
  int64_t answered = 0;      // Responses written.
};

LookupStreamOutcome RunLookupStream(const TranslationMemory& tm, LookupStreamIo& io,
                                    const LookupStreamLimits& limits);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_LOOKUP_STREAM_H_
