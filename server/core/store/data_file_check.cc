#include "server/core/store/data_file_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace heluo {
namespace {

// The on-disk layout of liblmdb 0.9 (mdb.c) on a 64-bit host: a 16-byte page header (mp_pgno, mp_pad,
// mp_flags, mp_lower/mp_upper), then MDB_meta: mm_magic, mm_version, mm_address, mm_mapsize, mm_dbs[2] (48
// bytes each; mm_dbs[0].md_pad holds the page size, md_root is the last field), mm_last_pg, mm_txnid.
static_assert(sizeof(size_t) == 8, "the offsets below are those of a 64-bit LMDB");
constexpr size_t kPageHeader = 16;
constexpr size_t kFlagsAt = 10;
constexpr uint16_t kMetaPageFlag = 0x08;  // P_META
constexpr size_t kMagicAt = kPageHeader + 0, kVersionAt = kPageHeader + 4;
constexpr size_t kDbsAt = kPageHeader + 24, kDbSize = 48, kRootInDb = 40;
constexpr size_t kPageSizeAt = kDbsAt;  // mm_dbs[FREE_DBI].md_pad
constexpr size_t kLastPageAt = kDbsAt + 2 * kDbSize;
constexpr size_t kMetaEnd = kLastPageAt + 16;
constexpr uint32_t kMagic = 0xBEEFC0DE;
constexpr uint32_t kDataVersion = 1;
constexpr uint64_t kNoRoot = ~uint64_t{0};  // P_INVALID: an empty database.

template <typename T>
T At(const char* page, size_t offset) {
  T v;
  std::memcpy(&v, page + offset, sizeof v);
  return v;
}

struct Meta {
  uint32_t page_size = 0;
  uint64_t last_page = 0;
};

// Reads meta page `index`; `page_size` is 0 for the first (the page size is not known yet).
Status ReadMeta(int fd, const std::string& path, int index, uint64_t page_size, Meta* meta) {
  char page[kMetaEnd];
  const off_t offset = static_cast<off_t>(index * page_size);
  const ssize_t n = pread(fd, page, sizeof page, offset);
  if (n < 0) return Status::FailedPrecondition("cannot read " + path + ": " + std::strerror(errno));
  const std::string which = "meta page " + std::to_string(index) + " of " + path;
  if (static_cast<size_t>(n) < sizeof page) {
    return Status::DataLoss(path + " is truncated: it ends inside " + which);
  }
  if (At<uint32_t>(page, kMagicAt) != kMagic || !(At<uint16_t>(page, kFlagsAt) & kMetaPageFlag)) {
    return Status::DataLoss(path + " is damaged: " + which + " is not an LMDB meta page");
  }
  if (At<uint32_t>(page, kVersionAt) != kDataVersion) {
    return Status::DataLoss(path + " was written by an LMDB with data format " +
                            std::to_string(At<uint32_t>(page, kVersionAt)) + ", this one reads format " +
                            std::to_string(kDataVersion));
  }
  meta->page_size = At<uint32_t>(page, kPageSizeAt);
  meta->last_page = At<uint64_t>(page, kLastPageAt);
  const uint32_t ps = meta->page_size;
  if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0 || (page_size != 0 && ps != page_size)) {
    return Status::DataLoss(path + " is damaged: " + which + " gives the page size " + std::to_string(ps));
  }
  for (int db = 0; db < 2; ++db) {
    const uint64_t root = At<uint64_t>(page, kDbsAt + db * kDbSize + kRootInDb);
    if (root != kNoRoot && (root < 2 || root > meta->last_page)) {
      return Status::DataLoss(path + " is damaged: " + which + " points at page " + std::to_string(root) +
                              " outside the " + std::to_string(meta->last_page + 1) + " pages in use");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckDataFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FailedPrecondition("cannot open " + path + ": " + std::strerror(errno));
  struct stat st;
  Meta first, second;
  Status status;
  if (fstat(fd, &st) != 0) {
    status = Status::FailedPrecondition("cannot stat " + path + ": " + std::strerror(errno));
  } else {
    status = ReadMeta(fd, path, 0, 0, &first);
    if (status.ok()) status = ReadMeta(fd, path, 1, first.page_size, &second);
  }
  close(fd);
  HELUO_RETURN_IF_ERROR(status);
  const uint64_t pages = std::max(first.last_page, second.last_page) + 1;
  const uint64_t needed = pages * first.page_size;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < needed) {
    return Status::DataLoss(path + " is truncated: its meta pages say " + std::to_string(pages) +
                            " pages of " + std::to_string(first.page_size) + " bytes (" +
                            std::to_string(needed) + " bytes) are in use, but the file has " +
                            std::to_string(size) + " bytes");
  }
  return Status::Ok();
}

}  // namespace heluo
