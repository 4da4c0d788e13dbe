// CallContext: what a service method's body needs to know about the call it serves, whichever face the
// call came in through — gRPC (sync or callback API) or the HTTP adapter (server/http/), which calls the
// same bodies on its own worker thread. The caller's credential, the read-your-writes sequence it asks
// for, its deadline, whether it went away, and who it is for log lines. Authorizer::Check (auth.h), the
// call limits (call_limits.h), Audit (audit.h) and the request log (metrics.h) read the call only from
// here, so a check or a log line cannot differ between faces.
//
// The answer's side of a call — its metrics and request-log line (RecordCall, metrics.h) and the commit
// sequence a replicating server sends back (commit_sequence.h) — is written by the face when the call ends:
// gRPC's interceptors for gRPC calls, the HTTP adapter for its own.
//
// A CallContext views strings owned by the face (gRPC's metadata, the HTTP adapter's copies): it must not
// outlive the call it was built for. Thread-safety: read-only once built.
#ifndef HELUO_SERVER_SERVICE_CALL_CONTEXT_H_
#define HELUO_SERVER_SERVICE_CALL_CONTEXT_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace heluo {

struct CallContext {
  // The `authorization` the caller sent ("Bearer <token>"), verbatim; nullopt when it sent none.
  std::optional<std::string_view> authorization;
  // The `x-heluo-min-sequence` it sent (docs/replication.md), verbatim: the Authorizer reads the number.
  std::optional<std::string_view> min_sequence;
  // When the caller stops waiting; max() when it set no deadline.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // Whether the caller went away. May take a lock: poll it sparingly. Unset: the face cannot tell.
  std::function<bool()> cancelled;
  // Who called, for log lines ("ipv4:127.0.0.1:50412", "http:127.0.0.1:50412"), computed only when a line
  // is written.
  std::function<std::string()> peer;

  bool IsCancelled() const { return cancelled && cancelled(); }
  std::string Peer() const { return peer ? peer() : "unknown"; }
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_CALL_CONTEXT_H_
