// The hot, short unary reads (Glossary.LookupTerm, Glossary.RecognizeTerms) are served through gRPC's
// callback API: the handler runs on one of gRPC's callback threads (one per core), without the sync
// model's hand-off to its thread pool and back (docs/performance.md, "RPC ceiling"). Their bodies take a
// CallContext (call_context.h) and go through the same per-call steps as every sync method (Authorizer::Check,
// call_limits.h, the metrics and request-log interceptor, which sees callback calls too); only the way the
// request arrives and the status leaves differs, and that is this one function.
#ifndef HELUO_SERVER_SERVICE_UNARY_REACTOR_H_
#define HELUO_SERVER_SERVICE_UNARY_REACTOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_callback.h>

#include "server/service/auth.h"
#include "server/service/grpc_call_context.h"
#include "server/service/request_traits.h"
#include "server/service/unchecked_text.h"
#include "server/service/worker_pool.h"

namespace heluo {

// Requests whose method validates the UTF-8 of their text in its own first pass over it, the normalizer's
// decoding (INVALID_ARGUMENT naming the byte offset), and are therefore parsed without protobuf's check of
// the same bytes (unchecked_text.h). RecognizeTerms: its text is up to 5,000 characters.
template <typename Request>
inline constexpr bool kTextCheckedByMethod = false;
template <>
inline constexpr bool kTextCheckedByMethod<v1::RecognizeTermsRequest> = true;

// Where a callback call's body runs once its request is parsed: on the callback thread, unless `pool` is
// set and `may_run_long(request)` says the body may take long; then on `pool` (TranslationMemory.Lookup at a
// low min_score: worker_pool.h).
template <typename Request>
struct UnaryOffload {
  WorkerPool* pool = nullptr;
  bool (*may_run_long)(const Request&) = nullptr;
};

// Serves one callback unary call whose method is registered raw (Glossary::WithRawCallbackMethod_*): parses
// the request with heluo's ParseRequest (request_traits.h) — gRPC 1.51's typed callback handler would turn a
// request that does not parse (invalid UTF-8, an unknown enum value) into UNIMPLEMENTED with no message, and
// a reset call into the same — runs `work` (the method's body, shared with no other model), serializes the
// response and finishes the call.
//
// A call that asks for a commit sequence this replica has not applied yet (x-heluo-min-sequence, auth.h)
// must not hold a callback thread while it waits: its body runs once the sequence is applied or its
// deadline has passed, on the replication state's dispatch thread; Authorizer::Check in the body then
// passes it or answers UNAVAILABLE.
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* ServeUnary(const Authorizer* auth, grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response, Work&& work,
                                     UnaryOffload<Request> offload = {}) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto answer = [context, raw_response, reactor, work](const Request& request) {
    const CallContext call = FromGrpc(*context);
    // The answer's messages and strings (RecognizeTerms: a hundred-odd) are allocated on an arena and
    // freed at once.
    google::protobuf::Arena arena;
    Response& response = *google::protobuf::Arena::CreateMessage<Response>(&arena);
    grpc::Status status = work(call, &request, &response);
    if (status.ok()) {
      bool own_buffer = false;
      status = grpc::SerializationTraits<Response>::Serialize(response, raw_response, &own_buffer);
    }
    reactor->Finish(status);
  };
  auto serve = [raw_request, reactor, answer, offload]() {
    Request request;
    grpc::ByteBuffer received(*raw_request);  // Shares the slices; ParseRequest consumes its argument.
    grpc::Status status;
    if constexpr (kTextCheckedByMethod<Request>) {
      status = ParseRequestWith(&received, &request,
                                [&request](const void* data, int size) { return ParseWithoutUtf8Check(data, size, &request); });
    } else {
      status = ParseRequest(&received, &request);
    }
    if (!status.ok()) {
      reactor->Finish(status);
    } else if (offload.pool != nullptr && offload.may_run_long(request)) {
      offload.pool->Run([answer, request = std::move(request)] { answer(request); });
    } else {
      answer(request);
    }
  };
  if (const CallContext call = FromGrpc(*context); const uint64_t wanted = auth->AwaitedSequence(call)) {
    auth->replication()->WhenReached(wanted, Authorizer::WaitDeadline(call), std::move(serve));
  } else {
    serve();
  }
  return reactor;
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_UNARY_REACTOR_H_
