#include "server/service/caller.h"

namespace heluo {

std::string CallerPeer(const grpc::ServerContextBase& context) {
  std::string peer = context.peer();
  // gRPC names every network peer by its address ("ipv4:…", "ipv6:…", "unix:…"); the in-process transport
  // gives none ("unknown" in gRPC 1.51, "inproc" in later versions).
  if (peer != "unknown" && peer.rfind("inproc", 0) != 0) return peer;
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kHttpPeerMetadata);
  if (it == metadata.end()) return peer;
  return HttpPeer(std::string(it->second.data(), it->second.size()));
}

}  // namespace heluo
