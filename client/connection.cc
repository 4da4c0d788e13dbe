#include "client/connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <vector>

namespace heluo::cli {

void Authorize(grpc::ClientContext* ctx, const Options& o) {
  if (!o.token.empty()) ctx->AddMetadata("authorization", "Bearer " + o.token);
}

void PrepareCall(grpc::ClientContext* ctx, const Options& o) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeout_ms));
  Authorize(ctx, o);
}

int ReportError(const grpc::Status& status, const Options& o) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "heluo: cannot reach heluo-server at " << o.server << " (" << status.error_message()
              << "). Is it running? Start it with heluo-server, or pass "
                 "--server HOST:PORT."
              << std::endl;
    return kUnreachable;
  }
  std::cerr << "heluo: the server refused the request: " << status.error_message() << std::endl;
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? kNothingFound : kRejected;
}

namespace {

// The whole of a PEM file named by `flag`, or false after saying which file could not be read.
bool ReadPem(const std::string& path, const char* flag, std::string* pem) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  *pem = text.str();
  if (!in || pem->empty()) {
    std::cerr << "heluo: cannot read " << flag << " " << path << std::endl;
    return false;
  }
  return true;
}

// HOST:PORT split at the last colon, the host without IPv6 brackets.
bool SplitHostPort(const std::string& address, std::string* host, std::string* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  return true;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// gRPC's target for a fixed list of servers, "ipv4:A:P,B:P" (or "ipv6:[A]:P,…"): one backend per address,
// which round_robin takes in turn. Host names are resolved here, once; one address family for all (gRPC's
// static targets take one), IPv4 when every host has one. Empty after a message when a host cannot be used.
std::string StaticTarget(const std::vector<std::string>& addresses) {
  std::vector<std::string> v4, v6;
  for (const std::string& address : addresses) {
    std::string host, port;
    if (!SplitHostPort(address, &host, &port)) {
      std::cerr << "heluo: --server " << address << " is not HOST:PORT" << std::endl;
      return "";
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
      std::cerr << "heluo: cannot resolve " << host << " (--server " << address << ")" << std::endl;
      return "";
    }
    std::string four, six;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      if (a->ai_family == AF_INET && four.empty()) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr, text, sizeof text);
        four = std::string(text) + ":" + port;
      } else if (a->ai_family == AF_INET6 && six.empty()) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr, text, sizeof text);
        six = "[" + std::string(text) + "]:" + port;
      }
    }
    freeaddrinfo(found);
    v4.push_back(four);
    v6.push_back(six);
  }
  auto joined = [](const char* scheme, const std::vector<std::string>& list) {
    std::string target = scheme;
    for (size_t i = 0; i < list.size(); ++i) target += (i == 0 ? "" : ",") + list[i];
    return target;
  };
  auto complete = [](const std::vector<std::string>& list) {
    return std::none_of(list.begin(), list.end(), [](const std::string& a) { return a.empty(); });
  };
  // A fresh channel's first call goes to the backend that is ready first, in practice the first listed; each
  // `heluo` run makes one or a few calls, so the list is shuffled per run to spread runs over the servers too.
  std::vector<size_t> order(addresses.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(std::random_device()()));
  auto reordered = [&](const std::vector<std::string>& list) {
    std::vector<std::string> out;
    for (size_t i : order) out.push_back(list[i]);
    return out;
  };
  if (complete(v4)) return joined("ipv4:", reordered(v4));
  if (complete(v6)) return joined("ipv6:", reordered(v6));
  std::cerr << "heluo: the addresses of --server mix IPv4-only and IPv6-only hosts; list one family" << std::endl;
  return "";
}

}  // namespace

Channels Connect(const Options& o) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    std::cerr << "heluo: --tls-cert and --tls-key go together (the client certificate and its key)"
              << std::endl;
    return {};
  }
  const std::vector<std::string> list = SplitList(o.server);
  const bool tls = !o.tls_ca.empty() || !o.tls_cert.empty();
  if (tls) {
    grpc::SslCredentialsOptions options;  // An empty pem_root_certs means the system's roots.
    if (!o.tls_ca.empty() && !ReadPem(o.tls_ca, "--tls-ca", &options.pem_root_certs)) return {};
    if (!o.tls_cert.empty() && (!ReadPem(o.tls_cert, "--tls-cert", &options.pem_cert_chain) ||
                                !ReadPem(o.tls_key, "--tls-key", &options.pem_private_key))) {
      return {};
    }
    credentials = grpc::SslCredentials(options);
    if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
  }
  // The one-address case stays exactly as it was: one channel for everything.
  const bool spread = list.size() > 1 || o.server.rfind("dns:", 0) == 0;
  std::string primary = !o.primary.empty() ? o.primary : list.size() > 1 ? list.front() : o.server;
  if (!spread && primary == o.server) {
    auto channel = grpc::CreateCustomChannel(o.server, credentials, args);
    return {channel, channel};
  }
  auto writes = grpc::CreateCustomChannel(primary, credentials, args);
  std::string reads_target = o.server;
  if (list.size() > 1) {
    reads_target = StaticTarget(list);
    if (reads_target.empty()) return {};
    // The servers' certificates name the host, not the address the list resolved to.
    std::string host, port;
    if (tls && o.tls_server_name.empty() && SplitHostPort(list.front(), &host, &port)) {
      args.SetSslTargetNameOverride(host);
    }
  }
  args.SetLoadBalancingPolicyName("round_robin");
  return {grpc::CreateCustomChannel(reads_target, credentials, args), writes};
}

}  // namespace heluo::cli
