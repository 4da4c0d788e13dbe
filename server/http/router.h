// Router: registers handlers on an httplib::Server and remembers which methods each path pattern takes,
// so a request with a known path and another method gets 405 with an Allow header instead of httplib's
// plain 404, and every refusal has the AIP-193 shape (server/http/http_error.h).
//
// Thread-safety: register everything before the server starts; Allowed() is then read-only.
#ifndef HELUO_SERVER_HTTP_ROUTER_H_
#define HELUO_SERVER_HTTP_ROUTER_H_

#include <httplib.h>

#include <regex>
#include <string>
#include <vector>

namespace heluo::http {

class Router {
 public:
  explicit Router(httplib::Server* server) : server_(server) {}

  void Get(const std::string& pattern, httplib::Server::Handler handler);
  void Post(const std::string& pattern, httplib::Server::HandlerWithContentReader handler);
  void Put(const std::string& pattern, httplib::Server::HandlerWithContentReader handler);
  void Delete(const std::string& pattern, httplib::Server::Handler handler);

  // Methods registered for a path, e.g. "GET, DELETE"; empty when no pattern matches it.
  std::string Allowed(const std::string& path) const;

  // Installs the error handler that turns httplib's own refusals (no route, body too large, bad request
  // line) into AIP-193 errors, 404 into 405 when the path exists under another method.
  void InstallErrorHandler();

 private:
  void Remember(const std::string& pattern, const char* method);

  httplib::Server* server_;
  std::vector<std::pair<std::regex, std::string>> methods_;
};

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_ROUTER_H_
