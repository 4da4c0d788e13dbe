#include "server/core/status.h"

namespace heluo {

std::string Status::ToString() const {
  const char* name = "OK";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: name = "INVALID_ARGUMENT"; break;
    case Code::kNotFound: name = "NOT_FOUND"; break;
    case Code::kAlreadyExists: name = "ALREADY_EXISTS"; break;
    case Code::kFailedPrecondition: name = "FAILED_PRECONDITION"; break;
    case Code::kResourceExhausted: name = "RESOURCE_EXHAUSTED"; break;
    case Code::kPermissionDenied: name = "PERMISSION_DENIED"; break;
    case Code::kUnauthenticated: name = "UNAUTHENTICATED"; break;
    case Code::kDataLoss: name = "DATA_LOSS"; break;
    case Code::kInternal: name = "INTERNAL"; break;
    case Code::kCancelled: name = "CANCELLED"; break;
    case Code::kDeadlineExceeded: name = "DEADLINE_EXCEEDED"; break;
    case Code::kUnavailable: name = "UNAVAILABLE"; break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace heluo
