#include "server/replication/nats_handles.h"

#include <string>

namespace heluo {

Status FromNats(natsStatus s, std::string_view what, jsErrCode js_error) {
  if (s == NATS_OK) return Status::Ok();
  std::string message(what);
  message += ": ";
  message += natsStatus_GetText(s);
  if (js_error != 0) message += " (JetStream error " + std::to_string(static_cast<int>(js_error)) + ")";
  // The client's own last error often says more (which server, which request); add it when it is there.
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0' && last == s) {
    message += " — ";
    message += detail;
  }
  switch (s) {
    case NATS_NO_SERVER:
    case NATS_TIMEOUT:
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_STALE_CONNECTION:
    case NATS_IO_ERROR:
    case NATS_NO_RESPONDERS:
      return Status::Unavailable(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

}  // namespace heluo
