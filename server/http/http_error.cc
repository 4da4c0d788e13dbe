#include "server/http/http_error.h"

#include <nlohmann/json.hpp>

namespace heluo::http {

int HttpStatusOf(grpc::StatusCode code) {
  using C = grpc::StatusCode;
  switch (code) {
    case C::OK:
      return 200;
    case C::CANCELLED:
      return 499;
    case C::INVALID_ARGUMENT:
      return 400;
    case C::FAILED_PRECONDITION:
      return 400;
    case C::OUT_OF_RANGE:
      return 400;
    case C::DEADLINE_EXCEEDED:
      return 504;
    case C::NOT_FOUND:
      return 404;
    case C::ALREADY_EXISTS:
      return 409;
    case C::ABORTED:
      return 409;
    case C::PERMISSION_DENIED:
      return 403;
    case C::UNAUTHENTICATED:
      return 401;
    case C::RESOURCE_EXHAUSTED:
      return 429;
    case C::UNIMPLEMENTED:
      return 501;
    case C::UNAVAILABLE:
      return 503;
    default:
      return 500;  // UNKNOWN, INTERNAL, DATA_LOSS.
  }
}

const char* StatusName(grpc::StatusCode code) {
  using C = grpc::StatusCode;
  switch (code) {
    case C::OK:
      return "OK";
    case C::CANCELLED:
      return "CANCELLED";
    case C::UNKNOWN:
      return "UNKNOWN";
    case C::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case C::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case C::NOT_FOUND:
      return "NOT_FOUND";
    case C::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case C::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case C::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case C::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case C::ABORTED:
      return "ABORTED";
    case C::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case C::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case C::INTERNAL:
      return "INTERNAL";
    case C::UNAVAILABLE:
      return "UNAVAILABLE";
    case C::DATA_LOSS:
      return "DATA_LOSS";
    case C::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

std::string ErrorJson(int http_status, const grpc::Status& status) {
  nlohmann::json body = {{"error",
                          {{"code", http_status},
                           {"status", StatusName(status.error_code())},
                           {"message", status.error_message()}}}};
  // Messages may quote a client's bytes; never let a stray invalid byte turn an error into a crash.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void SendError(httplib::Response& res, int http_status, grpc::StatusCode code, const std::string& message) {
  res.status = http_status;
  res.set_content(ErrorJson(http_status, grpc::Status(code, message)), "application/json");
}

void SendError(httplib::Response& res, const grpc::Status& status) {
  SendError(res, HttpStatusOf(status.error_code()), status.error_code(), status.error_message());
}

}  // namespace heluo::http
