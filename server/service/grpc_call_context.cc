#include "server/service/grpc_call_context.h"

#include "server/service/auth.h"
#include "server/service/caller.h"

namespace heluo {
namespace {

std::optional<std::string_view> Metadata(const grpc::ServerContextBase& context, const char* name) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(name);
  if (it == metadata.end()) return std::nullopt;
  return std::string_view(it->second.data(), it->second.size());
}

}  // namespace

CallContext FromGrpc(const grpc::ServerContextBase& context) {
  CallContext call;
  call.authorization = Metadata(context, "authorization");
  call.min_sequence = Metadata(context, kMinSequenceMetadata);
  call.deadline = context.deadline();
  call.cancelled = [&context] { return context.IsCancelled(); };
  call.peer = [&context] { return CallerPeer(context); };
  return call;
}

}  // namespace heluo
