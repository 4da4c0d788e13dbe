#include "server/service/status_mapping.h"

namespace heluo {

grpc::Status ToGrpcStatus(const Status& status) {
  using C = Status::Code;
  grpc::StatusCode code = grpc::StatusCode::INTERNAL;
  switch (status.code()) {
    case C::kOk: return grpc::Status::OK;
    case C::kInvalidArgument: code = grpc::StatusCode::INVALID_ARGUMENT; break;
    case C::kNotFound: code = grpc::StatusCode::NOT_FOUND; break;
    case C::kAlreadyExists: code = grpc::StatusCode::ALREADY_EXISTS; break;
    case C::kFailedPrecondition: code = grpc::StatusCode::FAILED_PRECONDITION; break;
    case C::kResourceExhausted: code = grpc::StatusCode::RESOURCE_EXHAUSTED; break;
    case C::kPermissionDenied: code = grpc::StatusCode::PERMISSION_DENIED; break;
    case C::kUnauthenticated: code = grpc::StatusCode::UNAUTHENTICATED; break;
    case C::kDataLoss: code = grpc::StatusCode::DATA_LOSS; break;
    case C::kInternal: code = grpc::StatusCode::INTERNAL; break;
    case C::kCancelled: code = grpc::StatusCode::CANCELLED; break;
    case C::kDeadlineExceeded: code = grpc::StatusCode::DEADLINE_EXCEEDED; break;
    case C::kUnavailable: code = grpc::StatusCode::UNAVAILABLE; break;
  }
  return grpc::Status(code, status.message());
}

}  // namespace heluo
