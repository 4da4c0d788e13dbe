// The one place where a core Status becomes a grpc::Status. The message is passed through unchanged: it
// was written for a person in the core.
#ifndef HELUO_SERVER_SERVICE_STATUS_MAPPING_H_
#define HELUO_SERVER_SERVICE_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "server/core/status.h"

namespace heluo {

grpc::Status ToGrpcStatus(const Status& status);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_STATUS_MAPPING_H_
