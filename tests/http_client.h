// An HTTP/1.1 client for integration tests that reach a ServerProcess's HTTP face (cpp-httplib's client,
// the library the server uses, over loopback).
#ifndef HELUO_TESTS_HTTP_CLIENT_H_
#define HELUO_TESTS_HTTP_CLIENT_H_

#include <httplib.h>

#include <regex>
#include <string>

#include "tests/server_process.h"

namespace heluo {

struct HttpAnswer {
  int status = -1;  // -1: no answer.
  std::string body;
  httplib::Headers headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// The server's HTTP port, from its start-up line ("HTTP on http://127.0.0.1:PORT"); 0 when it has none.
inline int HttpPort(const ServerProcess& server) {
  std::smatch m;
  const std::string& line = server.startup_line();
  return std::regex_search(line, m, std::regex(R"(HTTP on http://127\.0\.0\.1:(\d+))")) ? std::stoi(m[1]) : 0;
}

inline HttpAnswer HttpCall(const ServerProcess& server, const std::string& method, const std::string& path,
                           const httplib::Headers& headers = {}, const std::string& body = "") {
  httplib::Client client("127.0.0.1", HttpPort(server));
  client.set_read_timeout(60, 0);
  httplib::Result r = method == "GET" ? client.Get(path.c_str(), headers)
                                      : client.Put(path.c_str(), headers, body, "application/json");
  HttpAnswer answer;
  if (!r) return answer;
  answer.status = r->status;
  answer.body = r->body;
  answer.headers = r->headers;
  return answer;
}

}  // namespace heluo

#endif  // HELUO_TESTS_HTTP_CLIENT_H_
