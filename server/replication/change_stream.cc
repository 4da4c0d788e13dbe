#include "server/replication/change_stream.h"

#include <cstdlib>
#include <cstring>

namespace heluo {

Result<std::unique_ptr<ChangeStream>> ChangeStream::Connect(const ChangeStreamOptions& options) {
  natsOptions* raw_options = nullptr;
  HELUO_RETURN_IF_ERROR(FromNats(natsOptions_Create(&raw_options), "NATS options"));
  NatsOptionsPtr nats_options(raw_options);
  const int64_t timeout_ms = options.timeout.count();
  natsStatus s = natsOptions_SetURL(nats_options.get(), options.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetTimeout(nats_options.get(), timeout_ms);
  // Reconnect for ever, quickly: replication resumes by itself when NATS comes back.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(nats_options.get(), -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(nats_options.get(), 250);
  if (s == NATS_OK && options.connect_in_background) {
    s = natsOptions_SetRetryOnFailedConnect(nats_options.get(), true, nullptr, nullptr);
  }
  HELUO_RETURN_IF_ERROR(FromNats(s, "NATS options for " + options.url));

  natsConnection* raw_connection = nullptr;
  s = natsConnection_Connect(&raw_connection, nats_options.get());
  if (s == NATS_NOT_YET_CONNECTED && options.connect_in_background) s = NATS_OK;
  HELUO_RETURN_IF_ERROR(FromNats(s, "connecting to " + options.url));
  NatsConnectionPtr connection(raw_connection);

  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = timeout_ms;
  jsCtx* raw_js = nullptr;
  HELUO_RETURN_IF_ERROR(
      FromNats(natsConnection_JetStream(&raw_js, connection.get(), &js_options), "JetStream"));
  return std::unique_ptr<ChangeStream>(
      new ChangeStream(options, std::move(connection), JsContextPtr(raw_js)));
}

jsOptions ChangeStream::RequestOptions() const {
  jsOptions o;
  jsOptions_Init(&o);
  o.Wait = options_.timeout.count();
  return o;
}

Status ChangeStream::EnsureStream() {
  jsOptions o = RequestOptions();
  jsErrCode error = static_cast<jsErrCode>(0);
  jsStreamInfo* raw_info = nullptr;
  natsStatus s = js_GetStreamInfo(&raw_info, js_.get(), options_.stream.c_str(), &o, &error);
  JsStreamInfoPtr info(raw_info);
  if (s == NATS_OK) {
    const jsStreamConfig* config = info->Config;
    for (int i = 0; config != nullptr && i < config->SubjectsLen; ++i) {
      if (options_.subject == config->Subjects[i]) return Status::Ok();
    }
    return Status::FailedPrecondition("the JetStream stream '" + options_.stream +
                                      "' exists without the subject '" + options_.subject +
                                      "'; give each deployment its own stream name");
  }
  if (s != NATS_NOT_FOUND) return FromNats(s, "looking up the stream " + options_.stream, error);

  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options_.stream.c_str();
  const char* subjects[] = {options_.subject.c_str()};
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Retention = js_LimitsPolicy;
  config.MaxAge = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.max_age).count();
  config.MaxBytes = options_.max_bytes;
  error = static_cast<jsErrCode>(0);
  jsStreamInfo* created = nullptr;
  s = js_AddStream(&created, js_.get(), &config, &o, &error);
  JsStreamInfoPtr created_info(created);
  return FromNats(s, "creating the stream " + options_.stream, error);
}

Result<PublishAck> ChangeStream::Publish(std::string_view msg_id, std::string_view payload,
                                         const MessageHeaders& headers) {
  natsMsg* raw_msg = nullptr;
  HELUO_RETURN_IF_ERROR(FromNats(natsMsg_Create(&raw_msg, options_.subject.c_str(), nullptr, payload.data(),
                                                static_cast<int>(payload.size())),
                                 "making a message"));
  NatsMsgPtr msg(raw_msg);
  for (const auto& [key, value] : headers) {
    HELUO_RETURN_IF_ERROR(
        FromNats(natsMsgHeader_Set(msg.get(), key.c_str(), value.c_str()), "header " + key));
  }
  const std::string id(msg_id);
  jsPubOptions publish_options;
  jsPubOptions_Init(&publish_options);
  publish_options.MsgId = id.c_str();
  publish_options.MaxWait = options_.timeout.count();
  jsErrCode error = static_cast<jsErrCode>(0);
  jsPubAck* raw_ack = nullptr;
  natsStatus s = js_PublishMsg(&raw_ack, js_.get(), msg.get(), &publish_options, &error);
  JsPubAckPtr ack(raw_ack);
  HELUO_RETURN_IF_ERROR(FromNats(s, "publishing message " + id + " to " + options_.stream, error));
  return PublishAck{ack->Sequence, ack->Duplicate};
}

Result<StreamState> ChangeStream::State() {
  jsOptions o = RequestOptions();
  jsErrCode error = static_cast<jsErrCode>(0);
  jsStreamInfo* raw_info = nullptr;
  natsStatus s = js_GetStreamInfo(&raw_info, js_.get(), options_.stream.c_str(), &o, &error);
  JsStreamInfoPtr info(raw_info);
  if (s == NATS_NOT_FOUND) return Status::NotFound("no JetStream stream named " + options_.stream);
  HELUO_RETURN_IF_ERROR(FromNats(s, "stream info of " + options_.stream, error));
  StreamState state;
  state.messages = info->State.Msgs;
  state.first_seq = state.messages == 0 ? 0 : info->State.FirstSeq;
  state.last_seq = info->State.LastSeq;
  return state;
}

Result<std::chrono::system_clock::time_point> ChangeStream::MessageTime(uint64_t seq) {
  jsOptions o = RequestOptions();
  jsErrCode error = static_cast<jsErrCode>(0);
  natsMsg* raw_msg = nullptr;
  natsStatus s = js_GetMsg(&raw_msg, js_.get(), options_.stream.c_str(), seq, &o, &error);
  NatsMsgPtr msg(raw_msg);
  if (s == NATS_NOT_FOUND) return Status::NotFound("the stream no longer holds message " + std::to_string(seq));
  HELUO_RETURN_IF_ERROR(FromNats(s, "message " + std::to_string(seq) + " of " + options_.stream, error));
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(natsMsg_GetTime(msg.get()))));
}

Result<std::unique_ptr<ChangeReader>> ChangeStream::ReadFrom(uint64_t start_seq) {
  jsOptions o = RequestOptions();
  jsSubOptions sub_options;
  jsSubOptions_Init(&sub_options);
  sub_options.Stream = options_.stream.c_str();
  // An ordered consumer: ephemeral, in order, no acknowledgements. Where to resume is the replica's own
  // record (in its LMDB, written with each change), not consumer state kept by the NATS server.
  sub_options.Ordered = true;
  if (start_seq > 1) {
    sub_options.Config.DeliverPolicy = js_DeliverByStartSequence;
    sub_options.Config.OptStartSeq = start_seq;
  } else {
    sub_options.Config.DeliverPolicy = js_DeliverAll;
  }
  jsErrCode error = static_cast<jsErrCode>(0);
  natsSubscription* raw_sub = nullptr;
  natsStatus s = js_SubscribeSync(&raw_sub, js_.get(), options_.subject.c_str(), &o, &sub_options, &error);
  NatsSubscriptionPtr subscription(raw_sub);
  HELUO_RETURN_IF_ERROR(FromNats(s, "reading the stream " + options_.stream, error));
  return std::unique_ptr<ChangeReader>(new ChangeReader(std::move(subscription)));
}

Result<std::optional<StreamMessage>> ChangeReader::Next(std::chrono::milliseconds timeout) {
  natsMsg* raw_msg = nullptr;
  natsStatus s = natsSubscription_NextMsg(&raw_msg, subscription_.get(), timeout.count());
  NatsMsgPtr msg(raw_msg);
  if (s == NATS_TIMEOUT) return std::optional<StreamMessage>();
  HELUO_RETURN_IF_ERROR(FromNats(s, "next message"));

  jsMsgMetaData* raw_meta = nullptr;
  HELUO_RETURN_IF_ERROR(FromNats(natsMsg_GetMetaData(&raw_meta, msg.get()), "message metadata"));
  JsMsgMetaDataPtr meta(raw_meta);
  StreamMessage out;
  out.stream_seq = meta->Sequence.Stream;
  out.payload.assign(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get())));
  const char** keys = nullptr;
  int count = 0;
  s = natsMsgHeader_Keys(msg.get(), &keys, &count);
  if (s == NATS_OK) {
    for (int i = 0; i < count; ++i) {
      const char* value = nullptr;
      if (natsMsgHeader_Get(msg.get(), keys[i], &value) == NATS_OK && value != nullptr) {
        out.headers.emplace(keys[i], value);
      }
    }
    free(keys);  // The array is the caller's; its strings belong to the message.
  } else if (s != NATS_NOT_FOUND) {
    return FromNats(s, "message headers");
  }
  return std::optional<StreamMessage>(std::move(out));
}

}  // namespace heluo
