#include "client/backup_download.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "server/core/sha256.h"

namespace heluo::client {
namespace {

namespace fs = std::filesystem;

// The local side of a download: the directory, the temporary file, and undoing both on failure.
class LocalCopy {
 public:
  explicit LocalCopy(std::string dir) : dir_(std::move(dir)) {}
  ~LocalCopy() {
    if (fd_ >= 0) close(fd_);
    if (!kept_) {
      if (!temp_.empty()) unlink(temp_.c_str());
      if (created_) rmdir(dir_.c_str());
    }
  }

  // Creates the directory (0700) or checks that it is empty, then the temporary file. "" or why not.
  std::string Prepare() {
    std::error_code ec;
    struct stat st;
    if (lstat(dir_.c_str(), &st) != 0) {
      if (errno != ENOENT) return "cannot use " + dir_ + ": " + std::strerror(errno);
      const fs::path parent = fs::path(dir_).parent_path();
      if (!parent.empty()) fs::create_directories(parent, ec);
      if (ec || mkdir(dir_.c_str(), 0700) != 0) {
        return "cannot create " + dir_ + ": " + (ec ? ec.message() : std::strerror(errno));
      }
      created_ = true;
    } else {
      if (!fs::is_directory(dir_, ec)) return dir_ + " is not a directory; give a new or empty directory";
      fs::directory_iterator entries(dir_, ec);
      if (ec) return "cannot read " + dir_ + ": " + ec.message();
      if (entries != fs::directory_iterator()) {
        return dir_ + " is not empty (it holds " + entries->path().filename().string() +
               "); give a new or empty directory, so that a copy is never mixed with other files";
      }
    }
    temp_ = dir_ + "/.data.mdb.partial-XXXXXX";
    fd_ = mkstemp(temp_.data());  // O_EXCL, mode 0600: never through an existing file or symlink.
    if (fd_ < 0) {
      const std::string why = std::strerror(errno);
      temp_.clear();
      return "cannot create a file in " + dir_ + ": " + why;
    }
    return "";
  }

  // Writes all of `data`; "" or why not.
  std::string Write(const std::string& data) {
    for (size_t done = 0; done < data.size();) {
      const ssize_t n = write(fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return "cannot write " + temp_ + ": " + std::strerror(n < 0 ? errno : ENOSPC);
      done += static_cast<size_t>(n);
    }
    return "";
  }

  // Syncs, closes and renames the file to data.mdb, then syncs the directory; "" or why not.
  std::string Keep() {
    const std::string final_name = dir_ + "/data.mdb";
    if (fsync(fd_) != 0) return "cannot sync " + temp_ + " to disk: " + std::strerror(errno);
    const int fd = fd_;
    fd_ = -1;
    if (close(fd) != 0) return "cannot close " + temp_ + ": " + std::strerror(errno);
    if (renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, final_name.c_str(), RENAME_NOREPLACE) != 0) {
      return "cannot rename " + temp_ + " to " + final_name + ": " + std::strerror(errno);
    }
    const int dir_fd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = dir_fd >= 0 && fsync(dir_fd) == 0;
    const std::string why = std::strerror(errno);
    if (dir_fd >= 0) close(dir_fd);
    if (!synced) {
      unlink(final_name.c_str());
      return "cannot sync " + dir_ + " to disk: " + why;
    }
    kept_ = true;
    return "";
  }

 private:
  std::string dir_;
  std::string temp_;
  int fd_ = -1;
  bool created_ = false;
  bool kept_ = false;
};

DownloadResult LocalError(const std::string& why) {
  DownloadResult r;
  r.outcome = DownloadResult::Outcome::kLocalError;
  r.message = why + "; nothing was kept";
  return r;
}

}  // namespace

DownloadResult DownloadBackup(v1::Admin::StubInterface& stub, grpc::ClientContext* ctx,
                              const std::string& dir) {
  // Past a file size limit (ulimit -f) write() must fail with EFBIG like any other write error, instead of
  // the signal killing the client with the copy half written.
  signal(SIGXFSZ, SIG_IGN);
  LocalCopy copy(dir);
  if (std::string why = copy.Prepare(); !why.empty()) return LocalError(why);
  auto reader = stub.DownloadBackup(ctx, v1::DownloadBackupRequest());
  v1::BackupChunk chunk;
  Sha256 hash;
  int64_t bytes = 0;
  bool have_digest = false;
  v1::BackupDigest digest;
  std::string failed;
  while (reader->Read(&chunk)) {
    if (have_digest) {
      failed = "the server sent data after the copy's checksum";
    } else if (chunk.has_digest()) {
      have_digest = true;
      digest = chunk.digest();
    }
    if (failed.empty() && !chunk.data().empty()) {
      failed = copy.Write(chunk.data());
      hash.Update(chunk.data());
      bytes += static_cast<int64_t>(chunk.data().size());
    }
    if (!failed.empty()) {
      ctx->TryCancel();  // Stop the server's copy; Finish() then reports CANCELLED.
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (!failed.empty()) return LocalError(failed + "; the download was stopped");
  if (!status.ok()) {
    DownloadResult r;
    r.outcome = DownloadResult::Outcome::kServerError;
    r.status = status;
    return r;
  }
  if (!have_digest) {
    return LocalError("the stream ended after " + std::to_string(bytes) +
                      " bytes without the server's size and checksum: the copy is incomplete (or the server "
                      "is older than this client)");
  }
  const std::string sha256 = hash.HexDigest();
  if (digest.bytes() != bytes) {
    return LocalError("received " + std::to_string(bytes) + " bytes, but the server sent a copy of " +
                      std::to_string(digest.bytes()) + " bytes");
  }
  if (digest.sha256() != sha256) {
    return LocalError("the copy's SHA-256 " + sha256 + " differs from the server's " + digest.sha256());
  }
  if (std::string why = copy.Keep(); !why.empty()) return LocalError(why);
  DownloadResult r;
  r.outcome = DownloadResult::Outcome::kDone;
  r.bytes = bytes;
  r.sha256 = sha256;
  return r;
}

}  // namespace heluo::client
