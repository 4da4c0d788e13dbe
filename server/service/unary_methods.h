// UnaryMethods: the body of every unary heluo.v1 method by its gRPC path ("/heluo.v1.Glossary/LookupTerm"),
// for a face other than gRPC to call directly on its own thread with its own CallContext (call_context.h).
// The HTTP adapter (server/http/json_api.cc) serves its JSON routes through it: the very functions the
// gRPC handlers run — authorization, validation, limits, audit and the core calls — without a hop through
// gRPC's in-process channel. Each service adds its methods (AddUnaryMethods).
//
// Thread-safety: fill before serving; Find() and the bodies may then be called from any thread.
#ifndef HELUO_SERVER_SERVICE_UNARY_METHODS_H_
#define HELUO_SERVER_SERVICE_UNARY_METHODS_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <map>
#include <string>

#include "server/service/call_context.h"

namespace heluo {

class UnaryMethods {
 public:
  // The request has been parsed and its enum values validated (ValidateEnums, request_traits.h), as gRPC's
  // handlers have theirs; `response` is an empty message of the method's output type.
  using Body = std::function<grpc::Status(const CallContext& call, const google::protobuf::Message& request,
                                          google::protobuf::Message* response)>;

  template <typename Request, typename Response, typename Service>
  void Add(const std::string& path, Service* service,
           grpc::Status (Service::*body)(const CallContext&, const Request*, Response*)) {
    methods_[path] = [service, body](const CallContext& call, const google::protobuf::Message& request,
                                     google::protobuf::Message* response) {
      return (service->*body)(call, static_cast<const Request*>(&request), static_cast<Response*>(response));
    };
  }

  // The body of the method at `path`, or null when none was added.
  const Body* Find(const std::string& path) const;

 private:
  std::map<std::string, Body> methods_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_UNARY_METHODS_H_
