// How a failed call looks over HTTP: the gRPC status code mapped to its HTTP status (google.rpc's own
// table, as Google's HTTP APIs use it) and an AIP-193 body
// {"error":{"code":<http status>,"status":"INVALID_ARGUMENT","message":"…"}}. Every HTTP route answers its
// errors through here, so a client sees one error shape whichever face it calls.
#ifndef HELUO_SERVER_HTTP_HTTP_ERROR_H_
#define HELUO_SERVER_HTTP_HTTP_ERROR_H_

#include <grpcpp/support/status.h>
#include <httplib.h>

#include <string>

namespace heluo::http {

int HttpStatusOf(grpc::StatusCode code);
const char* StatusName(grpc::StatusCode code);

// The AIP-193 JSON body for `status` sent with `http_status`.
std::string ErrorJson(int http_status, const grpc::Status& status);

// Sets res to the error: HTTP status mapped from the code, AIP-193 body.
void SendError(httplib::Response& res, const grpc::Status& status);
// For refusals made by the HTTP transport itself, where the gRPC code has no single HTTP status
// (413 body too large, 405 wrong method, 415 unsupported media type).
void SendError(httplib::Response& res, int http_status, grpc::StatusCode code, const std::string& message);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_HTTP_ERROR_H_
