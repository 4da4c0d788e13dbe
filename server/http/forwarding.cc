#include "server/http/forwarding.h"

#include <algorithm>

#include "server/http/http_error.h"
#include "server/service/auth.h"
#include "server/service/caller.h"

namespace heluo::http {
namespace {

bool IsMetadataValue(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace

bool ForwardCaller(const httplib::Request& req, const std::optional<std::string>& token,
                   grpc::ClientContext* context, httplib::Response& res) {
  std::string authorization = token ? "Bearer " + *token : req.get_header_value("Authorization");
  if (!IsMetadataValue(authorization)) {
    SendError(res, 401, grpc::StatusCode::UNAUTHENTICATED, "the token must be printable ASCII");
    return false;
  }
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  if (const std::string wanted = req.get_header_value("X-Heluo-Min-Sequence"); !wanted.empty()) {
    if (!IsMetadataValue(wanted)) {
      SendError(res, 400, grpc::StatusCode::INVALID_ARGUMENT, "X-Heluo-Min-Sequence must be a commit sequence");
      return false;
    }
    context->AddMetadata(kMinSequenceMetadata, wanted);  // The service checks the number itself.
  }
  const bool v6 = req.remote_addr.find(':') != std::string::npos;
  context->AddMetadata(kHttpPeerMetadata, v6 ? "[" + req.remote_addr + "]:" + std::to_string(req.remote_port)
                                             : req.remote_addr + ":" + std::to_string(req.remote_port));
  return true;
}

void ReturnCommitSequence(const grpc::ClientContext& context, httplib::Response& res) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(kCommitSequenceMetadata);
  if (it != trailers.end()) res.set_header("X-Heluo-Commit-Sequence", std::string(it->second.data(), it->second.size()));
}

bool ReadBody(const httplib::ContentReader& reader, size_t max_bytes, std::string* body,
              httplib::Response& res) {
  bool too_large = false;
  const bool complete = reader([&](const char* data, size_t length) {
    // Past the limit the rest is read and dropped, not refused mid-body: most clients (curl aside) only
    // read an answer after sending everything, and would see a reset instead of the 413.
    too_large = too_large || body->size() + length > max_bytes;
    if (too_large) {
      body->clear();
    } else {
      body->append(data, length);
    }
    return true;
  });
  if (too_large) {
    SendError(res, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
              "the request body is larger than this server's limit of " + std::to_string(max_bytes >> 20) +
                  " MiB (--max-message-mib)");
    return false;
  }
  if (!complete) {
    SendError(res, 400, grpc::StatusCode::INVALID_ARGUMENT, "the request body ended early");
    return false;
  }
  return true;
}

bool QueryFlag(const httplib::Request& req, const std::string& name) {
  const std::string value = req.get_param_value(name);
  return value == "true" || value == "1";
}

}  // namespace heluo::http
