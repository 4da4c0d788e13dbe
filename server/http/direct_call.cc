#include "server/http/direct_call.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>

#include "server/http/forwarding.h"
#include "server/service/commit_sequence.h"
#include "server/service/request_traits.h"

namespace heluo::http {
namespace {

// The deadline of a unary call made for an HTTP request (HTTP has no way to send one).
constexpr auto kUnaryDeadline = std::chrono::seconds(30);

}  // namespace

DirectCall::DirectCall(const ApiOptions& api, std::string path)
    : api_(api), path_(std::move(path)), body_(api.methods == nullptr ? nullptr : api.methods->Find(path_)) {
  if (body_ == nullptr || api.metrics == nullptr) {
    spdlog::critical("the HTTP face has no method body for {}", path_);  // A wiring mistake in main.cc.
    std::abort();
  }
}

std::optional<grpc::Status> DirectCall::Call(const httplib::Request& req,
                                             const std::optional<std::string>& token,
                                             const google::protobuf::Message& request,
                                             const grpc::Status& parsed, google::protobuf::Message* response,
                                             httplib::Response& res) const {
  HttpCall http;
  if (!http.Read(req, token, std::chrono::system_clock::now() + kUnaryDeadline, res)) return std::nullopt;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status st = parsed.ok() ? ValidateEnums(request) : parsed;
  if (st.ok()) st = (*body_)(http.call(), request, response);
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  RecordCall(api_.metrics, path_, st, micros, http.call());
  if (api_.replication != nullptr)
    res.set_header("X-Heluo-Commit-Sequence", CommitSequenceOf(*api_.replication));
  return st;
}

}  // namespace heluo::http
