// Protobuf messages to and from the JSON the HTTP face speaks: protobuf's canonical JSON mapping through its
// own parser and printer (lowerCamelCase names; proto field names accepted too; unknown fields refused),
// and query parameters read as the same mapping would read them.
#ifndef HELUO_SERVER_HTTP_MESSAGE_JSON_H_
#define HELUO_SERVER_HTTP_MESSAGE_JSON_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <map>
#include <string>

namespace heluo::http {

// INVALID_ARGUMENT naming the message and protobuf's reason when `json` is not a valid message.
grpc::Status MessageFromJson(const std::string& json, google::protobuf::Message* message);

// Query parameters (?text=…&collections=a&collections=b&language=zh) as top-level fields of `message`, by
// proto or JSON name. A repeated parameter fills a repeated field; an enum value may be written without its
// prefix and in any case (language=zh for LANGUAGE_ZH, format=tmx for EXPORT_FORMAT_TMX). An unknown
// parameter is INVALID_ARGUMENT listing the ones the method takes.
grpc::Status MessageFromQuery(const std::multimap<std::string, std::string>& params,
                              google::protobuf::Message* message);

// Sets the string field at `path` ("id", "entry.id") to `value`.
void SetStringField(const std::string& path, const std::string& value, google::protobuf::Message* message);

// Canonical JSON, printing fields with default values too (a client sees "matches": [] rather than {}).
std::string MessageToJson(const google::protobuf::Message& message);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_MESSAGE_JSON_H_
