// The streaming heluo.v1 methods over HTTP/1.1: exports and the backup as chunked downloads (one gRPC chunk
// read per HTTP chunk written, so memory stays constant however large the file), imports as uploads passed
// on to the service's own spool as they arrive (all-or-nothing there: an upload that breaks off is
// cancelled and changes nothing), and LookupStream as NDJSON in and out.
#ifndef HELUO_SERVER_HTTP_TRANSFER_API_H_
#define HELUO_SERVER_HTTP_TRANSFER_API_H_

#include "server/http/json_api.h"
#include "server/http/router.h"

namespace heluo::http {

void AddTransferApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_TRANSFER_API_H_
