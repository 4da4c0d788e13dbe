// What the HTTP face hands on to the gRPC services with each call it makes through the server's in-process
// channel: the caller's bearer token (so the services' own Authorizer decides, exactly as for gRPC clients)
// and the HTTP client's address (so log lines name the real client; see server/service/caller.h). And the
// one place an HTTP request body is read into memory, bounded like a gRPC message (--max-message-mib).
#ifndef HELUO_SERVER_HTTP_FORWARDING_H_
#define HELUO_SERVER_HTTP_FORWARDING_H_

#include <grpcpp/client_context.h>
#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>

#include "server/service/call_context.h"

namespace heluo::http {

// The CallContext (server/service/call_context.h) of an HTTP request whose method body the adapter calls
// directly: the same credential, x-heluo-min-sequence and peer as ForwardCaller sends through the in-process
// channel, read by the same code, so the services' Authorizer, Audit and request log see an HTTP call alike
// either way. The HTTP face cannot tell that a client went away mid-call (httplib does not say), as the
// in-process channel could not either: the call runs to its deadline.
//
// Thread-safety: one per request. Owns the strings its CallContext views, so it is neither copied nor moved.
class HttpCall {
 public:
  HttpCall() = default;
  HttpCall(const HttpCall&) = delete;
  HttpCall& operator=(const HttpCall&) = delete;

  // Reads the caller of `req` (`token` as for ForwardCaller). False, with `res` set, as ForwardCaller.
  bool Read(const httplib::Request& req, const std::optional<std::string>& token,
            std::chrono::system_clock::time_point deadline, httplib::Response& res);
  const CallContext& call() const { return call_; }

 private:
  std::string authorization_, min_sequence_, peer_;
  CallContext call_;
};

// Fills `context` for a call on behalf of `req`. `token`, when given, is used instead of the Authorization
// header (LibreTranslate clients send their key as api_key). False, with `res` set to 401, when the
// credential cannot be sent as gRPC metadata (not printable ASCII).
bool ForwardCaller(const httplib::Request& req, const std::optional<std::string>& token,
                   grpc::ClientContext* context, httplib::Response& res);

// Read-your-writes over HTTP (docs/replication.md): ForwardCaller passes an `X-Heluo-Min-Sequence` request
// header on as x-heluo-min-sequence; this copies the server's x-heluo-commit-sequence of a finished call
// into the `X-Heluo-Commit-Sequence` response header.
void ReturnCommitSequence(const grpc::ClientContext& context, httplib::Response& res);

// Reads the whole body of `req` into *body. False with `res` set: 413 past max_bytes (the rest is read and
// dropped, so an oversized body is never held), 400 when the client went away mid-body.
bool ReadBody(const httplib::ContentReader& reader, size_t max_bytes, std::string* body,
              httplib::Response& res);

// The query parameter `name` is "true" or "1".
bool QueryFlag(const httplib::Request& req, const std::string& name);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_FORWARDING_H_
