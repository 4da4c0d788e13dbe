// The JSON API: one route per unary heluo.v1 method in the style of google.api.http / AIP-136
// (GET /v1/terms/{id}, GET /v1/terms:lookup?text=…, POST /v1/tm:lookup, …; the table is in json_api.cc and
// docs/http-api.md). A request becomes the method's request message with protobuf's own JSON parser (the
// body, or the query parameters for GET and DELETE, plus the path's {id}); the message goes to the real
// service's method body, called on the HTTP worker with the request's CallContext (no gRPC hop); the
// answer comes back with protobuf's JSON printer. Nothing here validates, authorizes or matches: the
// services do, exactly as for gRPC clients, and the call leaves the same metrics, request-log line and
// commit sequence as a gRPC call (docs/architecture.md, "One call context for every face").
#ifndef HELUO_SERVER_HTTP_JSON_API_H_
#define HELUO_SERVER_HTTP_JSON_API_H_

#include <grpcpp/channel.h>

#include <memory>

#include "server/core/replication_state.h"
#include "server/http/router.h"
#include "server/service/metrics.h"
#include "server/service/unary_methods.h"

namespace heluo::http {

struct ApiOptions {
  std::shared_ptr<grpc::Channel> channel;  // The server's in-process channel, for the streaming routes.
  size_t max_body_bytes = 16 << 20;        // --max-message-mib: the largest JSON body read into memory.
  // The services' unary method bodies, which every unary route calls (direct_call.h); required.
  const UnaryMethods* methods = nullptr;
  CallMetrics* metrics = nullptr;                  // Where those calls are counted, as gRPC's interceptor does.
  const ReplicationState* replication = nullptr;  // Null: standalone, no X-Heluo-Commit-Sequence.
};

void AddJsonApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_JSON_API_H_
