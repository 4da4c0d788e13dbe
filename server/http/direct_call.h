// DirectCall: how every unary HTTP route reaches its service — the method's body (server/service/
// unary_methods.h), called on the HTTP worker thread with the request's CallContext, and around it what
// gRPC's handler and interceptors do for a gRPC call: the request's text and enum values checked as
// ParseRequest checks them, the call counted in the metrics with its request-log line (RecordCall), and
// the commit sequence of a replicating server returned (X-Heluo-Commit-Sequence). No gRPC hop, and no
// second copy of any of these steps.
//
// Thread-safety: built before serving; Call() from any thread.
#ifndef HELUO_SERVER_HTTP_DIRECT_CALL_H_
#define HELUO_SERVER_HTTP_DIRECT_CALL_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>
#include <httplib.h>

#include <optional>
#include <string>

#include "server/http/json_api.h"

namespace heluo::http {

class DirectCall {
 public:
  // `path`: the method's gRPC path, "/heluo.v1.Glossary/LookupTerm". The method must be in api.methods.
  DirectCall(const ApiOptions& api, std::string path);

  // Calls the method for `req` (`token` instead of its Authorization header, as ForwardCaller takes it).
  // `parsed` is what reading the request found wrong beyond protobuf's JSON parser (a path segment that is
  // not UTF-8), answered as the service would answer it. False when `res` was answered already (a
  // credential that cannot be read, as for a gRPC call); otherwise the call's status, `response` filled when
  // OK.
  std::optional<grpc::Status> Call(const httplib::Request& req, const std::optional<std::string>& token,
                                   const google::protobuf::Message& request, const grpc::Status& parsed,
                                   google::protobuf::Message* response, httplib::Response& res) const;

 private:
  const ApiOptions& api_;
  std::string path_;
  const UnaryMethods::Body* body_;
};

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_DIRECT_CALL_H_
