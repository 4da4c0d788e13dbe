// Staged imports (server/core/tm/staging.h): staged pairs are invisible to every reader until the flip,
// other writes wait for it, the flip shows all of them at once, and a staging that never published is
// removed without a trace.
#include "server/core/tm/staging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <random>
#include <set>

#include "server/core/collections.h"
#include "server/core/interchange.h"
#include "server/core/tm/bulk_import.h"
#include "server/core/translation_memory.h"
#include "tests/store_dump.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

Segment Pair(const std::string& id, const std::string& collection, const std::string& source, const std::string& target) {
  Segment s;
  s.id = id;
  s.collection = collection;
  s.source = source;
  s.target = target;
  s.created_by = s.changed_by = "tester";
  s.created_at = s.changed_at = "2026-11-25T07:00:00Z";
  return s;
}

class StagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*Store::Open(dir_.Sub("data")));
    tm_ = std::make_unique<TranslationMemory>(store_.get());
    ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) -> Status {
      HELUO_RETURN_IF_ERROR(tm_->Put(txn, Pair("e1", "base", "原有的第一句话。", "The first existing sentence.")));
      HELUO_RETURN_IF_ERROR(tm_->Put(txn, Pair("e2", "base", "原有的第二句话。", "The second existing sentence.")));
      return tm_->Put(txn, Pair("e3", "base", "原有的第三句话。", "The third existing sentence."));
    }).ok());
  }

  // n1 (new), e2 with a new target, e3 exactly as stored.
  std::vector<PreparedPair> Prepared() {
    std::vector<Segment> in = {Pair("n1", "bulk", "暂存的全新句子。", "A brand new staged sentence."),
                               Pair("e2", "base", "原有的第二句话。", "The second sentence, revised."),
                               *tm_->Get("e3")};
    std::vector<PreparedPair> out(in.size());
    ImportOptions options;
    options.author = "importer";
    options.now = "2026-11-26T08:00:00Z";
    EXPECT_TRUE(store_->Read([&](const LmdbTxn& txn) -> Status {
      for (size_t i = 0; i < in.size(); ++i) {
        HELUO_RETURN_IF_ERROR(PreparePair(txn, store_->dbs(), options, in[i], static_cast<long>(i + 3), 1, &out[i]));
      }
      return Status::Ok();
    }).ok());
    return out;
  }

  std::vector<std::string> Ids() {
    std::vector<std::string> ids;
    EXPECT_TRUE(tm_->ForEach([&](const Segment& s) {
      ids.push_back(s.id + "=" + s.target);
      return true;
    }).ok());
    return ids;
  }
  int MatchesFor(const std::string& text) {
    TmQuery q;
    q.text = text;
    q.min_score = 50;
    Result<std::vector<TmMatch>> r = tm_->Lookup(q);
    Result<std::vector<TmMatch>> brute = tm_->LookupBruteForce(q);
    EXPECT_TRUE(r.ok() && brute.ok());
    EXPECT_EQ(r->size(), brute->size()) << text;
    return static_cast<int>(r->size());
  }
  // The targets every array-backed lookup finds for `text` at `min_score`, sorted: Lookup (at a low score the
  // scan of the in-memory array, not the postings) and the in-memory brute force, which must agree.
  std::vector<std::string> ScannedTargets(const std::string& text, int min_score) {
    TmQuery q;
    q.text = text;
    q.min_score = min_score;
    Result<std::vector<TmMatch>> scan = tm_->Lookup(q);
    Result<std::vector<TmMatch>> memory = tm_->LookupBruteForceInMemory(q);
    EXPECT_TRUE(scan.ok() && memory.ok());
    std::vector<std::string> a, b;
    for (const TmMatch& m : *scan) a.push_back(m.segment.id + "=" + m.segment.target);
    for (const TmMatch& m : *memory) b.push_back(m.segment.id + "=" + m.segment.target);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << text << " at " << min_score;
    return a;
  }
  int ConcordanceHits(const std::string& phrase) {
    Result<std::vector<ConcordanceHit>> r = tm_->Concordance(phrase, ConcordanceSide::kBoth, 50, {});
    EXPECT_TRUE(r.ok());
    return static_cast<int>(r->size());
  }
  std::vector<CollectionCount> Collections() {
    std::vector<CollectionCount> out;
    EXPECT_TRUE(store_->Read([&](const LmdbTxn& txn) -> Status {
      Result<std::vector<CollectionCount>> c = ListCollections(txn, store_->dbs());
      if (!c.ok()) return c.status();
      out = *c;
      return Status::Ok();
    }).ok());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TranslationMemory> tm_;
};

TEST_F(StagingTest, StagedPairsAreInvisibleToEveryReaderUntilTheFlip) {
  const std::vector<std::string> before_ids = Ids();
  ASSERT_EQ(before_ids.size(), 3u);
  StagedImport staged(store_.get());
  ASSERT_TRUE(staged.Begin().ok());
  ASSERT_TRUE(staged.Stage(Prepared()).ok());

  // Staged, committed, and seen by nobody: Get, ForEach (export), List, Lookup (exact and fuzzy, index and
  // brute force), concordance, collection counts.
  EXPECT_EQ(tm_->Get("n1").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(tm_->Get("e2")->target, "The second existing sentence.");
  EXPECT_EQ(Ids(), before_ids);
  Result<SegmentPage> page = tm_->List(100, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->segments.size(), 3u);
  EXPECT_EQ(MatchesFor("暂存的全新句子。"), 0);
  EXPECT_EQ(MatchesFor("原有的第二句话。"), 3);  // e1..e3 as fuzzy/exact, not the staged e2 again.
  EXPECT_EQ(ConcordanceHits("全新"), 0);
  EXPECT_EQ(ConcordanceHits("revised"), 0);
  EXPECT_EQ(Collections().size(), 1u);
  // Other writes would take staged numbers: refused until the import ends.
  Status put = store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, Pair("x", "base", "别的句子。", "Other.")); });
  EXPECT_EQ(put.code(), Status::Code::kFailedPrecondition) << put.ToString();
  EXPECT_EQ(store_->Write([&](LmdbTxn& txn) { return tm_->Delete(txn, "e1"); }).code(),
            Status::Code::kFailedPrecondition);
  StagedImport second(store_.get());
  EXPECT_EQ(second.Begin().code(), Status::Code::kFailedPrecondition);

  ASSERT_TRUE(staged.Publish({}).ok());
  EXPECT_EQ(tm_->Get("n1")->target, "A brand new staged sentence.");
  EXPECT_EQ(tm_->Get("e2")->target, "The second sentence, revised.");
  EXPECT_EQ(Ids().size(), 4u);
  EXPECT_EQ(MatchesFor("暂存的全新句子。"), 1);
  EXPECT_EQ(MatchesFor("原有的第二句话。"), 3);  // The replaced version is gone from the index.
  EXPECT_EQ(ConcordanceHits("全新"), 1);
  EXPECT_EQ(ConcordanceHits("revised"), 1);
  EXPECT_EQ(ConcordanceHits("second existing"), 0);
  const std::vector<CollectionCount> counts = Collections();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].name, "base");
  EXPECT_EQ(counts[0].segments, 3);
  EXPECT_EQ(counts[1].segments, 1);
  EXPECT_TRUE(StagedLeftovers(*store_).empty());
  // Nothing names the replaced version of e2 (number 2) any more: its postings were collected.
  EXPECT_EQ(RecordsNaming(*store_, [](uint32_t n, uint32_t) { return n == 2; }), std::vector<std::string>{});
  // Writes go again.
  EXPECT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Delete(txn, "e1"); }).ok());
}

// The in-memory source array (tm/source_array.h) copies committed src_tokens, and staged pairs are
// committed: an array first built while an import stages must still leave them out, and the flip must
// retire it. No lookup runs before the staging here, so the first array is built mid-import.
TEST_F(StagingTest, TheInMemoryScanSeesNoStagedPairBeforeTheFlipAndAllAfter) {
  StagedImport staged(store_.get());
  ASSERT_TRUE(staged.Begin().ok());
  ASSERT_TRUE(staged.Stage(Prepared()).ok());
  const std::vector<std::string> before = {"e1=The first existing sentence.", "e2=The second existing sentence.",
                                           "e3=The third existing sentence."};
  EXPECT_EQ(ScannedTargets("原有的第二句话。", 0), before);  // Min 0: every visible pair scores.
  for (int min_score : {1, 30}) {
    for (const char* text : {"原有的第二句话。", "暂存的全新句子。"}) {
      for (const std::string& t : ScannedTargets(text, min_score)) {
        EXPECT_EQ(t.find("n1="), std::string::npos) << t;
        EXPECT_EQ(t.find("revised"), std::string::npos) << t;
      }
    }
  }
  ASSERT_TRUE(staged.Publish({}).ok());
  const std::vector<std::string> after = {"e1=The first existing sentence.", "e2=The second sentence, revised.",
                                          "e3=The third existing sentence.", "n1=A brand new staged sentence."};
  EXPECT_EQ(ScannedTargets("原有的第二句话。", 0), after);
  const std::vector<std::string> found = ScannedTargets("暂存的全新句子。", 1);
  EXPECT_NE(std::find(found.begin(), found.end(), "n1=A brand new staged sentence."), found.end());
}

TEST_F(StagingTest, AStagingThatNeverPublishedIsRemovedAtTheNextStartWithoutATrace) {
  const std::string before = DumpStore(*store_);
  {
    StagedImport staged(store_.get());
    ASSERT_TRUE(staged.Begin().ok());
    ASSERT_TRUE(staged.Stage(Prepared()).ok());
  }  // The process dies here: nothing publishes, nothing cleans up.
  EXPECT_NE(DumpStore(*store_), before);
  store_.reset();
  tm_.reset();
  store_ = std::move(*Store::Open(dir_.Sub("data")));
  tm_ = std::make_unique<TranslationMemory>(store_.get());
  Result<int64_t> removed = RemoveStagedImport(*store_);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 2);  // n1 and the new e2; e3 was kept as it was.
  EXPECT_EQ(DumpStore(*store_), before);
  EXPECT_TRUE(StagedLeftovers(*store_).empty());
  // Running it again finds nothing; writes go again.
  EXPECT_EQ(*RemoveStagedImport(*store_), 0);
  EXPECT_TRUE(store_->Write([&](LmdbTxn& txn) { return tm_->Put(txn, Pair("x", "base", "别的句子。", "Other.")); }).ok());
}

// Publishing is several transactions (the marker, the index in key order, the flip): a failure at any of
// them (here the caller going away just before each commit in turn) publishes nothing, and the removal that
// follows (at once, or at the next start after a kill) leaves the store as it was: with the sorted runs the
// import sealed, and without them (lost), by folding the staged pairs again. Many pairs and a tiny run
// budget, so that the index is written in many transactions from several runs.
TEST_F(StagingTest, APublishThatFailsAtAnyOfItsTransactionsLeavesTheStoreAsItWas) {
  const std::string before = DumpStore(*store_);
  std::vector<Segment> in;
  for (int i = 0; i < 150; ++i) {
    in.push_back(Pair("m" + std::to_string(i), "bulk", "第" + std::to_string(i) + "句暂存的全新句子，用于多个有序段。",
                      "Staged sentence number " + std::to_string(i) + ", spread over several runs."));
  }
  in.push_back(Pair("e2", "base", "原有的第二句话。", "The second sentence, revised."));
  std::vector<PreparedPair> pairs(in.size());
  ASSERT_TRUE(store_->Read([&](const LmdbTxn& txn) -> Status {
    for (size_t i = 0; i < in.size(); ++i) {
      HELUO_RETURN_IF_ERROR(PreparePair(txn, store_->dbs(), ImportOptions{}, in[i], static_cast<long>(i + 1), 1, &pairs[i]));
    }
    return Status::Ok();
  }).ok());
  int failures = 0;
  for (int allowed = 0;; ++allowed) {
    StagedImport staged(store_.get(), /*max_run_entries=*/1000);
    ASSERT_TRUE(staged.Begin().ok());
    ASSERT_TRUE(staged.Stage(pairs).ok());
    int checks = 0;
    WriteLimits limits;
    limits.cancelled = [&] { return ++checks > allowed; };
    Status published = staged.Publish(limits);
    if (published.ok()) break;
    ASSERT_EQ(published.code(), Status::Code::kCancelled) << published.ToString();
    ++failures;
    EXPECT_EQ(tm_->Get("m0").status().code(), Status::Code::kNotFound) << "failure " << failures;
    if (failures % 2 == 0) std::filesystem::remove_all(PostingRunsDir(*store_));  // Runs lost: fold.
    Result<int64_t> removed = RemoveStagedImport(*store_);
    ASSERT_TRUE(removed.ok()) << removed.status().ToString();
    EXPECT_EQ(*removed, 151) << "failure " << failures;
    EXPECT_TRUE(DumpStore(*store_) == before) << "failure " << failures;
    EXPECT_TRUE(StagedLeftovers(*store_).empty()) << "failure " << failures;
    EXPECT_FALSE(std::filesystem::exists(PostingRunsDir(*store_))) << "failure " << failures;
    ASSERT_LT(failures, 200);
  }
  EXPECT_GT(failures, 6);  // The marker, several index transactions per table, the flip.
  EXPECT_EQ(tm_->Get("m149")->target, "Staged sentence number 149, spread over several runs.");
  EXPECT_EQ(tm_->Get("e2")->target, "The second sentence, revised.");
  EXPECT_GE(MatchesFor("第7句暂存的全新句子，用于多个有序段。"), 1);  // The index agrees with the brute force.
  EXPECT_GE(ConcordanceHits("several runs"), 1);
  EXPECT_TRUE(StagedLeftovers(*store_).empty());
}

TEST_F(StagingTest, AnIdTwiceInOneImportIsRefusedWithItsLine) {
  std::vector<PreparedPair> pairs = Prepared();
  pairs.push_back(pairs[0]);
  pairs.back().line = 99;
  pairs.push_back(pairs[2]);
  StagedImport staged(store_.get());
  ASSERT_TRUE(staged.Begin().ok());
  Status st = staged.Stage(pairs);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("duplicate id 'n1' at line 99, column 1"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace heluo

namespace heluo {
namespace {

// The writer's bucket sort gives std::sort's order for every kind of first token: code points (Han,
// Latin), the rare ones above 0x20000, hashed word ids (top bit set), with equal bigrams of several pairs.
TEST(PostingSortTest, LargeBatchesComeOutInStdSortOrder) {
  std::mt19937_64 rng(18);
  std::vector<WaitingPosting> postings;
  const uint32_t firsts[] = {0x41, 0x4E00, 0x9FFF, 0x1FFFF, 0x20000, 0x2A6DF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
  for (int i = 0; i < 300000; ++i) {
    uint32_t first = rng() % 3 == 0 ? firsts[rng() % std::size(firsts)] : static_cast<uint32_t>(rng());
    if (rng() % 2 == 0) first = 0x4E00 + rng() % 0x5200;
    const uint64_t gram = (uint64_t{first} << 32) | (rng() % 4 == 0 ? kEndToken : static_cast<uint32_t>(rng() % 50));
    postings.push_back({gram, rng() % 100000});
  }
  std::vector<WaitingPosting> expected = postings, buffer;
  std::sort(expected.begin(), expected.end());
  SortPostings(&postings, &buffer);
  EXPECT_TRUE(postings == expected);
  // Small batches take std::sort itself.
  std::vector<WaitingPosting> few(expected.rbegin(), expected.rbegin() + 1000), few_expected = few;
  std::sort(few_expected.begin(), few_expected.end());
  SortPostings(&few, &buffer);
  EXPECT_TRUE(few == few_expected);
}

// The index phase appends keys past a table's last key (MDB_APPEND) and puts the others in place: into a
// table already holding keys on both sides, with a bigram's postings split over two calls (as a chunk
// boundary splits them), every posting ends up there once, in order, and none already there is lost.
TEST(AppendPastLastTest, KeysPastTheLastAreAppendedTheOthersPutInPlace) {
  TempDir dir;
  std::unique_ptr<Store> store = std::move(*Store::Open(dir.Sub("data")));
  const MDB_dbi dbi = store->dbs().tgt_grams;
  std::set<std::pair<uint64_t, uint64_t>> expected;
  auto put = [&](std::vector<WaitingPosting> batch) {
    for (const WaitingPosting& w : batch) expected.insert({w.gram, w.value});
    return store->Write([&](LmdbTxn& txn) -> Status {
      Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
      if (!cursor.ok()) return cursor.status();
      return PutSortedPostings(*cursor, batch.data(), batch.data() + batch.size(), 4);
    });
  };
  ASSERT_TRUE(put({{5, 1}, {10, 1}, {10, 2}}).ok());  // Into an empty table: all appended.
  ASSERT_TRUE(put({{3, 7}, {10, 3}, {12, 1}, {12, 4}}).ok());
  ASSERT_TRUE(put({{12, 2}, {12, 9}, {20, 1}, {21, 1}}).ok());  // 12 again: no longer past the last key.
  ASSERT_TRUE(store->Write([&](LmdbTxn& txn) -> Status {
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
    if (!cursor.ok()) return cursor.status();
    Result<AppendPastLast> append = AppendPastLast::Of(*cursor);
    if (!append.ok()) return append.status();
    EXPECT_EQ(append->FlagsFor(GramKey(4)), 0u);
    EXPECT_EQ(append->FlagsFor(GramKey(21)), 0u);
    EXPECT_EQ(append->FlagsFor(GramKey(22)), unsigned{MDB_APPEND | MDB_APPENDDUP});
    EXPECT_EQ(append->FlagsFor(GramKey(22)), 0u);  // A second value of a key just appended: in place.
    return Status::Ok();
  }, /*commit=*/false).ok());
  std::vector<std::pair<uint64_t, uint64_t>> found;
  ASSERT_TRUE(store->Read([&](const LmdbTxn& txn) -> Status {
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
    if (!cursor.ok()) return cursor.status();
    std::string_view k, v;
    for (MDB_cursor_op op = MDB_FIRST;; op = MDB_NEXT) {
      Result<bool> more = cursor->Seek(op, &k, &v);
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      found.push_back({BigEndianValue(k), BigEndianValue(v)});
    }
  }).ok());
  const std::vector<std::pair<uint64_t, uint64_t>> all(expected.begin(), expected.end());
  EXPECT_EQ(found, all);
}

}  // namespace
}  // namespace heluo
