// LookupStream's pipeline (server/service/lookup_stream.h) on the bundled TM in a real store, driven through
// its I/O interface by a test client that can be slow, silent or gone: answers in request order with lookups
// in parallel, the window bounding what is read ahead, and every way the stream can end leaving no thread
// behind.
#include "server/service/lookup_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/bundled_store.h"
#include "tests/fake_ordered_stream_client.h"
#include "tests/temp_dir.h"
#include "tests/utf8_prefix.h"

namespace heluo {
namespace {

class LookupStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenWithBundle(dir_.path(), &store_));
    tm_ = std::make_unique<TranslationMemory>(store_.get());
    Result<SegmentPage> page = tm_->List(500, "");
    ASSERT_TRUE(page.ok());
    for (const Segment& seg : page->segments) sources_.push_back(seg.source);
    ASSERT_GE(sources_.size(), 50u);
  }

  // Request i: a stored source, every third one cut in half (fuzzy), at a threshold that varies, so lookups
  // take different times and finish out of order on the workers.
  v1::LookupRequest Request(size_t i) const {
    v1::LookupRequest r;
    const std::string& s = sources_[(i * 7) % sources_.size()];
    r.set_text(i % 3 == 0 ? std::string(Utf8Prefix(s, s.size() / 2)) : s);
    r.set_max_results(5);
    r.set_min_score(i % 2 == 0 ? 30 : 80);
    return r;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TranslationMemory> tm_;
  std::vector<std::string> sources_;
};

using TestClient = FakeOrderedStreamClient<v1::LookupRequest, v1::LookupResponse>;

std::vector<std::string> Ids(const v1::LookupResponse& r) {
  std::vector<std::string> ids;
  for (const auto& m : r.matches()) ids.push_back(m.segment().id() + "/" + std::to_string(m.score()));
  return ids;
}

// Lookup serves these on its worker pool rather than on a gRPC callback thread (unary_offload_test.cc).
TEST(LookupMayRunLongTest, LowThresholdsAndLongTextsAreOffTheCallbackThreads) {
  v1::LookupRequest r;
  r.set_text("国内生产总值增长");
  EXPECT_FALSE(LookupMayRunLong(r)) << "no min_score: the default, 70";
  r.set_min_score(70);
  EXPECT_FALSE(LookupMayRunLong(r));
  r.set_min_score(100);
  EXPECT_FALSE(LookupMayRunLong(r));
  r.set_min_score(69);
  EXPECT_TRUE(LookupMayRunLong(r));
  r.set_min_score(30);
  EXPECT_TRUE(LookupMayRunLong(r));
  r.set_min_score(0);
  EXPECT_TRUE(LookupMayRunLong(r)) << "min_score 0 set explicitly scores every segment";
  r.set_min_score(90);
  std::string text;
  while (text.size() <= 1000) text += "国内生产总值增长";
  r.set_text(text);
  EXPECT_TRUE(LookupMayRunLong(r));
}

TEST_F(LookupStreamTest, AnswersInRequestOrderWithLookupsInParallel) {
  TestClient client;
  for (size_t i = 0; i < 300; ++i) client.requests.push_back(Request(i));
  const LookupStreamOutcome out = RunLookupStream(*tm_, client, LookupStreamLimits{8, 4});
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  EXPECT_FALSE(out.ended_early);
  ASSERT_EQ(client.answers.size(), client.requests.size());
  EXPECT_EQ(out.answered, 300);
  for (size_t i = 0; i < client.requests.size(); ++i) {
    TmQuery q;
    q.text = client.requests[i].text();
    q.max_results = 5;
    q.min_score = client.requests[i].min_score();
    Result<std::vector<TmMatch>> alone = tm_->Lookup(q);
    ASSERT_TRUE(alone.ok());
    v1::LookupResponse expected;
    for (const TmMatch& m : *alone) expected.add_matches()->mutable_segment()->set_id(m.segment.id);
    for (int k = 0; k < expected.matches_size(); ++k)
      expected.mutable_matches(k)->set_score((*alone)[k].score);
    EXPECT_EQ(Ids(client.answers[i]), Ids(expected)) << "answer " << i;
  }
}

TEST_F(LookupStreamTest, TheWindowBoundsRequestsReadAhead) {
  TestClient client;
  for (size_t i = 0; i < 200; ++i) client.requests.push_back(Request(i));
  client.write_delay =
      std::chrono::microseconds(300);  // A slow reader of answers: the server must not read on.
  const LookupStreamOutcome out = RunLookupStream(*tm_, client, LookupStreamLimits{4, 2});
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(client.answers.size(), 200u);
  EXPECT_LE(client.max_ahead, 4);
  EXPECT_GE(client.max_ahead, 2);  // And it does read ahead: the workers have work.
}

TEST_F(LookupStreamTest, AClientThatGoesAwayEndsTheStreamAndNoThreadIsLeft) {
  TestClient client;
  for (size_t i = 0; i < 100; ++i) client.requests.push_back(Request(i));
  ExpectAClientGoneAfterFiveAnswersEndsTheStream(
      client, [&] { return RunLookupStream(*tm_, client, LookupStreamLimits{8, 2}); });
}

TEST_F(LookupStreamTest, AFailedLookupEndsTheStreamNamingItsIndex) {
  for (bool silent : {false, true}) {
    TestClient client;
    for (size_t i = 0; i < 20; ++i) client.requests.push_back(Request(i));
    client.requests[7].set_text("   ");  // INVALID_ARGUMENT: nothing to look up.
    client.silent_after_all = silent;
    const LookupStreamOutcome out = RunLookupStream(*tm_, client, LookupStreamLimits{32, 2});
    EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << silent;
    EXPECT_NE(out.status.error_message().find("request 7 of the stream"), std::string::npos)
        << out.status.error_message();
    EXPECT_EQ(client.answers.size(), 7u) << "the answers before it were sent, in order";
    EXPECT_EQ(client.cancelled, silent) << "a client that went on sending or closed is not cancelled";
  }
}

TEST_F(LookupStreamTest, AnEmptyStreamEndsOk) {
  TestClient client;
  const LookupStreamOutcome out = RunLookupStream(*tm_, client, LookupStreamLimits{});
  EXPECT_TRUE(out.status.ok());
  EXPECT_EQ(out.answered, 0);
}

}  // namespace
}  // namespace heluo
