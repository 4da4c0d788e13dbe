#include "tests/nats_server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "server/replication/nats_handles.h"

namespace heluo {

NatsServerProcess::NatsServerProcess(std::string dir) : dir_(std::move(dir)) { Start(); }

NatsServerProcess::~NatsServerProcess() { Stop(); }

std::string NatsServerProcess::log() const {
  std::ifstream in(dir_ + "/nats.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool NatsServerProcess::Start() {
  if (pid_ > 0) return true;
  const std::string log_path = dir_ + "/nats.log";
  // Each start appends to the log; only lines after this offset tell about this start.
  const size_t offset = log().size();
  const std::string port = std::to_string(port_);
  std::vector<std::string> argv = {"/usr/sbin/nats-server", "-js", "-a",    "127.0.0.1", "-p", port, "-sd",
                                   dir_ + "/store",         "-l",  log_path};
  // Built before the fork: the child of a threaded process must not allocate before execv (another thread
  // may have held the allocator's lock at the fork; seen as a hang under ASan).
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  static const std::regex kListening(R"(Listening for client connections on 127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = log();
    std::smatch m;
    const std::string fresh = text.size() > offset ? text.substr(offset) : "";
    if (std::regex_search(fresh, m, kListening)) {
      port_ = std::stoi(m[1]);
      return true;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return false;
}

bool NatsServerProcess::PurgeStream(const std::string& stream) const {
  natsConnection* nc = nullptr;
  if (natsConnection_ConnectTo(&nc, url().c_str()) != NATS_OK) return false;
  NatsConnectionPtr connection(nc);
  jsCtx* js = nullptr;
  if (natsConnection_JetStream(&js, nc, nullptr) != NATS_OK) return false;
  JsContextPtr context(js);
  return js_PurgeStream(js, stream.c_str(), nullptr, nullptr) == NATS_OK;
}

void NatsServerProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void NatsServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace heluo
