#include "server/core/store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/core/glossary.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status PutMeta(Store& store, const std::string& key, const std::string& value) {
  return store.Write([&](LmdbTxn& txn) { return txn.Put(store.dbs().meta, key, value); });
}

Result<std::string> GetMeta(const Store& store, const std::string& key) {
  std::string out;
  Status st = store.Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<std::string_view>> v = txn.Get(store.dbs().meta, key);
    if (!v.ok()) return v.status();
    if (!v->has_value()) return Status::NotFound(key);
    out = std::string(**v);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

// "k<i>". Not "k" + std::to_string(i): inlined into these tests at -O3 (Release), GCC 12 reports a false
// -Wrestrict in libstdc++'s string code for that operator+ (and for insert).
std::string NumberedKey(int i) {
  char key[16];
  std::snprintf(key, sizeof key, "k%d", i);
  return key;
}

TEST(StoreTest, WritesSurviveReopen) {
  TempDir dir;
  {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE(PutMeta(**store, "greeting", "你好").ok());
  }
  Result<std::unique_ptr<Store>> reopened = Store::Open(dir.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  Result<std::string> v = GetMeta(**reopened, "greeting");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "你好");
  EXPECT_EQ(*GetMeta(**reopened, "schema_version"), std::to_string(kSchemaVersion));
}

// PutMultiple (bulk postings of an import): every value lands, values already there stay once, and a page's
// worth and more go in several LMDB operations.
TEST(StoreTest, PutMultipleAddsEveryValueOnce) {
  TempDir dir;
  std::unique_ptr<Store> store = std::move(*Store::Open(dir.path()));
  auto value = [](uint32_t n) { return std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)}; };
  ASSERT_TRUE(store->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(txn.Put(store->dbs().tgt_grams, "k", value(3)));
    HELUO_RETURN_IF_ERROR(txn.Put(store->dbs().tgt_grams, "k", value(5000)));
    std::string values;
    for (uint32_t n = 1; n <= 10000; ++n) values += value(n);  // 40 KB: several pages; 3 and 5000 exist.
    Result<LmdbCursor> c = LmdbCursor::Open(txn, store->dbs().tgt_grams);
    if (!c.ok()) return c.status();
    HELUO_RETURN_IF_ERROR(c->PutMultiple("k", values, 4));
    return c->PutMultiple("k", "abc", 4).code() == Status::Code::kInternal ? Status::Ok() : Status::Internal("odd size taken");
  }).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store->Read([&](const LmdbTxn& txn) {
    return ScanRecords(txn, store->dbs().tgt_grams, "", [&](std::string_view k, std::string_view v) -> Result<bool> {
      EXPECT_EQ(k, "k");
      seen.emplace_back(v);
      return true;
    });
  }).ok());
  ASSERT_EQ(seen.size(), 10000u);
  for (uint32_t n = 1; n <= 10000; ++n) EXPECT_EQ(seen[n - 1], value(n));
}

TEST(StoreTest, FailedWriteChangesNothing) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().meta, "half", "written"));
    return Status::InvalidArgument("the second half of the batch is bad");
  });
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(GetMeta(**store, "half").status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, NewerSchemaIsRefusedAndLeftUntouched) {
  TempDir dir;
  {
    Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(PutMeta(**store, "schema_version", "99").ok());
  }
  const std::string before = FileBytes(dir.Sub("data.mdb"));
  Result<std::unique_ptr<Store>> again = Store::Open(dir.path());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("schema version 99"), std::string::npos) << again.status().message();
  EXPECT_EQ(FileBytes(dir.Sub("data.mdb")), before);
}

TEST(StoreTest, ForeignLmdbEnvironmentIsRefusedAndLeftUntouched) {
  TempDir dir;
  WriteForeignLmdb(dir.path());
  const std::string before = FileBytes(dir.Sub("data.mdb"));
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("not a heluo store"), std::string::npos) << store.status().message();
  EXPECT_EQ(FileBytes(dir.Sub("data.mdb")), before);
}

TEST(StoreTest, DataDirThatIsAFileIsRefused) {
  TempDir dir;
  std::ofstream(dir.Sub("plain-file")) << "not a directory";
  Result<std::unique_ptr<Store>> store = Store::Open(dir.Sub("plain-file"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(FileBytes(dir.Sub("plain-file")), "not a directory");
}

TEST(StoreTest, DataDirThatCannotBeCreatedIsRefused) {
  Result<std::unique_ptr<Store>> store = Store::Open("/proc/heluo-cannot-be-here");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("cannot create data directory"), std::string::npos);
}

TEST(StoreTest, MapGrowsWhenFull) {
  TempDir dir;
  StoreOptions options;
  options.initial_map_size = 256 << 10;  // 256 KiB: full after a few hundred records.
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path(), options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::string value(2000, 'x');
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    for (int i = 0; i < 2000; ++i) HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().meta, NumberedKey(i), value));
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_GT((*store)->Storage().map_size, options.initial_map_size);
  EXPECT_EQ(GetMeta(**store, "k1999").value(), value);
}

TEST(StoreTest, MapLimitGivesResourceExhaustedAndKeepsEarlierData) {
  TempDir dir;
  StoreOptions options;
  options.initial_map_size = 256 << 10;
  options.max_map_size = 512 << 10;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path(), options);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(PutMeta(**store, "earlier", "kept").ok());
  const std::string value(2000, 'x');
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    for (int i = 0; i < 5000; ++i) HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().meta, NumberedKey(i), value));
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(st.message().find("store is full"), std::string::npos) << st.message();
  EXPECT_EQ(GetMeta(**store, "earlier").value(), "kept");
  EXPECT_EQ(GetMeta(**store, "k0").status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, DefaultMapIsReservedLargeSoItPracticallyNeverGrows) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  if (sizeof(size_t) >= 8) {
    EXPECT_GE((*store)->Storage().map_size, size_t{64} << 30);
  }
  // Address space only: the file holds what was written, not the reservation.
  EXPECT_LT(std::filesystem::file_size(dir.Sub("data.mdb")), size_t{16} << 20);
}

TEST(StoreTest, WriteThatCannotStartBeforeItsDeadlineFailsAndIsNeverApplied) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  std::atomic<bool> holding{false};
  std::thread slow([&] {
    (void)(*store)->Write([&](LmdbTxn& txn) -> Status {
      holding = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      return txn.Put((*store)->dbs().meta, "slow", "done");
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  WriteLimits limits;
  limits.deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(100);
  bool ran = false;
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    ran = true;
    return txn.Put((*store)->dbs().meta, "late", "applied");
  }, true, limits);
  slow.join();
  EXPECT_EQ(st.code(), Status::Code::kDeadlineExceeded) << st.ToString();
  EXPECT_NE(st.message().find("nothing was written"), std::string::npos) << st.message();
  EXPECT_FALSE(ran);
  EXPECT_EQ(GetMeta(**store, "slow").value(), "done");
  EXPECT_EQ(GetMeta(**store, "late").status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, WriteWhoseCallerWentAwayOrExpiredWhileRunningIsNotCommitted) {
  TempDir dir;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok());
  bool gone = false;
  WriteLimits cancelled;
  cancelled.cancelled = [&] { return gone; };
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    gone = true;  // The client hangs up while the batch is being written.
    return txn.Put((*store)->dbs().meta, "cancelled", "applied");
  }, true, cancelled);
  EXPECT_EQ(st.code(), Status::Code::kCancelled) << st.ToString();
  EXPECT_EQ(GetMeta(**store, "cancelled").status().code(), Status::Code::kNotFound);

  WriteLimits expiring;
  expiring.deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(50);
  st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return txn.Put((*store)->dbs().meta, "expired", "applied");
  }, true, expiring);
  EXPECT_EQ(st.code(), Status::Code::kDeadlineExceeded) << st.ToString();
  EXPECT_EQ(GetMeta(**store, "expired").status().code(), Status::Code::kNotFound);
}

TEST(StoreTest, GrowingTheMapBehindAnOpenSnapshotGivesUpAtTheDeadline) {
  TempDir dir;
  StoreOptions options;
  options.initial_map_size = 256 << 10;
  Result<std::unique_ptr<Store>> store = Store::Open(dir.path(), options);
  ASSERT_TRUE(store.ok());
  std::atomic<bool> reading{false}, release{false};
  std::thread reader([&] {
    (void)(*store)->Read([&](const LmdbTxn&) {
      reading = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return Status::Ok();
    });
  });
  while (!reading) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  WriteLimits limits;
  limits.deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(200);
  const std::string value(2000, 'x');
  Status st = (*store)->Write([&](LmdbTxn& txn) -> Status {
    for (int i = 0; i < 2000; ++i) HELUO_RETURN_IF_ERROR(txn.Put((*store)->dbs().meta, NumberedKey(i), value));
    return Status::Ok();
  }, true, limits);
  release = true;
  reader.join();
  EXPECT_EQ(st.code(), Status::Code::kDeadlineExceeded) << st.ToString();
  EXPECT_EQ(GetMeta(**store, "k0").status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace heluo
