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

// What an HTTP request says about its caller, whichever way its call reaches the services. Empty strings
// stand for headers not sent. False, with `res` set, when they cannot be sent on as gRPC metadata (the
// direct path refuses exactly what the in-process channel would).
bool ReadCaller(const httplib::Request& req, const std::optional<std::string>& token, std::string* authorization,
                std::string* min_sequence, std::string* peer, httplib::Response& res) {
  *authorization = token ? "Bearer " + *token : req.get_header_value("Authorization");
  if (!IsMetadataValue(*authorization)) {
    SendError(res, 401, grpc::StatusCode::UNAUTHENTICATED, "the token must be printable ASCII");
    return false;
  }
  *min_sequence = req.get_header_value("X-Heluo-Min-Sequence");  // The service checks the number itself.
  if (!IsMetadataValue(*min_sequence)) {
    SendError(res, 400, grpc::StatusCode::INVALID_ARGUMENT, "X-Heluo-Min-Sequence must be a commit sequence");
    return false;
  }
  const bool v6 = req.remote_addr.find(':') != std::string::npos;
  *peer = v6 ? "[" + req.remote_addr + "]:" + std::to_string(req.remote_port)
             : req.remote_addr + ":" + std::to_string(req.remote_port);
  return true;
}

}  // namespace

bool ForwardCaller(const httplib::Request& req, const std::optional<std::string>& token,
                   grpc::ClientContext* context, httplib::Response& res) {
  std::string authorization, min_sequence, peer;
  if (!ReadCaller(req, token, &authorization, &min_sequence, &peer, res)) return false;
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  if (!min_sequence.empty()) context->AddMetadata(kMinSequenceMetadata, min_sequence);
  context->AddMetadata(kHttpPeerMetadata, peer);
  return true;
}

bool HttpCall::Read(const httplib::Request& req, const std::optional<std::string>& token,
                    std::chrono::system_clock::time_point deadline, httplib::Response& res) {
  if (!ReadCaller(req, token, &authorization_, &min_sequence_, &peer_, res)) return false;
  if (!authorization_.empty()) call_.authorization = authorization_;
  if (!min_sequence_.empty()) call_.min_sequence = min_sequence_;
  call_.deadline = deadline;
  call_.peer = [this] { return HttpPeer(peer_); };
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
