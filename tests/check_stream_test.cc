// CheckTerminologyStream's pipeline (server/service/terminology_check.h over ordered_stream.h) with the real
// checker on the bundled glossary in a real store, driven through its I/O interface by a test client that
// can be slow, silent or gone: answers in request order and equal to the unary check's, a bad request ending
// the stream with INVALID_ARGUMENT naming it (the answers before it delivered), and a client that stops
// reading ending the stream with no thread left behind.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/service/terminology_check.h"
#include "tests/bundled_store.h"
#include "tests/fake_ordered_stream_client.h"
#include "tests/temp_dir.h"
#include "tests/utf8_prefix.h"

namespace heluo {
namespace {

class CheckStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenWithBundle(dir_.path(), &store_));
    recognizer_ = std::make_unique<TermRecognizer>(store_.get());
    ASSERT_TRUE(recognizer_->Rebuild().ok());
    checker_ = std::make_unique<TerminologyChecker>(store_.get(), recognizer_.get());
    ASSERT_TRUE(checker_->Rebuild().ok());
    TranslationMemory tm(store_.get());
    ASSERT_TRUE(tm.ForEach([&](const Segment& s) {
                    pairs_.push_back(s);
                    return true;
                  }).ok());
    ASSERT_GE(pairs_.size(), 50u);
  }

  // Request i: a stored pair, every third with its target cut to its first half (issues to find), so checks
  // take different times and finish out of order on the workers.
  v1::CheckTerminologyRequest Request(size_t i) const {
    const Segment& s = pairs_[i % pairs_.size()];
    v1::CheckTerminologyRequest r;
    r.set_source(s.source);
    std::string target = s.target;
    if (i % 3 == 0) target.resize(std::max<size_t>(Utf8Prefix(target, target.size() / 2).size(), 1));
    r.set_target(target);
    return r;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TermRecognizer> recognizer_;
  std::unique_ptr<TerminologyChecker> checker_;
  std::vector<Segment> pairs_;
};

using TestClient = FakeOrderedStreamClient<v1::CheckTerminologyRequest, v1::CheckTerminologyResponse>;

TEST_F(CheckStreamTest, AnswersInRequestOrderEqualToTheUnaryCheck) {
  TestClient client;
  const size_t n = pairs_.size() * 2;
  for (size_t i = 0; i < n; ++i) client.requests.push_back(Request(i));
  const OrderedStreamOutcome out = RunCheckStream(*checker_, client, OrderedStreamLimits{8, 4});
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(client.answers.size(), n);
  EXPECT_EQ(out.answered, static_cast<int64_t>(n));
  EXPECT_LE(client.max_ahead, 8);
  size_t with_issues = 0;
  for (size_t i = 0; i < n; ++i) {
    Result<v1::CheckTerminologyResponse> alone = CheckPair(*checker_, client.requests[i]);
    ASSERT_TRUE(alone.ok());
    EXPECT_EQ(client.answers[i].SerializeAsString(), alone->SerializeAsString()) << "answer " << i;
    if (client.answers[i].issues_size() > 0) ++with_issues;
  }
  EXPECT_GT(with_issues, n / 10) << "the cut targets have issues to find";
}

TEST_F(CheckStreamTest, ABadRequestEndsTheStreamWithInvalidArgumentNamingIt) {
  for (bool silent : {false, true}) {
    TestClient client;
    for (size_t i = 0; i < 20; ++i) client.requests.push_back(Request(i));  // All within the window.
    client.requests[9].set_target(std::string("stability on six fronts\xff", 24));  // Invalid UTF-8.
    client.silent_after_all = silent;
    const OrderedStreamOutcome out = RunCheckStream(*checker_, client, OrderedStreamLimits{32, 2});
    EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << silent;
    EXPECT_NE(out.status.error_message().find("request 9 of the stream"), std::string::npos)
        << out.status.error_message();
    EXPECT_NE(out.status.error_message().find("target"), std::string::npos) << out.status.error_message();
    ASSERT_EQ(client.answers.size(), 9u) << "the answers before it were sent, in order";
    for (size_t i = 0; i < 9; ++i) {
      EXPECT_EQ(client.answers[i].SerializeAsString(), CheckPair(*checker_, client.requests[i])->SerializeAsString());
    }
    EXPECT_EQ(client.cancelled, silent) << "a client that went on sending or closed is not cancelled";
    if (silent) {  // A silent client is still told which request failed, not just "cancelled".
      EXPECT_EQ(client.cancelled_with.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_EQ(client.cancelled_with.error_message(), out.status.error_message());
    }
  }
}

TEST_F(CheckStreamTest, AClientThatStopsReadingEndsTheStreamAndNoThreadIsLeft) {
  TestClient client;
  for (size_t i = 0; i < 200; ++i) client.requests.push_back(Request(i));
  ExpectAClientGoneAfterFiveAnswersEndsTheStream(
      client, [&] { return RunCheckStream(*checker_, client, OrderedStreamLimits{8, 2}); });
}

}  // namespace
}  // namespace heluo
