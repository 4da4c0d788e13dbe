#include "server/http/http_server.h"

#include <chrono>

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <fstream>

#include "server/http/json_api.h"
#include "server/http/libretranslate.h"
#include "server/http/router.h"
#include "server/http/tmserver.h"
#include "server/http/transfer_api.h"
#include "server/http/web_console.h"

namespace heluo::http {

HttpServer::HttpServer() = default;
HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const HttpServerOptions& options, int* port) {
  options_ = options;
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--http-listen must be HOST:PORT or off");
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int wanted = -1;
  try {
    wanted = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (wanted < 0 || wanted > 65535)
    return Status::InvalidArgument("--http-listen " + options.listen + ": bad port");

  if (!options.tls_cert.empty()) {
    for (const std::string& f : {options.tls_cert, options.tls_key}) {
      if (!std::ifstream(f)) return Status::InvalidArgument("cannot read " + f + " for HTTPS");
    }
    server_ = std::make_unique<httplib::SSLServer>(
        options.tls_cert.c_str(), options.tls_key.c_str(),
        options.tls_client_ca.empty() ? nullptr : options.tls_client_ca.c_str());
    if (!server_->is_valid())
      return Status::InvalidArgument("the TLS certificate or key cannot be used for HTTPS");
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  const int threads = options.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server_->set_read_timeout(options.idle_timeout_seconds, 0);
  server_->set_write_timeout(options.idle_timeout_seconds, 0);
  server_->set_keep_alive_timeout(options.idle_timeout_seconds);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server would silently share
  // a busy port instead of being told it is taken.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->set_keep_alive_max_count(100000);  // httplib closes after 5 requests by default.
  server_->set_tcp_nodelay(
      true);  // Without it a keep-alive answer written in two pieces waits for a delayed ACK.
  server_->set_payload_max_length(options.max_upload_bytes + (1 << 20));

  router_ = std::make_unique<Router>(server_.get());
  AddJsonApi(options_.api, router_.get());
  AddTransferApi(options_.api, router_.get());
  AddLibreTranslateApi(options_.api, router_.get());
  AddTmserverApi(options_.api, router_.get());
  AddWebConsole(router_.get());
  router_->InstallErrorHandler();
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(R"({"error":{"code":500,"status":"INTERNAL","message":"internal error"}})"
                    "\n",
                    "application/json");
  });

  *port = wanted == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, wanted) ? wanted : -1);
  if (*port <= 0) {
    return Status::FailedPrecondition("cannot listen for HTTP on " + options.listen +
                                      " (in use, or not an address of this machine); choose another with "
                                      "--http-listen HOST:PORT, or --http-listen off");
  }
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_ == nullptr) return;
  // httplib's stop() does nothing until the listening thread has started (is_running()): a SIGTERM right
  // after start-up would otherwise leave listen_after_bind running forever and the join below hanging (seen
  // under load in IntegrationStandaloneTest.RestartDoesNotImportTheBundleAgain).
  while (thread_.joinable() && !server_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  router_.reset();
}

}  // namespace heluo::http
