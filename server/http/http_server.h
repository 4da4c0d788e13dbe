// HttpServer: heluo's HTTP/1.1 listener (cpp-httplib), serving the JSON API, the streaming transfers, and
// the LibreTranslate and tmserver protocols. Every route is an adapter: a unary route calls the services'
// method bodies directly on its worker thread with the request's CallContext (direct_call.h); a streaming
// one calls the gRPC services through the server's in-process channel, forwarding the caller's token and
// address (forwarding.h). Either way authorization, validation, limits, matching, metrics and log lines are
// the services' own.
//
// Thread-safety: Start and Stop from one thread; requests are served on httplib's worker pool.
#ifndef HELUO_SERVER_HTTP_HTTP_SERVER_H_
#define HELUO_SERVER_HTTP_HTTP_SERVER_H_

#include <grpcpp/channel.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "server/core/status.h"
#include "server/http/json_api.h"
#include "server/http/router.h"

namespace httplib {
class Server;
}

namespace heluo::http {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port.
  std::string tls_cert, tls_key;          // PEM files, as for gRPC: HTTPS when set.
  std::string tls_client_ca;              // Require and verify client certificates.
  size_t max_upload_bytes = size_t{1}
                            << 30;  // --max-import-mib; the services enforce it, this stops httplib first.
  int threads = 64;                 // Connections served at once (keep-alive holds one each).
  int idle_timeout_seconds = 30;    // A client silent this long, mid-request or between requests, is cut.
  ApiOptions api;
};

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; the bound port in *port. InvalidArgument for a bad address or unreadable TLS
  // files, FailedPrecondition when the address is in use.
  Status Start(const HttpServerOptions& options, int* port);
  // Stops accepting, finishes requests in flight.
  void Stop();

 private:
  HttpServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<Router> router_;  // Its error handler runs for the server's lifetime.
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};  // Set by thread_ when listen_after_bind returns.
};

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_HTTP_SERVER_H_
