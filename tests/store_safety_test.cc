// The store's defences against operator accidents: a truncated or damaged data file is refused before LMDB
// maps it, one Store per directory, backups confined to --backup-dir and never left half-written, and files
// readable by their owner only.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/core/store/backup_path.h"
#include "server/core/store/data_file_check.h"
#include "server/core/store/store.h"
#include "tests/small_filesystem.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

namespace fs = std::filesystem;

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A store with enough records that its data file spans many pages.
void MakeStore(const std::string& dir) {
  Result<std::unique_ptr<Store>> store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)
                  ->Write([&](LmdbTxn& txn) -> Status {
                    for (int i = 0; i < 3000; ++i) {
                      HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().terms, "term-" + std::to_string(i),
                                                    std::string(200, static_cast<char>('a' + i % 26))));
                    }
                    return Status::Ok();
                  })
                  .ok());
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(DataFileCheckTest, AWholeDataFilePasses) {
  TempDir dir;
  MakeStore(dir.path());
  EXPECT_TRUE(CheckDataFile(dir.Sub("data.mdb")).ok()) << CheckDataFile(dir.Sub("data.mdb")).ToString();
}

TEST(DataFileCheckTest, ATruncatedDataFileIsRefusedAtOpenWithoutCrashingAndLeftAsItWas) {
  TempDir dir;
  MakeStore(dir.path());
  const std::string file = dir.Sub("data.mdb"), whole = Bytes(file);
  ASSERT_GT(whole.size(), 200000u);
  for (size_t keep : {whole.size() / 2, size_t{8192}, size_t{6000}, size_t{100}, size_t{0}}) {
    WriteBytes(file, whole.substr(0, keep));
    Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
    ASSERT_FALSE(store.ok()) << keep << " bytes";
    EXPECT_EQ(store.status().code(), Status::Code::kDataLoss) << store.status().ToString();
    EXPECT_NE(store.status().message().find("is truncated"), std::string::npos) << store.status().message();
    EXPECT_NE(store.status().message().find("nothing was changed"), std::string::npos);
    EXPECT_EQ(Bytes(file), whole.substr(0, keep)) << "the refused file was changed";
  }
  WriteBytes(file, whole);
  EXPECT_TRUE(Store::Open(dir.path()).ok());
}

// LMDB does not write pages it allocated at the end of the file and freed again in the same transaction, so a
// whole data file can end before the pages its newest meta page counts (seen after a kill -9 in CI: a valid
// store refused as "truncated"). Such a file passes: the missing pages are all on the free list.
TEST(DataFileCheckTest, AFileEndingBeforePagesFreedInTheirOwnTransactionIsWhole) {
  const size_t page = 4096;
  // A large value (overflow pages at the end of the file) stored and deleted again in one transaction that has
  // taken pages from the free list: LMDB returns the overflow pages to its free list without writing them.
  // `n` small records rewritten first, in a transaction before (so that one's freed pages are reusable).
  auto short_file = [&](TempDir& dir, int n, std::string* whole, uint64_t* pages) {
    MakeStore(dir.path());
    {
      Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
      EXPECT_TRUE(store.ok()) << store.status().ToString();
      for (int round = 0; round < 2; ++round) {
        EXPECT_TRUE((*store)
                        ->Write([&](LmdbTxn& txn) -> Status {
                          for (int i = 0; i < n; ++i) {
                            HELUO_RETURN_IF_ERROR(
                                txn.Put((*store)->dbs().terms, "term-" + std::to_string(i * 7), "y"));
                          }
                          if (round == 0) return Status::Ok();
                          HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().terms, "big", std::string(1 << 20, 'x')));
                          return txn.Delete((*store)->dbs().terms, "big");
                        })
                        .ok());
      }
    }
    *whole = Bytes(dir.Sub("data.mdb"));
    auto meta_u64 = [&](int meta, size_t offset) {
      uint64_t v;
      std::memcpy(&v, whole->data() + meta * page + offset, sizeof v);
      return v;
    };
    const int newest = meta_u64(1, 144) > meta_u64(0, 144) ? 1 : 0;  // mm_txnid
    *pages = meta_u64(newest, 136) + 1;                              // mm_last_pg + 1
    return whole->size() < *pages * page;
  };
  int shorter = 0;
  for (int n : {20, 30, 40, 60, 80, 120, 160, 240}) {
    TempDir dir;
    std::string whole;
    uint64_t pages = 0;
    if (!short_file(dir, n, &whole, &pages)) continue;
    ++shorter;
    const std::string file = dir.Sub("data.mdb");
    EXPECT_TRUE(CheckDataFile(file).ok()) << n << ": " << CheckDataFile(file).ToString();
    {
      Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
      ASSERT_TRUE(store.ok()) << n << ": " << store.status().ToString();
      // And it is whole in use: every record reads back (the large one was deleted).
      EXPECT_TRUE((*store)
                      ->Read([&](const LmdbTxn& txn) -> Status {
                        for (int i = 0; i < 3000; ++i) {
                          Result<std::optional<std::string_view>> v =
                              txn.Get((*store)->dbs().terms, "term-" + std::to_string(i));
                          HELUO_RETURN_IF_ERROR(v.status());
                          if (!v->has_value()) return Status::DataLoss("term-" + std::to_string(i) + " is gone");
                        }
                        Result<std::optional<std::string_view>> big = txn.Get((*store)->dbs().terms, "big");
                        HELUO_RETURN_IF_ERROR(big.status());
                        return big->has_value() ? Status::DataLoss("big is back") : Status::Ok();
                      })
                      .ok());
    }
    // Cut one page more, and a page a tree uses is gone.
    WriteBytes(file, whole.substr(0, whole.size() - page));
    EXPECT_EQ(CheckDataFile(file).code(), Status::Code::kDataLoss) << n;
  }
  // The situation itself must have arisen, or this test proves nothing.
  EXPECT_GT(shorter, 0) << "LMDB wrote every page it counted in every case";
}

TEST(DataFileCheckTest, DamagedMetaPagesAreRefused) {
  TempDir dir;
  MakeStore(dir.path());
  const std::string file = dir.Sub("data.mdb"), whole = Bytes(file);
  const size_t page = 4096;  // What LMDB picks on Linux (sysconf page size); checked below.
  ASSERT_EQ(whole.size() % page, 0u);
  struct Damage {
    size_t offset;
    std::string bytes;
    const char* expect;
  };
  const Damage damages[] = {
      {16, "XXXX", "is not an LMDB meta page"},                           // Magic of meta page 0.
      {page + 16, "XXXX", "is not an LMDB meta page"},                    // Magic of meta page 1.
      {20, std::string("\x07\0\0\0", 4), "data format 7"},                // Version.
      {40, std::string("\x00\x03\0\0", 4), "page size 768"},              // Page size (mm_dbs[0].md_pad).
      {page + 16 + 24 + 48 + 40, std::string(8, '\x7f'), "outside the"},  // Main root of meta page 1.
  };
  for (const Damage& d : damages) {
    std::string bad = whole;
    bad.replace(d.offset, d.bytes.size(), d.bytes);
    WriteBytes(file, bad);
    Status st = CheckDataFile(file);
    EXPECT_EQ(st.code(), Status::Code::kDataLoss) << d.expect;
    EXPECT_NE(st.message().find(d.expect), std::string::npos) << st.message();
    EXPECT_FALSE(Store::Open(dir.path()).ok()) << d.expect;
    EXPECT_EQ(Bytes(file), bad);
  }
}

TEST(DirLockTest, ASecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses) {
  TempDir dir;
  Result<std::unique_ptr<Store>> first = Store::Open(dir.path());
  ASSERT_TRUE(first.ok());
  Result<std::unique_ptr<Store>> second = Store::Open(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use by another heluo-server (pid " + std::to_string(getpid())),
            std::string::npos)
      << second.status().message();
  first->reset();
  EXPECT_TRUE(Store::Open(dir.path()).ok());
}

TEST(StoreFilesTest, TheDataDirectoryAndItsFilesAreForTheOwnerOnly) {
  TempDir dir;
  const mode_t old_umask = umask(022);  // A typical umask: without explicit modes, files would be 0644.
  {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.Sub("data"));
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(ModeOf(dir.Sub("data")), 0700u);
    EXPECT_EQ(ModeOf(dir.Sub("data/data.mdb")), 0600u);
    EXPECT_EQ(ModeOf(dir.Sub("data/lock.mdb")), 0600u);
    EXPECT_EQ(ModeOf(dir.Sub("data/heluo.lock")), 0600u);
    ASSERT_TRUE((*store)->Backup(dir.Sub("backups/one")).ok());
    EXPECT_EQ(ModeOf(dir.Sub("backups/one")), 0700u);
    EXPECT_EQ(ModeOf(dir.Sub("backups/one/data.mdb")), 0600u);
  }
  umask(old_umask);
}

TEST(StoreHealthTest, ADataFileRemovedOrReplacedUnderTheStoreMakesItUnhealthy) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->Health().ok());
  fs::rename(dir.Sub("data.mdb"), dir.Sub("moved.mdb"));
  fs::copy_file(dir.Sub("moved.mdb"), dir.Sub("data.mdb"));  // Same bytes, another file: a "restore".
  Status st = (*store)->Health();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("was replaced while the server was running"), std::string::npos)
      << st.message();
  fs::remove(dir.Sub("data.mdb"));
  fs::rename(dir.Sub("moved.mdb"), dir.Sub("data.mdb"));
  EXPECT_FALSE((*store)->Health().ok()) << "a failure is permanent";
}

TEST(BackupPathTest, OnlyDirectoriesBelowTheRootAreAccepted) {
  TempDir dir;
  const std::string root = dir.Sub("backups");
  fs::create_directories(root + "/inside");
  fs::create_directories(dir.Sub("elsewhere"));
  fs::create_directory_symlink(dir.Sub("elsewhere"), root + "/out");
  fs::create_directory_symlink(root + "/inside", root + "/in");
  fs::create_directories(dir.Sub("backups-evil"));

  EXPECT_EQ(*ResolveBackupPath(root, "2026-11-26"), root + "/2026-11-26");
  EXPECT_EQ(*ResolveBackupPath(root, root + "/a/b"), root + "/a/b");
  EXPECT_EQ(*ResolveBackupPath(root, "./c"), root + "/c");
  EXPECT_EQ(*ResolveBackupPath(root, "in/d"), root + "/inside/d");  // A symlink that stays inside is fine.
  EXPECT_EQ(*ResolveBackupPath(root + "/", "e"), root + "/e");
  struct Refused {
    std::string path;
    const char* expect;
  };
  const Refused refused[] = {
      {"", "name the backup directory"},
      {std::string("a\0b", 3), "NUL byte"},
      {"../escape", "'..'"},
      {"a/../../escape", "'..'"},
      {root + "/../escape", "'..'"},
      {dir.Sub("elsewhere/x"), "is not below it"},
      {dir.Sub("backups-evil/x"), "is not below it"},
      {root, "is not below it"},
      {".", "is not below it"},
      {"out/x", "through a symlink"},
      {"out", "through a symlink"},
  };
  for (const Refused& r : refused) {
    Result<std::string> got = ResolveBackupPath(root, r.path);
    ASSERT_FALSE(got.ok()) << r.path << " → " << *got;
    EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument) << r.path;
    EXPECT_NE(got.status().message().find(r.expect), std::string::npos) << got.status().message();
  }
  EXPECT_TRUE(fs::is_empty(dir.Sub("elsewhere")));
}

TEST(StoreBackupTest, ABackupThatFillsTheDiskLeavesNothingAndARetryWorks) {
  TempDir dir;
  MakeStore(dir.Sub("data"));
  Result<std::unique_ptr<Store>> store = Store::Open(dir.Sub("data"));
  ASSERT_TRUE(store.ok());
  SmallFilesystem disk(dir.Sub("disk"), 256 << 10);  // The copy is about 1 MB.
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
  for (const std::string& target : {dir.Sub("disk/new"), dir.Sub("disk/empty")}) {
    const bool existed = target.ends_with("empty");
    if (existed) fs::create_directory(target);
    Result<int64_t> full = (*store)->Backup(target);
    ASSERT_FALSE(full.ok()) << target;
    EXPECT_EQ(full.status().code(), Status::Code::kResourceExhausted) << full.status().ToString();
    EXPECT_NE(full.status().message().find("No space left on device"), std::string::npos)
        << full.status().message();
    EXPECT_NE(full.status().message().find("the partial copy was removed"), std::string::npos);
    EXPECT_EQ(fs::exists(target), existed);
    if (existed) {
      EXPECT_TRUE(fs::is_empty(target));
    }
  }
  ASSERT_TRUE(disk.Resize(8 << 20));
  Result<int64_t> retried = (*store)->Backup(dir.Sub("disk/empty"));
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(fs::file_size(dir.Sub("disk/empty/data.mdb")), static_cast<uintmax_t>(*retried));
  EXPECT_FALSE(fs::exists(dir.Sub("disk/empty/data.mdb.partial")));
  store->reset();
  Result<std::unique_ptr<Store>> restored = Store::Open(dir.Sub("disk/empty"));
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  Status found = (*restored)->Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<std::string_view>> v = txn.Get((*restored)->dbs().terms, "term-2999");
    if (!v.ok()) return v.status();
    return v->has_value() ? Status::Ok() : Status::NotFound("term-2999");
  });
  EXPECT_TRUE(found.ok()) << found.ToString();
}

}  // namespace
}  // namespace heluo
