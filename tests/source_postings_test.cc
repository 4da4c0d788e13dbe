// SourcePostings holds exactly LMDB's source postings of the segments it keeps, list by list in LMDB's order,
// and cuts a list's length window as a linear filter does.
#include "server/core/tm/source_postings.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "server/core/tm/source_array.h"
#include "server/core/translation_memory.h"
#include "tests/bench/synthetic_corpus.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

// Each list as (length, number) pairs, in order.
using List = std::vector<std::pair<uint16_t, uint32_t>>;
using Lists = std::map<Gram, List>;

List Pairs(const PostingRun& run) {
  List out;
  for (size_t i = 0; i < run.size(); ++i) out.emplace_back(run.length(i), run.number(i));
  return out;
}

// Every (key, posting) of src_grams with MDB_NEXT, one duplicate at a time: another way through LMDB than the
// pages SourcePostings::Build reads.
Lists ReadOneByOne(const LmdbTxn& txn, const Databases& dbs, const std::function<uint32_t(uint32_t)>& id_of) {
  Lists out;
  Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
  EXPECT_TRUE(c.ok());
  std::string_view k, v;
  for (Result<bool> more = c->Seek(MDB_FIRST, &k, &v); more.ok() && *more; more = c->Seek(MDB_NEXT, &k, &v)) {
    EXPECT_EQ(v.size(), kSourcePostingBytes);
    const uint32_t id = id_of(SourcePostingNumber(v));
    if (id == SourcePostings::kLeftOut) continue;
    const PostingPage posting(v);
    out[(uint64_t{DecodeU32(k.substr(0, 4))} << 32) | DecodeU32(k.substr(4, 4))].emplace_back(
        posting.length(0), id);
  }
  return out;
}

class SourcePostingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    TranslationMemory tm(store_.get());
    NearDuplicateCorpus corpus(17);
    // Near-duplicates make long lists (several LMDB pages each) next to lists of one posting; a replaced and
    // a deleted pair leave lists that lost postings.
    ASSERT_TRUE(
        store_
            ->Write([&](LmdbTxn& txn) -> Status {
              for (int i = 0; i < 3000; ++i) {
                HELUO_RETURN_IF_ERROR(tm.Put(txn, Segment{"s" + std::to_string(i), "c", corpus.Source(), "t",
                                                          "", i + 1, "", "", "", "", "", ""}));
              }
              HELUO_RETURN_IF_ERROR(
                  tm.Put(txn, Segment{"s3", "c", "一句独一无二的话", "t", "", 4, "", "", "", "", "", ""}));
              return tm.Delete(txn, "s5");
            })
            .ok());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SourcePostingsTest, ListsEqualLmdbForTheKeptSegments) {
  for (int parity = 0; parity < 3; ++parity) {
    // All segments, then only even and only odd numbers (as for staged or superseded pairs left out).
    // Ids are the numbers shifted (so an id that is the number would be wrong).
    auto keep = [parity](uint32_t n) {
      return parity == 0 || n % 2 == static_cast<uint32_t>(parity - 1) ? n + 7 : SourcePostings::kLeftOut;
    };
    ASSERT_TRUE(store_
                    ->Read([&](const LmdbTxn& txn) -> Status {
                      const Lists want = ReadOneByOne(txn, store_->dbs(), keep);
                      Result<SourcePostings> p = SourcePostings::Build(txn, store_->dbs(), keep);
                      EXPECT_TRUE(p.ok()) << p.status().ToString();
                      if (!p.ok()) return Status::Ok();
                      EXPECT_EQ(p->lists(), want.size());
                      size_t postings = 0, long_lists = 0, single = 0;
                      for (const auto& [gram, list] : want) {
                        EXPECT_EQ(Pairs(p->List(gram)), list) << "bigram " << gram;
                        postings += list.size();
                        long_lists += list.size() > 4096 / kSourcePostingBytes;  // Over one 4 KiB page.
                        single += list.size() == 1;
                      }
                      EXPECT_EQ(p->postings(), postings);
                      EXPECT_GT(long_lists, 0u);  // Lists of several LMDB pages…
                      EXPECT_GT(single,
                                0u);  // …and lists of one posting (no page of duplicates).
                      // Bigrams nobody has.
                      EXPECT_TRUE(p->List((uint64_t{kEndToken} << 32) | kEndToken).empty());
                      EXPECT_TRUE(p->List(0).empty());
                      return Status::Ok();
                    })
                    .ok());
  }
}

TEST_F(SourcePostingsTest, WindowIsTheLinearFilter) {
  ASSERT_TRUE(store_
                  ->Read([&](const LmdbTxn& txn) -> Status {
                    const Lists lists = ReadOneByOne(txn, store_->dbs(), [](uint32_t n) { return n; });
                    std::mt19937 rng(3);
                    int checked = 0;
                    for (const auto& [gram, list] : lists) {
                      if (rng() % 8 != 0 && list.size() <= 4096 / kSourcePostingBytes) continue;
                      for (size_t from : {0, 1, 5, 9, 10, 20, 33, 60, 200}) {
                        for (size_t to : {0, 4, 9, 10, 11, 25, 47, 80, 65535, 70000}) {
                          List want;
                          for (const auto& [length, number] : list) {
                            if (length >= from && length <= to) want.emplace_back(length, number);
                          }
                          std::vector<uint32_t> numbers;
                          std::vector<uint16_t> lengths;
                          for (const auto& [length, number] : list) {
                            numbers.push_back(number);
                            lengths.push_back(length);
                          }
                          const PostingRun run{numbers.data(), lengths.data(), list.size()};
                          EXPECT_EQ(Pairs(SourcePostings::Window(run, from, to)), want) << from << ".." << to;
                          ++checked;
                        }
                      }
                    }
                    EXPECT_GT(checked, 1000);
                    return Status::Ok();
                  })
                  .ok());
}

// The array carries the postings of its own entries, under their entries: a deleted pair's are gone with it.
TEST_F(SourcePostingsTest, ArrayHoldsThePostingsOfItsEntries) {
  ASSERT_TRUE(store_
                  ->Read([&](const LmdbTxn& txn) -> Status {
                    Result<std::shared_ptr<const SourceArray>> a = SourceArray::Build(txn, store_->dbs());
                    EXPECT_TRUE(a.ok());
                    if (!a.ok()) return Status::Ok();
                    const SourceArray& array = **a;
                    const Lists want =
                        ReadOneByOne(txn, store_->dbs(), [&](uint32_t n) { return array.EntryOf(n); });
                    EXPECT_EQ(array.postings().lists(), want.size());
                    for (const auto& [gram, list] : want) {
                      const PostingRun run = array.postings().List(gram);
                      EXPECT_EQ(Pairs(run), list);
                      // Entries ascend along a list (the array is in (length, number) order too).
                      for (size_t i = 1; i < run.size(); ++i) EXPECT_LT(run.number(i - 1), run.number(i));
                    }
                    return Status::Ok();
                  })
                  .ok());
}

}  // namespace
}  // namespace heluo
