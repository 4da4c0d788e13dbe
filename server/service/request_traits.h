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

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>

#include "unchecked_serialize.h"  // Next to this file: the generated code has no include path to server/.

namespace heluo {

// Proto3 enums are open: a number no version of the API defines (side=99) parses and would be taken for a
// default further on. Every enum field of a request, at any depth, must hold a value its enum declares;
// otherwise INVALID_ARGUMENT names the field, the number and the values allowed.
inline grpc::Status ValidateEnums(const google::protobuf::Message& msg, const std::string& path = "") {
  const google::protobuf::Descriptor* descriptor = msg.GetDescriptor();
  const google::protobuf::Reflection* reflection = msg.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    // Built only for a message to report or descend into: this runs for every request.
    auto name = [&] { return path + field->name(); };
    const int count = field->is_repeated() ? reflection->FieldSize(msg, field) : 1;
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
      for (int k = 0; k < count; ++k) {
        const int value = field->is_repeated() ? reflection->GetRepeatedEnumValue(msg, field, k)
                                               : reflection->GetEnumValue(msg, field);
        if (field->enum_type()->FindValueByNumber(value) != nullptr) continue;
        std::string allowed;
        for (int v = 0; v < field->enum_type()->value_count(); ++v) {
          allowed += (v == 0 ? "" : ", ") + field->enum_type()->value(v)->name();
        }
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "field " + name() + " has no value " +
                                                                    std::to_string(value) + " (allowed: " + allowed + ")");
      }
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      for (int k = 0; k < count; ++k) {
        if (!field->is_repeated() && !reflection->HasField(msg, field)) break;
        const google::protobuf::Message& sub = field->is_repeated() ? reflection->GetRepeatedMessage(msg, field, k)
                                                                    : reflection->GetMessage(msg, field);
        grpc::Status st = ValidateEnums(sub, name() + (field->is_repeated() ? "[" + std::to_string(k) + "]." : "."));
        if (!st.ok()) return st;
      }
    }
  }
  return grpc::Status::OK;
}

// A request with a text field that is not UTF-8: what a person is told.
inline grpc::Status InvalidUtf8(const google::protobuf::MessageLite& msg) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "a text field of the " + msg.GetTypeName() + " is not valid UTF-8; send text as UTF-8");
}

// A call whose stream the client reset (h2load does, at the end of a run) reaches the handler with an
// empty buffer: that call was cancelled, and says so (DumpToSingleSlice would call it FAILED_PRECONDITION
// "Buffer not initialized", which looks like a server fault in the metrics).
// `parse(data, size)` parses the message's bytes into `msg` (ParseRequest: protobuf's ParseFromArray).
template <typename Parse>
inline grpc::Status ParseRequestWith(grpc::ByteBuffer* buffer, google::protobuf::MessageLite* msg, Parse&& parse) {
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
  if (parse(data, size)) {
    const auto* full = dynamic_cast<const google::protobuf::Message*>(msg);
    return full == nullptr ? grpc::Status::OK : ValidateEnums(*full);
  }
  google::protobuf::UnknownFieldSet wire;
  if (wire.ParseFromArray(data, size)) return InvalidUtf8(*msg);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not a valid " + msg->GetTypeName());
}

inline grpc::Status ParseRequest(grpc::ByteBuffer* buffer, google::protobuf::MessageLite* msg) {
  return ParseRequestWith(buffer, msg, [msg](const void* data, int size) { return msg->ParseFromArray(data, size); });
}

// Whether `msg` is a request whose method checks the UTF-8 of its text itself (defined at the end, once the
// request types are declared).
inline bool TextCheckedOnServer(const google::protobuf::MessageLite& msg);

// How a client writes a message: gRPC's way, except that a request whose server checks its text is written
// without protobuf's UTF-8 check (unchecked_serialize.h).
inline grpc::Status SerializeMessage(const google::protobuf::MessageLite& msg, grpc::ByteBuffer* bb, bool* own_buffer) {
  if (TextCheckedOnServer(msg) &&
      SerializeWithoutUtf8Check(static_cast<const google::protobuf::Message&>(msg), bb)) {
    *own_buffer = true;
    return grpc::Status::OK;
  }
  return grpc::GenericSerialize<grpc::ProtoBufferWriter, grpc::protobuf::MessageLite>(msg, bb, own_buffer);
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
      return heluo::SerializeMessage(msg, bb, own_buffer);                                           \
    }                                                                                                \
    static grpc::Status Deserialize(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* msg) {    \
      return heluo::ParseRequest(buffer, msg);                                                       \
    }                                                                                                \
  };

// The generated method handlers deserialize through SerializationTraits<MessageLite> (their BaseRequestType),
// so that is the specialization to provide. The generated stubs serialize through it too (SerializeMessage).
template <>
class grpc::SerializationTraits<grpc::protobuf::MessageLite, void> {
 public:
  static grpc::Status Serialize(const grpc::protobuf::MessageLite& msg, grpc::ByteBuffer* bb, bool* own_buffer) {
    return heluo::SerializeMessage(msg, bb, own_buffer);
  }
  static grpc::Status Deserialize(grpc::ByteBuffer* buffer, grpc::protobuf::MessageLite* msg) {
    return heluo::ParseRequest(buffer, msg);
  }
};

#include "heluo/v1/admin.pb.h"
#include "heluo/v1/glossary.pb.h"
#include "heluo/v1/interchange.pb.h"
#include "heluo/v1/translation_memory.pb.h"
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::LookupRequest)
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::ImportChunk)
// The hot Glossary reads are served raw through the callback API and parsed by ParseRequest there
// (unary_reactor.h); their request types get the same traits everywhere else (stubs, tests).
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::LookupTermRequest)
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::RecognizeTermsRequest)
// Server-streaming methods read their one request through the concrete type's traits too.
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::ExportRequest)
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::ExportGlossaryRequest)
HELUO_STREAMED_REQUEST_TRAITS(heluo::v1::DownloadBackupRequest)

// RecognizeTerms validates its text in the normalizer's decoding (unary_reactor.h: kTextCheckedByMethod).
inline bool heluo::TextCheckedOnServer(const google::protobuf::MessageLite& msg) {
  return dynamic_cast<const heluo::v1::RecognizeTermsRequest*>(&msg) != nullptr;
}

#endif  // HELUO_SERVER_SERVICE_REQUEST_TRAITS_H_
