// How heluo.v1 request messages are read off the wire, so that a request whose text is not valid UTF-8 gets
// INVALID_ARGUMENT with a message a person understands instead of gRPC's generic INTERNAL parse failure.
//
// Protobuf refuses to parse a proto3 `string` field holding invalid UTF-8, and gRPC reports any parse
// failure as INTERNAL. These explicit specializations of grpc::SerializationTraits parse exactly as gRPC
// does and, on failure, tell a UTF-8 problem (the bytes are well-formed protobuf wire format) from a
// malformed message. CMakeLists.txt force-includes this header into every generated *.grpc.pb.cc, the only
// translation units that instantiate the traits, so all of them see the same specialization.
#ifndef HELUO_SERVER_SERVICE_REQUEST_TRAITS_H_
#define HELUO_SERVER_SERVICE_REQUEST_TRAITS_H_

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>


namespace heluo {

// A call whose stream the client reset (h2load does, at the end of a run) reaches the handler with an
// empty buffer: that call was cancelled, and says so (DumpToSingleSlice would call it FAILED_PRECONDITION
// "Buffer not initialized", which looks like a server fault in the metrics).
inline grpc::Status ParseRequest(grpc::ByteBuffer* buffer, google::protobuf::MessageLite* msg) {
  if (buffer == nullptr) return grpc::Status(grpc::StatusCode::INTERNAL, "No payload");
  if (!buffer->Valid()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the call ended before its request arrived (cancelled or reset by the client)");
  }
  grpc::Slice slice;
  grpc::Status st = buffer->DumpToSingleSlice(&slice);
  buffer->Clear();
  if (!st.ok()) return st;
  const void* data = slice.begin();
  const int size = static_cast<int>(slice.size());
  if (msg->ParseFromArray(data, size)) return grpc::Status::OK;
  google::protobuf::UnknownFieldSet wire;
  if (wire.ParseFromArray(data, size)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a text field of the " + msg->GetTypeName() +
                            " is not valid UTF-8; send text as UTF-8");
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid " + msg->GetTypeName());
}

}  // namespace heluo

// Streamed requests are read through the concrete type's traits (ServerReaderWriter<W, R>::Read), so the
// request types of streaming methods get the same treatment.
#define HELUO_STREAMED_REQUEST_TRAITS(Message)                                                        \
  template <>                                                                                        \
  class grpc::SerializationTraits<Message, void> {                                                   \
   public:                                                                                           \
    static grpc::Status Serialize(const grpc::protobuf::MessageLite& msg, grpc::ByteBuffer* bb,      \
                                  bool* own_buffer) {                                                \
      return grpc::GenericSerialize<grpc::ProtoBufferWriter, Message>(msg, bb, own_buffer);          \
    }                                                                                                \
    static grpc::Status Deserialize(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* msg) {    \
      return heluo::ParseRequest(buffer, msg);                                                       \
    }                                                                                                \
  };

// The generated method handlers deserialize through SerializationTraits<MessageLite> (their BaseRequestType),
// so that is the specialization to provide. Serialization is gRPC's own.
template <>
class grpc::SerializationTraits<grpc::protobuf::MessageLite, void> {
 public:
  static grpc::Status Serialize(const grpc::protobuf::MessageLite& msg, grpc::ByteBuffer* bb, bool* own_buffer) {
    return grpc::GenericSerialize<grpc::ProtoBufferWriter, grpc::protobuf::MessageLite>(msg, bb, own_buffer);
  }
  static grpc::Status Deserialize(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* msg) {
    return heluo::ParseRequest(buffer, msg);
  }
};

#include "heluo/v1/interchange.pb.h"
#include "heluo/v1/translation_memory.pb.h"
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::LookupRequest)
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::ImportChunk)

#endif  // HELUO_SERVER_SERVICE_REQUEST_TRAITS_H_
