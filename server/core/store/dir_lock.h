// DirLock: one heluo-server per data directory.
//
// LMDB itself lets several processes share an environment, but heluo keeps state beside it that assumes one
// owner (the import spool files, the map size it grows, the recognizer built from the glossary at start). A
// second server on the same directory is refused by an exclusive flock on DIR/heluo.lock, held for the life
// of the Store. flock locks vanish when the process dies (even by kill -9), so a crash never leaves a stale
// lock; the file keeps the holder's pid only to name it in the message.
#ifndef HELUO_SERVER_CORE_STORE_DIR_LOCK_H_
#define HELUO_SERVER_CORE_STORE_DIR_LOCK_H_

#include <string>

#include "server/core/status.h"

namespace heluo {

class DirLock {
 public:
  DirLock() = default;
  ~DirLock();
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // Takes the lock of directory `dir` without waiting. FAILED_PRECONDITION naming the holder's pid when
  // another process (or another Store in this one) holds it.
  static Result<DirLock> Acquire(const std::string& dir);

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_DIR_LOCK_H_
