// What every command shares: the global options, one channel to heluo-server, the per-call context (deadline
// and credentials) and the exit statuses.
#ifndef HELUO_CLIENT_CONNECTION_H_
#define HELUO_CLIENT_CONNECTION_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace heluo::cli {

// Exit statuses (see README): 0 success; 1 nothing found; 2 bad usage or a refused request; 3 unreachable;
// 4 a local file could not be written or verified.
constexpr int kNothingFound = 1;
constexpr int kRejected = 2;
constexpr int kUnreachable = 3;
constexpr int kLocalFailure = 4;

struct Options {
  std::string server = "127.0.0.1:50051";  // One address, a comma-separated list, or dns:///NAME:PORT.
  std::string primary;                     // Where writes go; empty: the first address of `server`.
  bool json = false;
  int timeout_ms = 5000;
  std::string token;            // Bearer token sent on every call (or $HELUO_TOKEN).
  std::string tls_ca;           // PEM CA that signed the server's certificate: connect over TLS.
  std::string tls_server_name;  // Name to verify in the certificate when it differs from the host.
  std::string tls_cert;         // PEM client certificate chain, for servers that require mutual TLS.
  std::string tls_key;          // PEM private key of tls_cert.
};

// A context for one unary call: the --timeout-ms deadline and the token. Every call carries the token,
// reads included: a server started with --require-token-for-reads refuses reads without one.
void PrepareCall(grpc::ClientContext* ctx, const Options& o);
// A context for a stream or a long call: the token, no deadline (it runs as long as the data needs).
void Authorize(grpc::ClientContext* ctx, const Options& o);

// Prints what went wrong and returns the exit status for it.
int ReportError(const grpc::Status& status, const Options& o);

// Read replicas (docs/replication.md, "Clients"): reads go to every address of --server in turn (gRPC's
// round_robin policy; a list, or every address a dns:/// name resolves to), writes to --primary or else the
// first address given. With one address both are the same channel, as before.
struct Channels {
  std::shared_ptr<grpc::Channel> reads;
  std::shared_ptr<grpc::Channel> writes;
};

// The channels for --server and --primary with the credentials the options ask for; null (after a message)
// when a TLS file cannot be read or an address of the list cannot be resolved.
Channels Connect(const Options& o);

}  // namespace heluo::cli

#endif  // HELUO_CLIENT_CONNECTION_H_
