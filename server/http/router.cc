#include "server/http/router.h"

#include "server/http/http_error.h"

namespace heluo::http {

void Router::Remember(const std::string& pattern, const char* method) {
  methods_.emplace_back(std::regex(pattern), method);
}

void Router::Get(const std::string& pattern, httplib::Server::Handler handler) {
  Remember(pattern, "GET");
  server_->Get(pattern, std::move(handler));
}

void Router::Post(const std::string& pattern, httplib::Server::HandlerWithContentReader handler) {
  Remember(pattern, "POST");
  server_->Post(pattern, std::move(handler));
}

void Router::Put(const std::string& pattern, httplib::Server::HandlerWithContentReader handler) {
  Remember(pattern, "PUT");
  server_->Put(pattern, std::move(handler));
}

void Router::Delete(const std::string& pattern, httplib::Server::Handler handler) {
  Remember(pattern, "DELETE");
  server_->Delete(pattern, std::move(handler));
}

std::string Router::Allowed(const std::string& path) const {
  std::string allowed;
  for (const auto& [pattern, method] : methods_) {
    if (!std::regex_match(path, pattern) || allowed.find(method) != std::string::npos) continue;
    allowed += (allowed.empty() ? "" : ", ") + method;
  }
  return allowed;
}

void Router::InstallErrorHandler() {
  server_->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                         httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // A handler's own error.
    // httplib answers 404 (or 400, for a body-less POST) when no route took the request.
    const std::string allowed = Allowed(req.path);
    const bool method_known = allowed.find(req.method) != std::string::npos;
    if (res.status == 413) {
      SendError(res, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
                "the request body is larger than this server accepts");
    } else if (!allowed.empty() && !method_known) {
      res.set_header("Allow", allowed);
      SendError(res, 405, grpc::StatusCode::UNIMPLEMENTED,
                req.method + " is not allowed on " + req.path + "; it takes " + allowed);
    } else if (allowed.empty()) {
      SendError(res, 404, grpc::StatusCode::NOT_FOUND,
                "no route " + req.method + " " + req.path + " (the routes are in docs/http-api.md)");
    } else {
      SendError(res, res.status, grpc::StatusCode::INVALID_ARGUMENT, "the HTTP request could not be read");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
}

}  // namespace heluo::http
