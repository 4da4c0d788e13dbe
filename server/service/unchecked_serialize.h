// Serializing a request without protobuf's UTF-8 check of its string fields, for the clients of a method
// whose server checks the text itself (unchecked_text.h is the server's side of the same bargain).
//
// Protobuf checks every proto3 string field when it serializes a message as well as when it parses one, and
// on the way out a failed check changes nothing: it logs an error and sends the bytes. For a
// RecognizeTermsRequest (a text of up to 5,000 characters) that check was a tenth of a C++ client's CPU per
// call and sits on the path of every call made one at a time. The server's normalizer validates the text in
// its own decoding and answers INVALID_ARGUMENT naming the bad byte, so a client gains nothing from checking
// first. The wire bytes are exactly protobuf's (fields in number order, defaults left out).
//
// Only flat messages are written here (singular scalar, enum, string and bytes fields, no unknown fields);
// anything else is left to protobuf. request_traits.h routes the requests whose method checks its own text
// (RecognizeTermsRequest: kTextCheckedByMethod in unary_reactor.h) through it, in every C++ client built
// with the traits (the `heluo` CLI, the benchmarks, the tests).
#ifndef HELUO_SERVER_SERVICE_UNCHECKED_SERIALIZE_H_
#define HELUO_SERVER_SERVICE_UNCHECKED_SERIALIZE_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpc/slice.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <string>
#include <vector>

namespace heluo {

// Writes `msg` into `bb` as protobuf would, without checking its strings' UTF-8. False, and `bb` untouched,
// for a message that is not flat (see above): the caller then serializes it the usual way.
inline bool SerializeWithoutUtf8Check(const google::protobuf::Message& msg, grpc::ByteBuffer* bb) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::internal::WireFormatLite;
  const google::protobuf::Reflection* reflection = msg.GetReflection();
  if (reflection->GetUnknownFields(msg).field_count() != 0) return false;
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(msg, &fields);  // Set fields in number order (proto3: the non-default ones).
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return false;
  }
  const size_t size = msg.ByteSizeLong();
  grpc_slice slice = grpc_slice_malloc(size);
  google::protobuf::io::ArrayOutputStream array(GRPC_SLICE_START_PTR(slice), static_cast<int>(size));
  google::protobuf::io::CodedOutputStream out(&array);
  std::string scratch;
  for (const FieldDescriptor* field : fields) {
    const int n = field->number();
    switch (field->type()) {
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
        WireFormatLite::WriteBytes(n, reflection->GetStringReference(msg, field, &scratch), &out);
        break;
      case FieldDescriptor::TYPE_ENUM:
        WireFormatLite::WriteEnum(n, reflection->GetEnumValue(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_BOOL:
        WireFormatLite::WriteBool(n, reflection->GetBool(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_INT32:
        WireFormatLite::WriteInt32(n, reflection->GetInt32(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_SINT32:
        WireFormatLite::WriteSInt32(n, reflection->GetInt32(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_SFIXED32:
        WireFormatLite::WriteSFixed32(n, reflection->GetInt32(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_INT64:
        WireFormatLite::WriteInt64(n, reflection->GetInt64(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_SINT64:
        WireFormatLite::WriteSInt64(n, reflection->GetInt64(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_SFIXED64:
        WireFormatLite::WriteSFixed64(n, reflection->GetInt64(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_UINT32:
        WireFormatLite::WriteUInt32(n, reflection->GetUInt32(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_FIXED32:
        WireFormatLite::WriteFixed32(n, reflection->GetUInt32(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_UINT64:
        WireFormatLite::WriteUInt64(n, reflection->GetUInt64(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_FIXED64:
        WireFormatLite::WriteFixed64(n, reflection->GetUInt64(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_FLOAT:
        WireFormatLite::WriteFloat(n, reflection->GetFloat(msg, field), &out);
        break;
      case FieldDescriptor::TYPE_DOUBLE:
        WireFormatLite::WriteDouble(n, reflection->GetDouble(msg, field), &out);
        break;
      default:  // Groups and messages were refused above.
        grpc_slice_unref(slice);
        return false;
    }
  }
  out.Trim();
  if (out.HadError() || static_cast<size_t>(out.ByteCount()) != size) {
    grpc_slice_unref(slice);
    return false;
  }
  grpc::Slice owned(slice, grpc::Slice::STEAL_REF);
  grpc::ByteBuffer(&owned, 1).Swap(bb);
  return true;
}

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_UNCHECKED_SERIALIZE_H_
