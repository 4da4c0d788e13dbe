// The transactional outbox of replication's primary (store/change_log.h, docs/replication.md).
#include "server/core/store/change_log.h"

#include <gtest/gtest.h>

#include "server/core/glossary.h"
#include "server/core/store/store.h"
#include "server/core/tm/segment.h"
#include "server/core/translation_memory.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

TEST(ChangeLogTest, ChangesComeBackInOrderAndADamagedLogIsRefused) {
  std::string log;
  AppendChange(&log, ChangeKind::kTermPut, "liuwen", std::string("rec\0ord", 7));
  AppendChange(&log, ChangeKind::kSegmentDelete, "s-1", "");
  Result<std::vector<Change>> changes = ParseChangeLog(log);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].kind, ChangeKind::kTermPut);
  EXPECT_EQ((*changes)[0].key, "liuwen");
  EXPECT_EQ((*changes)[0].value, std::string("rec\0ord", 7));
  EXPECT_EQ((*changes)[1].kind, ChangeKind::kSegmentDelete);
  EXPECT_EQ((*changes)[1].key, "s-1");
  EXPECT_TRUE((*changes)[1].value.empty());

  for (size_t cut = 1; cut < log.size(); ++cut) {
    if (cut == log.size() - (1 + 4 + 3 + 4)) continue;  // A cut between two changes leaves a whole log.
    EXPECT_EQ(ParseChangeLog(std::string_view(log).substr(0, cut)).status().code(), Status::Code::kDataLoss)
        << "cut at " << cut;
  }
  std::string unknown = log;
  unknown[0] = 99;
  EXPECT_EQ(ParseChangeLog(unknown).status().code(), Status::Code::kDataLoss);
}

class OutboxTest : public ::testing::Test {
 protected:
  void Open(bool record) {
    StoreOptions options;
    options.record_changes = record;
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.path(), options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    glossary_ = std::make_unique<Glossary>(store_.get());
    tm_ = std::make_unique<TranslationMemory>(store_.get());
  }
  static TermEntry Term(std::string id, std::string zh, std::string en) {
    TermEntry e;
    e.id = std::move(id);
    e.collection = "test";
    e.zh = std::move(zh);
    e.en = std::move(en);
    return e;
  }
  static Segment Pair(std::string id, std::string zh, std::string en) {
    Segment s;
    s.id = std::move(id);
    s.collection = "test";
    s.source = std::move(zh);
    s.target = std::move(en);
    return s;
  }
  std::vector<std::pair<uint64_t, std::string>> Outbox() {
    std::vector<std::pair<uint64_t, std::string>> rows;
    Status st = store_->ReadOutbox(0, 1000, [&](uint64_t seq, std::string_view log) {
      rows.emplace_back(seq, std::string(log));
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return rows;
  }
  uint64_t Sequence() {
    Result<uint64_t> seq = store_->CommitSequence();
    EXPECT_TRUE(seq.ok()) << seq.status().ToString();
    return seq.ok() ? *seq : 0;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Glossary> glossary_;
  std::unique_ptr<TranslationMemory> tm_;
};

TEST_F(OutboxTest, EveryWriteThatChangesContentGetsTheNextSequenceAndItsChangesInTheSameTransaction) {
  Open(/*record=*/true);
  ASSERT_TRUE(
      store_->Write([&](LmdbTxn& txn) { return glossary_->Put(txn, Term("liuwen", "六稳", "six")); }).ok());
  ASSERT_TRUE(store_
                  ->Write([&](LmdbTxn& txn) -> Status {
                    HELUO_RETURN_IF_ERROR(tm_->Put(txn, Pair("s1", "稳就业。", "We kept jobs stable.")));
                    HELUO_RETURN_IF_ERROR(tm_->Put(txn, Pair("s2", "保民生。", "We protected livelihoods.")));
                    return tm_->Delete(txn, "s1");
                  })
                  .ok());
  EXPECT_EQ(Sequence(), 2u);
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first, 1u);
  EXPECT_EQ(rows[1].first, 2u);

  Result<std::vector<Change>> first = ParseChangeLog(rows[0].second);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].kind, ChangeKind::kTermPut);
  EXPECT_EQ((*first)[0].key, "liuwen");
  // The change carries the record exactly as the store keeps it.
  ASSERT_TRUE(store_
                  ->Read([&](const LmdbTxn& txn) -> Status {
                    auto stored = txn.Get(store_->dbs().terms, "liuwen");
                    EXPECT_TRUE(stored.ok() && stored->has_value());
                    if (stored.ok() && stored->has_value()) {
                      EXPECT_EQ(**stored, (*first)[0].value);
                    }
                    return Status::Ok();
                  })
                  .ok());

  Result<std::vector<Change>> second = ParseChangeLog(rows[1].second);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 3u);
  EXPECT_EQ((*second)[0].kind, ChangeKind::kSegmentPut);
  Result<Segment> s1 = ParseSegment((*second)[0].value);
  ASSERT_TRUE(s1.ok());
  EXPECT_EQ(s1->target, "We kept jobs stable.");
  EXPECT_EQ((*second)[1].key, "s2");
  EXPECT_EQ((*second)[2].kind, ChangeKind::kSegmentDelete);
  EXPECT_EQ((*second)[2].key, "s1");
}

TEST_F(OutboxTest, FailedDryAndEmptyWritesTakeNoSequence) {
  Open(/*record=*/true);
  // Fails after a change: the transaction is aborted, its change and sequence with it.
  Status failed = store_->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(glossary_->Put(txn, Term("a", "甲", "A")));
    return Status::InvalidArgument("later record is bad");
  });
  EXPECT_FALSE(failed.ok());
  // A dry run does the same work and commits nothing.
  ASSERT_TRUE(store_
                  ->Write([&](LmdbTxn& txn) { return glossary_->Put(txn, Term("b", "乙", "B")); },
                          /*commit=*/false)
                  .ok());
  // A write that changes no content (a refused delete) takes no sequence.
  EXPECT_EQ(store_->Write([&](LmdbTxn& txn) { return tm_->Delete(txn, "absent"); }).code(),
            Status::Code::kNotFound);
  ASSERT_TRUE(store_->Write([&](LmdbTxn&) { return Status::Ok(); }).ok());
  EXPECT_EQ(Sequence(), 0u);
  EXPECT_TRUE(Outbox().empty());
  // The next real change is 1: the sequence has no gaps, which is how a replica notices a lost message.
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary_->Put(txn, Term("c", "丙", "C")); }).ok());
  EXPECT_EQ(Sequence(), 1u);
}

TEST_F(OutboxTest, TrimmedRowsAreGoneTheSequenceGoesOnAndSurvivesAReopen) {
  Open(/*record=*/true);
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary_->Put(txn, Term(id, "甲", id)); }).ok());
  }
  ASSERT_TRUE(store_->TrimOutbox(2).ok());
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, 3u);
  std::vector<uint64_t> after_two;
  ASSERT_TRUE(store_
                  ->ReadOutbox(2, 10,
                               [&](uint64_t seq, std::string_view) {
                                 after_two.push_back(seq);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(after_two, std::vector<uint64_t>{3});
  store_.reset();
  glossary_.reset();
  tm_.reset();
  Open(/*record=*/true);
  EXPECT_EQ(Sequence(), 3u);
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary_->Delete(txn, "a"); }).ok());
  EXPECT_EQ(Sequence(), 4u);
  EXPECT_EQ(Outbox().size(), 2u);
}

// Trimming walks the outbox once with a cursor and deletes where it stands: across many pages, every row up
// to the bound goes and every row after it stays (a cursor that skipped a row after each delete would leave
// every other one).
TEST_F(OutboxTest, TrimRemovesExactlyThePublishedPrefixAcrossManyPages) {
  Open(/*record=*/true);
  const std::string padding(400, 'x');  // About eight rows a page: the trim crosses pages.
  constexpr int kRows = 240;
  for (int i = 1; i <= kRows; ++i) {
    ASSERT_TRUE(store_
                    ->Write([&](LmdbTxn& txn) {
                      TermEntry e = Term("t" + std::to_string(i), "甲", "term " + std::to_string(i));
                      e.note = padding;  // Not an index key: any length.
                      return glossary_->Put(txn, e);
                    })
                    .ok());
  }
  ASSERT_TRUE(store_->TrimOutbox(kRows / 2 + 1).ok());
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRows / 2 - 1));
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].first, static_cast<uint64_t>(kRows / 2 + 2 + i));
  ASSERT_TRUE(store_->TrimOutbox(0).ok());  // Nothing published yet: nothing goes.
  EXPECT_EQ(Outbox().size(), static_cast<size_t>(kRows / 2 - 1));
  ASSERT_TRUE(store_->TrimOutbox(kRows * 2).ok());
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(Sequence(), static_cast<uint64_t>(kRows));
}

TEST_F(OutboxTest, AStoreThatDoesNotRecordChangesKeepsNoOutbox) {
  Open(/*record=*/false);
  ASSERT_TRUE(store_->Write([&](LmdbTxn& txn) { return glossary_->Put(txn, Term("a", "甲", "A")); }).ok());
  EXPECT_EQ(Sequence(), 0u);
  EXPECT_TRUE(Outbox().empty());
}

}  // namespace
}  // namespace heluo
