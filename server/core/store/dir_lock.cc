#include "server/core/store/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace heluo {

DirLock::~DirLock() {
  if (fd_ >= 0) close(fd_);  // Closing the descriptor releases the flock.
}

DirLock& DirLock::operator=(DirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Result<DirLock> DirLock::Acquire(const std::string& dir) {
  const std::string path = dir + "/heluo.lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return Status::FailedPrecondition("cannot open the lock file " + path + ": " + std::strerror(errno));
  DirLock lock(fd);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err != EWOULDBLOCK) {
      return Status::FailedPrecondition("cannot lock " + path + ": " + std::strerror(err));
    }
    char pid[32] = {};
    const ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Status::FailedPrecondition("data directory " + dir + " is in use by another heluo-server" +
                                      (holder.empty() ? "" : " (pid " + holder + ")") + ", which holds " +
                                      path + "; stop it first or choose another --data-dir");
  }
  const std::string mine = std::to_string(getpid()) + "\n";
  // The pid only names the holder in the message above: failing to write it does not weaken the lock.
  if (ftruncate(fd, 0) == 0) (void)!pwrite(fd, mine.data(), mine.size(), 0);
  return lock;
}

}  // namespace heluo
