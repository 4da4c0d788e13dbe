// Runs the real heluo-server binary as a child process for integration tests: a fresh data directory, a
// free loopback port (--listen 127.0.0.1:0, port read from its start-up line; HTTP on a free port too),
// SIGTERM to stop.
#ifndef HELUO_TESTS_SERVER_PROCESS_H_
#define HELUO_TESTS_SERVER_PROCESS_H_

#include <grpcpp/client_context.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace heluo {

class ServerProcess {
 public:
  // Starts the server with `args` added to --listen 127.0.0.1:0. Waits up to 120 s for its start-up line
  // (the first saying "listening on"), or for it to exit.
  explicit ServerProcess(std::vector<std::string> args);
  ~ServerProcess();  // Stops the server if still running.

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& startup_line() const { return startup_line_; }
  // Everything the server wrote to stdout and stderr so far (after Stop(), all of it). A thread drains the
  // server's output all the time: a server whose log pipe is full blocks on its next log line (an audit
  // line per call), and a test that reads rarely must not stall the server under test.
  std::string output() const;
  // Sends SIGTERM and returns the exit status (-1 if it did not exit within 10 s and was killed).
  int Stop();
  // kill -9: no chance to clean up (crash-safety tests).
  void Kill();
  pid_t pid() const { return pid_; }
  // Gives the draining thread a moment to take in what the server has just written.
  void Poll() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

 private:
  // Reads what is there (waiting up to timeout_ms for the first bytes); false once the pipe is closed.
  bool ReadAvailable(int timeout_ms);
  void StartDraining();
  void StopDraining();
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::string startup_line_;
  mutable std::mutex output_mutex_;
  std::string output_;
  std::thread drainer_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together.
};

// Runs `argv` to completion and captures its output.
CommandResult RunCommand(const std::vector<std::string>& argv);

// A client context for one call to a test server: `token` as its bearer credential (none for nullptr), and
// a deadline `timeout` from now, so that a server that stops answering fails the test instead of hanging it.
inline std::unique_ptr<grpc::ClientContext> BearerContext(const char* token, std::chrono::milliseconds timeout) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  if (token != nullptr) ctx->AddMetadata("authorization", std::string("Bearer ") + token);
  return ctx;
}

// What a token file holds for `token`: its SHA-256 in hex, as `heluo-server --hash-token` prints it.
std::string TokenHash(const std::string& token);

}  // namespace heluo

#endif  // HELUO_TESTS_SERVER_PROCESS_H_
