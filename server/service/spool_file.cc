#include "server/service/spool_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace heluo {

SpoolFile::~SpoolFile() {
  if (fd_ >= 0) close(fd_);
}

Status SpoolFile::Create(const std::string& dir) {
  fd_ = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {  // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string pattern = dir + "/export-XXXXXX.spool";
    fd_ = mkostemps(pattern.data(), 6, O_CLOEXEC);
    if (fd_ >= 0) unlink(pattern.c_str());
  }
  if (fd_ < 0) return Status::Internal("cannot create a spool file in the data directory: " + std::string(std::strerror(errno)));
  return Status::Ok();
}

Status SpoolFile::Append(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::ResourceExhausted("cannot spool the export in the data directory (" +
                                       std::string(n < 0 ? std::strerror(errno) : "no progress") + "); nothing was sent");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SpoolFile::Capture(const std::function<Status(const std::function<bool(std::string_view)>& sink)>& produce) {
  Status appended;
  Status produced = produce([&](std::string_view data) {
    appended = Append(data);
    return appended.ok();
  });
  return appended.ok() ? produced : appended;
}

Result<bool> SpoolFile::ForEachChunk(const std::function<bool(std::string_view)>& send) const {
  std::string buffer(64 * 1024, '\0');
  for (off_t offset = 0;;) {
    const ssize_t n = pread(fd_, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Internal("cannot read back the spooled export: " + std::string(std::strerror(errno)));
    if (n == 0) return true;
    if (!send(std::string_view(buffer.data(), static_cast<size_t>(n)))) return false;
    offset += n;
  }
}

}  // namespace heluo
