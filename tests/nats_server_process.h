// A real nats-server (Debian's package) with JetStream, run by a test as a child process: a free loopback
// port, its store in a directory the test owns, so a restart with the same port and directory keeps the
// stream, and kill -9 for crash tests.
#ifndef HELUO_TESTS_NATS_SERVER_PROCESS_H_
#define HELUO_TESTS_NATS_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>

namespace heluo {

class NatsServerProcess {
 public:
  // Starts nats-server -js on a free port with its store under `dir`.
  explicit NatsServerProcess(std::string dir);
  ~NatsServerProcess();  // Stops the server if it runs.
  NatsServerProcess(const NatsServerProcess&) = delete;
  NatsServerProcess& operator=(const NatsServerProcess&) = delete;

  // Starts it again (after Stop or Kill) on the same port with the same store. False if it did not say it
  // was listening within 20 s.
  bool Start();
  void Stop();  // SIGTERM, waits for the exit.
  void Kill();  // kill -9.
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  // Removes every message of `stream`, as an operator's `nats stream purge` (or the stream's limits) would.
  bool PurgeStream(const std::string& stream) const;
  // The server's log so far.
  std::string log() const;

 private:
  std::string dir_;
  int port_ = -1;  // -1: let nats-server pick one on the first start.
  pid_t pid_ = -1;
};

}  // namespace heluo

#endif  // HELUO_TESTS_NATS_SERVER_PROCESS_H_
