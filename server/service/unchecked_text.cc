#include "server/service/unchecked_text.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

#include <map>
#include <memory>
#include <mutex>

namespace heluo {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The twin message type of one request type, in a pool of its own.
struct Twin {
  google::protobuf::DescriptorPool pool;
  google::protobuf::DynamicMessageFactory factory{&pool};
  const Message* prototype = nullptr;
};

// nullptr when the type has fields the twin does not handle.
std::unique_ptr<Twin> MakeTwin(const Descriptor* descriptor) {
  google::protobuf::FileDescriptorProto file;
  file.set_name("heluo-unchecked/" + descriptor->full_name() + ".proto");
  file.set_package(descriptor->file()->package());
  file.set_syntax("proto3");
  google::protobuf::DescriptorProto* message = file.add_message_type();
  descriptor->CopyTo(message);
  message->clear_nested_type();
  message->clear_enum_type();
  for (google::protobuf::FieldDescriptorProto& field : *message->mutable_field()) {
    if (field.label() == google::protobuf::FieldDescriptorProto::LABEL_REPEATED) return nullptr;
    switch (field.type()) {
      case google::protobuf::FieldDescriptorProto::TYPE_STRING:
        field.set_type(google::protobuf::FieldDescriptorProto::TYPE_BYTES);
        break;
      case google::protobuf::FieldDescriptorProto::TYPE_ENUM:
        field.set_type(google::protobuf::FieldDescriptorProto::TYPE_INT32);  // The same varint on the wire.
        field.clear_type_name();
        break;
      case google::protobuf::FieldDescriptorProto::TYPE_MESSAGE:
      case google::protobuf::FieldDescriptorProto::TYPE_GROUP:
        return nullptr;
      default:
        break;
    }
  }
  auto twin = std::make_unique<Twin>();
  const google::protobuf::FileDescriptor* built = twin->pool.BuildFile(file);
  if (built == nullptr) return nullptr;
  twin->prototype = twin->factory.GetPrototype(built->message_type(0));
  return twin;
}

const Twin* TwinOf(const Descriptor* descriptor) {
  static std::mutex mu;
  static auto* twins = new std::map<const Descriptor*, std::unique_ptr<Twin>>();  // Never destroyed.
  std::lock_guard lock(mu);
  auto [it, added] = twins->try_emplace(descriptor);
  if (added) it->second = MakeTwin(descriptor);
  return it->second.get();
}

// Sets `to_field` of `to` to the value of `from_field` of `from` (a twin).
void CopyField(const Message* from, const FieldDescriptor* from_field, Message* to, const FieldDescriptor* to_field) {
  const Reflection* in = from->GetReflection();
  const Reflection* out = to->GetReflection();
  switch (to_field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: out->SetString(to, to_field, in->GetString(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_ENUM: out->SetEnumValue(to, to_field, in->GetInt32(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_INT32: out->SetInt32(to, to_field, in->GetInt32(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_INT64: out->SetInt64(to, to_field, in->GetInt64(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_UINT32: out->SetUInt32(to, to_field, in->GetUInt32(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_UINT64: out->SetUInt64(to, to_field, in->GetUInt64(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_DOUBLE: out->SetDouble(to, to_field, in->GetDouble(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_FLOAT: out->SetFloat(to, to_field, in->GetFloat(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_BOOL: out->SetBool(to, to_field, in->GetBool(*from, from_field)); break;
    case FieldDescriptor::CPPTYPE_MESSAGE: break;  // A twin has none (MakeTwin).
  }
}

}  // namespace

bool ParseWithoutUtf8Check(const void* data, int size, Message* msg) {
  const Twin* twin = TwinOf(msg->GetDescriptor());
  if (twin == nullptr) return msg->ParseFromArray(data, size);
  std::unique_ptr<Message> lax(twin->prototype->New());
  if (!lax->ParseFromArray(data, size)) return false;
  msg->Clear();
  const Descriptor* lax_type = lax->GetDescriptor();
  const Descriptor* type = msg->GetDescriptor();
  for (int i = 0; i < lax_type->field_count(); ++i) {
    const FieldDescriptor* field = lax_type->field(i);
    if (!lax->GetReflection()->HasField(*lax, field)) continue;
    CopyField(lax.get(), field, msg, type->FindFieldByNumber(field->number()));
  }
  // Fields of a newer client that this server does not know are kept, as ParseFromArray keeps them.
  msg->GetReflection()->MutableUnknownFields(msg)->MergeFrom(lax->GetReflection()->GetUnknownFields(*lax));
  return true;
}

}  // namespace heluo
