// The hot, short unary reads (Glossary.LookupTerm, Glossary.RecognizeTerms) are served through gRPC's
// callback API: the handler runs on one of gRPC's callback threads (one per core), without the sync
// model's hand-off to its thread pool and back (docs/performance.md, "RPC ceiling"). Their bodies take a
// grpc::ServerContextBase and go through the same per-call steps as every sync method (Authorizer::Check,
// call_limits.h, the metrics and request-log interceptor, which sees callback calls too); only the way the
// request arrives and the status leaves differs, and that is this one function.
#ifndef HELUO_SERVER_SERVICE_UNARY_REACTOR_H_
#define HELUO_SERVER_SERVICE_UNARY_REACTOR_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include "server/service/request_traits.h"

namespace heluo {

// Serves one callback unary call whose method is registered raw (Glossary::WithRawCallbackMethod_*): parses
// the request with heluo's ParseRequest (request_traits.h) — gRPC 1.51's typed callback handler would turn a
// request that does not parse (invalid UTF-8, an unknown enum value) into UNIMPLEMENTED with no message, and
// a reset call into the same — runs `work` (the method's body, shared with no other model), serializes the
// response and finishes the call.
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnary(grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
                                     grpc::ByteBuffer* raw_response, Work&& work) {
  Request request;
  Response response;
  grpc::ByteBuffer received(*raw_request);  // Shares the slices; ParseRequest consumes its argument.
  grpc::Status status = ParseRequest(&received, &request);
  if (status.ok()) status = work(context, &request, &response);
  if (status.ok()) {
    bool own_buffer = false;
    status = grpc::SerializationTraits<Response>::Serialize(response, raw_response, &own_buffer);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_UNARY_REACTOR_H_
