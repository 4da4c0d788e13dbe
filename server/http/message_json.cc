#include "server/http/message_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/type.pb.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <nlohmann/json.hpp>

namespace heluo::http {
namespace {

namespace pb = google::protobuf;

// "zh" → "LANGUAGE_ZH" for the enum whose zero value is LANGUAGE_UNSPECIFIED; the value unchanged when it
// is already a value's name (or nothing matches, so that protobuf names the bad value).
std::string EnumValueName(const pb::EnumDescriptor* e, const std::string& value) {
  if (e->FindValueByName(value) != nullptr) return value;
  std::string prefix = e->value(0)->name();
  const std::string kUnspecified = "UNSPECIFIED";
  if (prefix.size() < kUnspecified.size() ||
      prefix.compare(prefix.size() - kUnspecified.size(), std::string::npos, kUnspecified) != 0)
    return value;
  prefix.resize(prefix.size() - kUnspecified.size());
  std::string upper = value;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (e->FindValueByName(prefix + upper) != nullptr) return prefix + upper;
  if (e->FindValueByName(upper) != nullptr) return upper;
  return value;
}

// protobuf's JsonStringToMessage and MessageToJsonString build a type resolver for the message's pool on
// every call, which cost more than the rest of a term lookup over HTTP. And each conversion still asks
// the resolver again for every message type it meets (protobuf 3.21 keeps no cache between conversions),
// and the descriptor pool's resolver rebuilds a google.protobuf.Type from the descriptor each time,
// options and all: most of an HTTP lookup's CPU was spent there (malloc). The types never change while
// the server runs, so each is built once and copied out of a cache.
class CachingTypeResolver : public pb::util::TypeResolver {
 public:
  explicit CachingTypeResolver(pb::util::TypeResolver* resolver) : resolver_(resolver) {}

  pb::util::Status ResolveMessageType(const std::string& type_url, pb::Type* type) override {
    return Resolve(type_url, type, &types_, [&](pb::Type* t) { return resolver_->ResolveMessageType(type_url, t); });
  }
  pb::util::Status ResolveEnumType(const std::string& type_url, pb::Enum* enum_type) override {
    return Resolve(type_url, enum_type, &enums_, [&](pb::Enum* e) { return resolver_->ResolveEnumType(type_url, e); });
  }

 private:
  template <typename T, typename Build>
  pb::util::Status Resolve(const std::string& url, T* out, std::map<std::string, std::unique_ptr<const T>>* cache,
                       Build build) {
    {
      std::shared_lock lock(mu_);
      if (auto it = cache->find(url); it != cache->end()) {
        out->CopyFrom(*it->second);
        return pb::util::OkStatus();
      }
    }
    auto built = std::make_unique<T>();
    if (pb::util::Status st = build(built.get()); !st.ok()) return st;  // Unknown types are not cached.
    out->CopyFrom(*built);
    std::unique_lock lock(mu_);
    cache->emplace(url, std::move(built));
    return pb::util::OkStatus();
  }

  std::unique_ptr<pb::util::TypeResolver> resolver_;
  std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<const pb::Type>> types_;
  std::map<std::string, std::unique_ptr<const pb::Enum>> enums_;
};

pb::util::TypeResolver* Resolver() {
  static pb::util::TypeResolver* const resolver = new CachingTypeResolver(
      pb::util::NewTypeResolverForDescriptorPool("type.googleapis.com", pb::DescriptorPool::generated_pool()));
  return resolver;
}

std::string TypeUrl(const pb::Descriptor* d) { return "type.googleapis.com/" + d->full_name(); }

// JSON → message through the shared resolver; `what` names the input in the error.
grpc::Status ParseJson(const std::string& json, const std::string& what, pb::Message* message) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::string binary;
  const auto st =
      pb::util::JsonToBinaryString(Resolver(), TypeUrl(message->GetDescriptor()), json, &binary, options);
  const std::string name = message->GetDescriptor()->name();
  if (!st.ok()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        what + " not a valid JSON " + name + ": " + std::string(st.message()));
  }
  if (!message->ParseFromString(binary)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a text field of the " + name + " is not valid UTF-8");
  }
  return grpc::Status::OK;
}

// An update mask travels as a query parameter (AIP-134 over HTTP: PUT …?updateMask=en,note), in its JSON
// form, a comma-separated list of lowerCamelCase field names.
bool IsFieldMask(const pb::FieldDescriptor* field) {
  return field->message_type() != nullptr && field->message_type()->full_name() == "google.protobuf.FieldMask";
}

nlohmann::json QueryValue(const pb::FieldDescriptor* field, const std::string& value) {
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      if (value == "true" || value == "1") return true;
      if (value == "false" || value == "0") return false;
      return value;  // Protobuf refuses it with its own message.
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return EnumValueName(field->enum_type(), value);
    default:
      return value;  // The JSON mapping reads numbers from strings too.
  }
}

}  // namespace

grpc::Status MessageFromJson(const std::string& json, pb::Message* message) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto st = pb::util::JsonStringToMessage(json, message, options);
  if (st.ok()) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      "the body is not a valid JSON " + message->GetDescriptor()->name() + ": " + std::string(st.message()));
}

grpc::Status MessageFromQuery(const std::multimap<std::string, std::string>& params, pb::Message* message) {
  const pb::Descriptor* d = message->GetDescriptor();
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : params) {
    const pb::FieldDescriptor* field = d->FindFieldByName(name);
    if (field == nullptr) field = d->FindFieldByCamelcaseName(name);
    if (field == nullptr || (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !IsFieldMask(field))) {
      std::string takes;
      for (int i = 0; i < d->field_count(); ++i) {
        if (d->field(i)->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !IsFieldMask(d->field(i))) continue;
        takes += (takes.empty() ? "" : ", ") + d->field(i)->name();
      }
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "unknown query parameter '" + name + "' for " + d->name() +
                              "; it takes: " + (takes.empty() ? "none" : takes));
    }
    if (field->is_repeated()) {
      object[field->name()].push_back(QueryValue(field, value));
    } else {
      object[field->name()] = QueryValue(field, value);
    }
  }
  std::string json;
  try {
    json = object.dump();
  } catch (const nlohmann::json::type_error&) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a query parameter is not valid UTF-8; send text as UTF-8");
  }
  return ParseJson(json, "the query parameters are", message);
}

void SetStringField(const std::string& path, const std::string& value, pb::Message* message) {
  size_t dot = path.find('.');
  const pb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(path.substr(0, dot));
  if (dot == std::string::npos) {
    message->GetReflection()->SetString(message, field, value);
  } else {
    SetStringField(path.substr(dot + 1), value, message->GetReflection()->MutableMessage(message, field));
  }
}

std::string MessageToJson(const pb::Message& message) {
  static const pb::util::JsonPrintOptions options = [] {
    pb::util::JsonPrintOptions o;
    o.always_print_primitive_fields = true;
    return o;
  }();
  std::string out;
  (void)pb::util::BinaryToJsonString(Resolver(), TypeUrl(message.GetDescriptor()), message.SerializeAsString(), &out,
                                     options);
  out.push_back('\n');  // In place: no copy of the answer.
  return out;
}

}  // namespace heluo::http
