// The CallContext (call_context.h) of a gRPC call, sync or callback API: views of the call's metadata, its
// deadline and cancellation, its peer (caller.h). Valid while the call runs.
#ifndef HELUO_SERVER_SERVICE_GRPC_CALL_CONTEXT_H_
#define HELUO_SERVER_SERVICE_GRPC_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "server/service/call_context.h"

namespace heluo {

CallContext FromGrpc(const grpc::ServerContextBase& context);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_GRPC_CALL_CONTEXT_H_
