#include "server/core/store/data_file_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>

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
  uint64_t txnid = 0;
  uint64_t free_root = kNoRoot;  // mm_dbs[FREE_DBI].md_root
};

// Page and node layout (mdb.c): page header = mp_pgno (8), mp_pad (2), mp_flags (2), mp_lower/mp_upper (2+2;
// for an overflow page mp_pages, 4); then mp_ptrs[], the nodes' offsets. A node: mn_lo, mn_hi, mn_flags,
// mn_ksize (2 each), the key, then the data (or, with F_BIGDATA, the number of its first overflow page).
// A branch node's child is mn_lo | mn_hi << 16 | mn_flags << 32.
constexpr uint16_t kBranchPage = 0x01, kLeafPage = 0x02;
constexpr uint16_t kBigData = 0x01;
constexpr size_t kNodeHeader = 8;

// The free list: every page number recorded in the free database (FREE_DBI) under `root`. Those pages
// belong to no tree of the newest transaction. Pages it needs that lie beyond `size` bytes: DATA_LOSS.
Status CollectFreePages(int fd, const std::string& path, uint64_t page_size, uint64_t size, uint64_t root,
                        int depth, std::set<uint64_t>* free) {
  auto truncated = [&](uint64_t pgno) {
    return Status::DataLoss(path + " is truncated: page " + std::to_string(pgno) +
                            " of its free list lies beyond the end of the file (" + std::to_string(size) +
                            " bytes)");
  };
  auto damaged = [&](uint64_t pgno) {
    return Status::DataLoss(path + " is damaged: page " + std::to_string(pgno) + " of its free list is not " +
                            "an LMDB page of the free list");
  };
  if (depth > 32) return damaged(root);
  if ((root + 1) * page_size > size) return truncated(root);
  std::string page(page_size, '\0');
  if (pread(fd, page.data(), page_size, static_cast<off_t>(root * page_size)) !=
      static_cast<ssize_t>(page_size)) {
    return truncated(root);
  }
  const uint16_t flags = At<uint16_t>(page.data(), kFlagsAt);
  const uint16_t lower = At<uint16_t>(page.data(), 12);
  if (lower < kPageHeader || lower > page_size || (lower - kPageHeader) % 2 != 0) return damaged(root);
  const size_t nodes = (lower - kPageHeader) / 2;
  for (size_t i = 0; i < nodes; ++i) {
    const uint16_t at = At<uint16_t>(page.data(), kPageHeader + 2 * i);
    if (at < lower || at + kNodeHeader > page_size) return damaged(root);
    const char* node = page.data() + at;
    const uint64_t lo = At<uint16_t>(node, 0), hi = At<uint16_t>(node, 2), nflags = At<uint16_t>(node, 4);
    const uint16_t ksize = At<uint16_t>(node, 6);
    if (flags & kBranchPage) {
      HELUO_RETURN_IF_ERROR(
          CollectFreePages(fd, path, page_size, size, lo | hi << 16 | nflags << 32, depth + 1, free));
      continue;
    }
    if (!(flags & kLeafPage)) return damaged(root);
    const uint64_t dsize = lo | hi << 16;
    const size_t data_at = at + kNodeHeader + ksize;
    std::string data;
    if (nflags & kBigData) {
      if (data_at + 8 > page_size) return damaged(root);
      const uint64_t overflow = At<uint64_t>(page.data(), data_at);
      if (dsize > size || (overflow * page_size + kPageHeader + dsize) > size) return truncated(overflow);
      data.resize(dsize);
      if (pread(fd, data.data(), dsize, static_cast<off_t>(overflow * page_size + kPageHeader)) !=
          static_cast<ssize_t>(dsize)) {
        return truncated(overflow);
      }
    } else {
      if (data_at + dsize > page_size) return damaged(root);
      data.assign(page.data() + data_at, dsize);
    }
    // The data is an ID list: its length, then that many page numbers.
    if (data.size() < 8) return damaged(root);
    const uint64_t count = At<uint64_t>(data.data(), 0);
    if (count > (data.size() - 8) / 8) return damaged(root);
    for (uint64_t k = 0; k < count; ++k) free->insert(At<uint64_t>(data.data(), 8 + 8 * k));
  }
  return Status::Ok();
}

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
  meta->txnid = At<uint64_t>(page, kLastPageAt + 8);
  meta->free_root = At<uint64_t>(page, kDbsAt + kRootInDb);
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
  if (!status.ok()) {
    close(fd);
    return status;
  }
  const uint64_t pages = std::max(first.last_page, second.last_page) + 1;
  const uint64_t needed = pages * first.page_size;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size >= needed) {
    close(fd);
    return Status::Ok();
  }
  // LMDB does not write a page it allocated at the end of the file and freed again in the same transaction
  // (a "loose" page; mdb_page_flush skips it, and mdb_env_copy stops at the file's size for that reason), so
  // a whole file may end before the pages its meta page counts. It is whole when every page missing from
  // the end is on the newest transaction's free list; a page any tree still uses is missing from a cut copy.
  const Meta& newest = second.txnid > first.txnid ? second : first;
  std::set<uint64_t> free;
  if (newest.free_root != kNoRoot) {
    status = CollectFreePages(fd, path, first.page_size, size, newest.free_root, 0, &free);
  }
  close(fd);
  HELUO_RETURN_IF_ERROR(status);
  for (uint64_t pgno = size / first.page_size; pgno < pages; ++pgno) {
    if (free.count(pgno) == 0) {
      return Status::DataLoss(path + " is truncated: its meta pages say " + std::to_string(pages) +
                              " pages of " + std::to_string(first.page_size) + " bytes (" +
                              std::to_string(needed) + " bytes) are in use, but the file has " +
                              std::to_string(size) + " bytes and page " + std::to_string(pgno) +
                              " is not free");
    }
  }
  return Status::Ok();
}

}  // namespace heluo
