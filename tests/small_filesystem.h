// A real, small filesystem for disk-full tests: a tmpfs of a given size mounted on a directory for the life
// of the object. Needs root (CAP_SYS_ADMIN); where that is missing, mounted() is false and the tests that
// need it say so and skip, or limit the file size with RLIMIT_FSIZE instead.
#ifndef HELUO_TESTS_SMALL_FILESYSTEM_H_
#define HELUO_TESTS_SMALL_FILESYSTEM_H_

#include <sys/mount.h>
#include <sys/stat.h>

#include <string>

namespace heluo {

class SmallFilesystem {
 public:
  SmallFilesystem(const std::string& dir, size_t bytes) : dir_(dir) {
    mkdir(dir.c_str(), 0700);
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, Options(bytes).c_str()) == 0;
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }
  // Makes room: the same filesystem, files kept, with a new size.
  bool Resize(size_t bytes) {
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, Options(bytes).c_str()) ==
           0;
  }

 private:
  static std::string Options(size_t bytes) { return "size=" + std::to_string(bytes) + ",mode=0700"; }
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace heluo

#endif  // HELUO_TESTS_SMALL_FILESYSTEM_H_
