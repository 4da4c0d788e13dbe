// ChangeStream against a real nats-server with JetStream (Debian's package), started by the test.
#include "server/replication/change_stream.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/nats_server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class ChangeStreamTest : public ::testing::Test {
 protected:
  ChangeStreamTest() : nats_(dir_.path()) {}

  ChangeStreamOptions Options() const {
    ChangeStreamOptions o;
    o.url = nats_.url();
    o.timeout = std::chrono::milliseconds(2000);
    return o;
  }
  std::unique_ptr<ChangeStream> Open(const ChangeStreamOptions& options) {
    auto stream = ChangeStream::Connect(options);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    if (!stream.ok()) return nullptr;
    Status st = (*stream)->EnsureStream();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return std::move(*stream);
  }
  std::unique_ptr<ChangeStream> Open() { return Open(Options()); }

  TempDir dir_;
  NatsServerProcess nats_;
};

std::optional<StreamMessage> NextOf(ChangeReader& reader) {
  auto next = reader.Next(std::chrono::milliseconds(5000));
  EXPECT_TRUE(next.ok()) << next.status().ToString();
  return next.ok() ? *next : std::nullopt;
}

TEST_F(ChangeStreamTest, MessagesComeBackInOrderWithPayloadAndHeaders) {
  ASSERT_TRUE(nats_.running()) << nats_.log();
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  for (int i = 1; i <= 3; ++i) {
    std::string payload = "change " + std::to_string(i);
    payload.push_back('\0');  // Payloads are bytes, not C strings.
    auto ack = stream->Publish(std::to_string(i) + ".0", payload, {{"Heluo-Seq", std::to_string(i)}});
    ASSERT_TRUE(ack.ok()) << ack.status().ToString();
    EXPECT_EQ(ack->stream_seq, static_cast<uint64_t>(i));
    EXPECT_FALSE(ack->duplicate);
  }
  auto reader = stream->ReadFrom(0);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (int i = 1; i <= 3; ++i) {
    auto m = NextOf(**reader);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->stream_seq, static_cast<uint64_t>(i));
    EXPECT_EQ(m->payload, std::string("change ") + std::to_string(i) + std::string(1, '\0'));
    EXPECT_EQ(m->headers["Heluo-Seq"], std::to_string(i));
  }
  auto none = (*reader)->Next(std::chrono::milliseconds(200));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(ChangeStreamTest, AMessageSentAgainWithItsIdIsStoredOnce) {
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  auto first = stream->Publish("7.0", "x");
  auto again = stream->Publish("7.0", "x");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->stream_seq, first->stream_seq);
  auto state = stream->State();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->messages, 1u);
}

TEST_F(ChangeStreamTest, AReaderStartsAtTheSequenceItIsGiven) {
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(stream->Publish(std::to_string(i), std::to_string(i)).ok());
  auto reader = stream->ReadFrom(4);
  ASSERT_TRUE(reader.ok());
  auto m = NextOf(**reader);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->stream_seq, 4u);
  EXPECT_EQ(m->payload, "4");
}

TEST_F(ChangeStreamTest, StoredMessagesSurviveANatsRestartAndKill) {
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  ASSERT_TRUE(stream->Publish("1", "kept").ok());
  stream.reset();
  nats_.Kill();  // kill -9: the file store must still hold an acknowledged message.
  ASSERT_TRUE(nats_.Start()) << nats_.log();
  auto again = Open();
  ASSERT_NE(again, nullptr);
  auto reader = again->ReadFrom(1);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto m = NextOf(**reader);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->payload, "kept");
}

TEST_F(ChangeStreamTest, PublishingWhileNatsIsDownFailsUnavailableAndWorksWhenItIsBack) {
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  nats_.Stop();
  auto down = stream->Publish("1", "while down");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kUnavailable) << down.status().ToString();
  ASSERT_TRUE(nats_.Start()) << nats_.log();
  // The client reconnects by itself (every 250 ms); a publisher retries until the ack comes.
  Result<PublishAck> back = Status::Unavailable("not yet");
  for (int attempt = 0; attempt < 40 && !back.ok(); ++attempt) back = stream->Publish("1", "after");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  auto state = stream->State();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->messages, 1u);  // The failed attempt stored nothing, or the same id once.
}

TEST_F(ChangeStreamTest, AReaderOfPurgedMessagesSeesWhereTheStreamNowStarts) {
  auto stream = Open();
  ASSERT_NE(stream, nullptr);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(stream->Publish(std::to_string(i), "old").ok());
  ASSERT_TRUE(nats_.PurgeStream("HELUO"));  // What `nats stream purge` or the stream's age limit does.
  ASSERT_TRUE(stream->Publish("4", "new").ok());
  auto state = stream->State();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->first_seq, 4u);
  EXPECT_EQ(state->last_seq, 4u);
  auto reader = stream->ReadFrom(2);  // A replica that applied 1 and wants 2.
  ASSERT_TRUE(reader.ok());
  auto m = NextOf(**reader);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->stream_seq, 4u);  // Not 2: the caller must notice the gap.
}

TEST_F(ChangeStreamTest, AStreamOfTheSameNameWithAnotherSubjectIsRefused) {
  ASSERT_NE(Open(), nullptr);
  ChangeStreamOptions other = Options();
  other.subject = "someone.else";
  auto stream = ChangeStream::Connect(other);
  ASSERT_TRUE(stream.ok());
  Status st = (*stream)->EnsureStream();
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("someone.else"), std::string::npos);
}

TEST_F(ChangeStreamTest, ConnectingToNoServerIsUnavailable) {
  ChangeStreamOptions o = Options();
  nats_.Stop();
  o.timeout = std::chrono::milliseconds(500);
  auto stream = ChangeStream::Connect(o);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), Status::Code::kUnavailable) << stream.status().ToString();
}

}  // namespace
}  // namespace heluo
