// Owning handles for the NATS C client's objects, and how its errors become a Status.
//
// Every object the C client hands out has its own destroy function; these unique_ptr aliases call it, so no
// path (an early return on error included) leaks a connection, a subscription or a message.
#ifndef HELUO_SERVER_REPLICATION_NATS_HANDLES_H_
#define HELUO_SERVER_REPLICATION_NATS_HANDLES_H_

#include <nats/nats.h>

#include <memory>
#include <string_view>

#include "server/core/status.h"

namespace heluo {

template <typename T, void (*Destroy)(T*)>
struct NatsDeleter {
  void operator()(T* p) const {
    if (p != nullptr) Destroy(p);
  }
};

using NatsOptionsPtr = std::unique_ptr<natsOptions, NatsDeleter<natsOptions, natsOptions_Destroy>>;
using NatsConnectionPtr =
    std::unique_ptr<natsConnection, NatsDeleter<natsConnection, natsConnection_Destroy>>;
using JsContextPtr = std::unique_ptr<jsCtx, NatsDeleter<jsCtx, jsCtx_Destroy>>;
using NatsSubscriptionPtr =
    std::unique_ptr<natsSubscription, NatsDeleter<natsSubscription, natsSubscription_Destroy>>;
using NatsMsgPtr = std::unique_ptr<natsMsg, NatsDeleter<natsMsg, natsMsg_Destroy>>;
using JsPubAckPtr = std::unique_ptr<jsPubAck, NatsDeleter<jsPubAck, jsPubAck_Destroy>>;
using JsStreamInfoPtr = std::unique_ptr<jsStreamInfo, NatsDeleter<jsStreamInfo, jsStreamInfo_Destroy>>;
using JsMsgMetaDataPtr = std::unique_ptr<jsMsgMetaData, NatsDeleter<jsMsgMetaData, jsMsgMetaData_Destroy>>;

// OK for NATS_OK; otherwise `what` followed by the client's text for `s` (and JetStream's error code when
// there is one). Connection trouble (no server, timeouts, a closed connection) is UNAVAILABLE, since the
// caller may retry; anything else INTERNAL.
Status FromNats(natsStatus s, std::string_view what, jsErrCode js_error = static_cast<jsErrCode>(0));

}  // namespace heluo

#endif  // HELUO_SERVER_REPLICATION_NATS_HANDLES_H_
