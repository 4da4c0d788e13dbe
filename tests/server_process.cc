#include "tests/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>

namespace heluo {
namespace {

pid_t Spawn(const std::vector<std::string>& argv, int* out_fd) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;
  // Built before the fork: the child of a threaded process must not allocate before execv (another thread
  // may have held the allocator's lock at the fork; seen as a hang under ASan).
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  *out_fd = pipe_fds[0];
  return pid;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> args) {
  // A free HTTP port too: the default 8080 would make parallel test servers collide.
  std::vector<std::string> argv = {HELUO_SERVER_BIN, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = Spawn(argv, &out_fd_);
  // Generous: a start may first remove what a killed import staged (at about import speed).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  static const std::regex kListening(R"(listening on 127\.0\.0\.1:(\d+))");
  while (std::chrono::steady_clock::now() < deadline) {
    ReadAvailable(100);
    // Log lines (a spool cleaned up, a schema upgraded, an unfinished import removed) may come before the
    // start-up line.
    for (size_t start = 0, eol; (eol = output_.find('\n', start)) != std::string::npos; start = eol + 1) {
      const std::string line = output_.substr(start, eol - start);
      std::smatch m;
      if (std::regex_search(line, m, kListening)) {
        startup_line_ = line;
        port_ = std::stoi(m[1]);
        StartDraining();
        return;
      }
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // Exited before saying anything useful.
      ReadAvailable(0);
      pid_ = -1;
      StartDraining();
      return;
    }
  }
  StartDraining();
}

ServerProcess::~ServerProcess() {
  Stop();
  StopDraining();
}

std::string ServerProcess::output() const {
  std::lock_guard<std::mutex> lock(output_mutex_);
  return output_;
}

bool ServerProcess::ReadAvailable(int timeout_ms) {
  if (out_fd_ < 0) return false;
  pollfd p{out_fd_, POLLIN, 0};
  while (poll(&p, 1, timeout_ms) > 0) {
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return false;  // The server closed its end (it exited).
    std::lock_guard<std::mutex> lock(output_mutex_);
    output_.append(buf, static_cast<size_t>(n));
    timeout_ms = 0;
  }
  return true;
}

void ServerProcess::StartDraining() {
  drainer_ = std::thread([this] {
    while (ReadAvailable(100)) {
    }
  });
}

void ServerProcess::StopDraining() {
  if (drainer_.joinable()) drainer_.join();  // Ends when the server's end of the pipe is closed.
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
}

int ServerProcess::Stop() {
  if (pid_ <= 0) {
    StopDraining();
    return -1;
  }
  kill(pid_, SIGTERM);
  int status = 0;
  int exit_code = -1;
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    usleep(100 * 1000);
  }
  if (exit_code == -1 && waitpid(pid_, &status, WNOHANG) == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  StopDraining();  // The server is gone: the rest of its output is read to the end.
  return exit_code;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  ReadAvailable(0);
}

CommandResult RunCommand(const std::vector<std::string>& argv) {
  CommandResult result;
  int fd = -1;
  pid_t pid = Spawn(argv, &fd);
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) result.out.append(buf, static_cast<size_t>(n));
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string TokenHash(const std::string& token) {
  return RunCommand({HELUO_SERVER_BIN, "--hash-token", token}).out.substr(0, 64);
}

}  // namespace heluo
