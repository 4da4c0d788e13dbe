// The JSON API: one route per unary heluo.v1 method in the style of google.api.http / AIP-136
// (GET /v1/terms/{id}, GET /v1/terms:lookup?text=…, POST /v1/tm:lookup, …; the table is in json_api.cc and
// docs/http-api.md). A request becomes the method's request message with protobuf's own JSON parser (the
// body, or the query parameters for GET and DELETE, plus the path's {id}); the message goes to the real
// service through the in-process channel; the answer comes back with protobuf's JSON printer. Nothing here
// validates, authorizes or matches: the services do, exactly as for gRPC clients.
#ifndef HELUO_SERVER_HTTP_JSON_API_H_
#define HELUO_SERVER_HTTP_JSON_API_H_

#include <grpcpp/channel.h>

#include <memory>

#include "server/http/router.h"

namespace heluo::http {

struct ApiOptions {
  std::shared_ptr<grpc::Channel> channel;  // The server's in-process channel.
  size_t max_body_bytes = 16 << 20;        // --max-message-mib: the largest JSON body read into memory.
};

void AddJsonApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_JSON_API_H_
