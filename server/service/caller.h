// Who made a call, for log lines: the transport peer ("ipv4:127.0.0.1:50412"), or, for a call that the HTTP
// face made through the server's in-process channel, the HTTP client's address it forwarded in the
// `x-heluo-http-peer` metadata. That metadata is believed only on the in-process channel, where nobody but
// the HTTP face can send it; over TCP a client could claim any address.
#ifndef HELUO_SERVER_SERVICE_CALLER_H_
#define HELUO_SERVER_SERVICE_CALLER_H_

#include <grpcpp/server_context.h>

#include <string>

namespace heluo {

inline constexpr char kHttpPeerMetadata[] = "x-heluo-http-peer";

std::string CallerPeer(const grpc::ServerContextBase& context);

// How a log line names an HTTP client at `address` ("127.0.0.1:50412" → "http:127.0.0.1:50412"), whichever
// way its call reached the services.
inline std::string HttpPeer(const std::string& address) { return "http:" + address; }

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_CALLER_H_
