#include "server/core/store/backup_path.h"

#include <filesystem>

namespace heluo {
namespace {

namespace fs = std::filesystem;

// Whether `path` is strictly below `root` (both normalized), compared component by component so that
// /srv/backups-evil is not taken for a directory below /srv/backups.
bool StrictlyBelow(const fs::path& root, const fs::path& path) {
  auto r = root.begin(), p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty() && std::next(r) == root.end()) break;  // A trailing separator on the root.
    if (p == path.end() || *p != *r) return false;
  }
  for (; p != path.end(); ++p) {
    if (!p->empty() && *p != ".") return true;
  }
  return false;
}

}  // namespace

Result<std::string> ResolveBackupPath(const std::string& root, const std::string& requested) {
  if (requested.empty())
    return Status::InvalidArgument("name the backup directory (a path below --backup-dir)");
  if (requested.find('\0') != std::string::npos) {
    return Status::InvalidArgument("the backup path contains a NUL byte; nothing was written");
  }
  const fs::path asked(requested);
  for (const fs::path& part : asked) {
    if (part == "..")
      return Status::InvalidArgument("the backup path may not contain '..'; nothing was written");
  }
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec)
    return Status::FailedPrecondition("the backup directory " + root + " is not usable: " + ec.message());
  const fs::path wanted = (asked.is_absolute() ? asked : base / asked).lexically_normal();
  if (!StrictlyBelow(base, wanted)) {
    return Status::InvalidArgument("backups are written only below " + base.string() + " (--backup-dir); " +
                                   requested + " is not below it; nothing was written");
  }
  // Resolves every symlink along the part of the path that exists; a link out of the root shows here.
  const fs::path resolved = fs::weakly_canonical(wanted, ec);
  if (ec)
    return Status::FailedPrecondition("cannot resolve the backup path " + requested + ": " + ec.message());
  if (!StrictlyBelow(base, resolved)) {
    return Status::InvalidArgument("the backup path " + requested + " leads outside " + base.string() +
                                   " (--backup-dir) through a symlink; nothing was written");
  }
  return resolved.string();
}

}  // namespace heluo
