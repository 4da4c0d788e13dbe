// Slow and hostile clients against the real server: a client that opens a download and never reads (small
// HTTP/2 windows, so the server really blocks on it) must not hold up writers, and is ended after the idle
// timeout; idle streams from one client must not lock other clients out; a client that writes on an ordered
// stream (CheckTerminologyStream, LookupStream) and never reads is ended, told why, and frees its slot.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kEditorToken = "editor-token-streams-31";
constexpr const char* kAdminToken = "admin-token-streams-77";
constexpr const char* kReaderToken = "reader-token-streams-52";

std::unique_ptr<grpc::ClientContext> Ctx(const char* token, milliseconds timeout = milliseconds(30000)) {
  return BearerContext(token, timeout);
}

// A client that reads as little as HTTP/2 lets it: 1 KiB stream windows, no window growth from bandwidth
// probes. A stream it never reads from blocks the server's writes within a few dozen KiB.
std::shared_ptr<grpc::Channel> StallingChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, -1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// What a client that writes requests on an ordered stream and never reads the answers went through.
struct NeverReadOutcome {
  grpc::Status status;
  int written = 0;  // Writes that succeeded before one failed.
  steady_clock::duration took{};
};

// Writes `request` on `stream` until a Write fails, running `meanwhile` (other clients' calls) once the stall
// has formed; then takes what was in flight and the status (Finish before reading to the end would wait).
template <class Request, class Response>
NeverReadOutcome WriteAndNeverRead(grpc::ClientReaderWriter<Request, Response>* stream,
                                   const Request& request, const std::function<void()>& meanwhile) {
  const auto started = steady_clock::now();
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (stream->Write(request)) ++written;
  });
  std::this_thread::sleep_for(milliseconds(500));
  meanwhile();
  writer.join();
  NeverReadOutcome out;
  out.took = steady_clock::now() - started;
  out.written = written;
  Response answer;
  while (stream->Read(&answer)) {
  }
  out.status = stream->Finish();
  return out;
}

class StreamsTest : public ::testing::Test {
 public:
  void Start(std::vector<std::string> extra) {
    std::ofstream(dir_.Sub("tokens")) << "editor " << TokenHash(kEditorToken) << " ed\nadmin " << TokenHash(kAdminToken)
                                      << " root\nreader " << TokenHash(kReaderToken) << " rita\n";
    std::vector<std::string> args = {"--data-dir", dir_.Sub("data"), "--token-file", dir_.Sub("tokens")};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(args);
    ASSERT_TRUE(server_->started()) << server_->output();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  // `count` segments of about `bytes` bytes each, in batches of 500, in collection `collection`.
  grpc::Status Fill(const std::string& collection, int count, size_t bytes, milliseconds timeout = milliseconds(60000)) {
    auto tm = v1::TranslationMemory::NewStub(channel_);
    for (int start = 0; start < count; start += 500) {
      v1::UpsertSegmentsRequest r;
      for (int i = start; i < std::min(count, start + 500); ++i) {
        v1::Segment* s = r.add_segments();
        s->set_id(collection + "-" + std::to_string(i));
        s->set_collection(collection);
        std::string zh = "第" + std::to_string(i) + "句：";
        while (zh.size() < bytes / 2) zh += "翻译记忆测试内容" + std::to_string(i % 97);
        std::string en = "Sentence " + std::to_string(i) + ":";
        while (en.size() < bytes / 2) en += " translation memory test text " + std::to_string(i % 89);
        s->set_source(zh + "。");
        s->set_target(en + ".");
      }
      v1::UpsertSegmentsResponse out;
      grpc::Status st = tm->UpsertSegments(Ctx(kEditorToken, timeout).get(), r, &out);
      if (!st.ok()) return st;
    }
    return grpc::Status::OK;
  }

  int64_t Segments(const std::string& collection) {
    v1::StatsResponse stats;
    EXPECT_TRUE(v1::Admin::NewStub(channel_)->Stats(Ctx(nullptr).get(), v1::StatsRequest(), &stats).ok());
    for (const auto& c : stats.collections()) {
      if (c.name() == collection) return c.segments();
    }
    return 0;
  }

 protected:
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(StreamsTest, ExportThatIsNeverReadDoesNotHoldUpAWriterThatMustGrowTheMap) {
  // A 1 MiB map: writers must grow it while the export is stalled (well within the idle timeout).
  ASSERT_NO_FATAL_FAILURE(Start({"--map-size-mib", "1", "--stream-idle-timeout", "60"}));
  ASSERT_TRUE(Fill("bulk", 3000, 2000).ok());  // About 6 MB to export: far more than windows and buffers.

  auto stalled_channel = StallingChannel(server_->address());
  auto stalled_ctx = Ctx(nullptr);
  v1::ExportRequest request;
  request.set_format(v1::EXPORT_FORMAT_TMX);
  auto stalled = v1::TranslationMemory::NewStub(stalled_channel)->Export(stalled_ctx.get(), request);
  std::this_thread::sleep_for(milliseconds(1500));  // The server has sent what the windows allow and waits.

  v1::StatsResponse before;
  ASSERT_TRUE(v1::Admin::NewStub(channel_)->Stats(Ctx(nullptr).get(), v1::StatsRequest(), &before).ok());
  // Each call of this fill has 10 s and needs the map to double at least once.
  const auto started = steady_clock::now();
  grpc::Status wrote = Fill("more", 3000, 2000, milliseconds(10000));
  const auto took = steady_clock::now() - started;
  ASSERT_TRUE(wrote.ok()) << wrote.error_code() << " " << wrote.error_message();
  v1::StatsResponse after;
  ASSERT_TRUE(v1::Admin::NewStub(channel_)->Stats(Ctx(nullptr).get(), v1::StatsRequest(), &after).ok());
  EXPECT_GT(after.map_size_bytes(), before.map_size_bytes()) << "the test did not make the map grow";
  EXPECT_LT(took, seconds(10));
  EXPECT_EQ(Segments("more"), 3000);
  stalled_ctx->TryCancel();
  stalled->Finish();
}

TEST_F(StreamsTest, ExportThatIsNeverReadIsEndedAfterTheIdleTimeout) {
  ASSERT_NO_FATAL_FAILURE(Start({"--stream-idle-timeout", "2"}));
  ASSERT_TRUE(Fill("bulk", 3000, 2000).ok());
  auto stalled_channel = StallingChannel(server_->address());
  auto stalled_ctx = Ctx(nullptr);
  v1::ExportRequest request;
  request.set_format(v1::EXPORT_FORMAT_TMX);
  auto stalled = v1::TranslationMemory::NewStub(stalled_channel)->Export(stalled_ctx.get(), request);
  std::this_thread::sleep_for(seconds(5));
  // Its client gets what was in flight, then the error.
  std::string received;
  v1::ExportChunk chunk;
  while (stalled->Read(&chunk)) received += chunk.data();
  grpc::Status ended = stalled->Finish();
  EXPECT_FALSE(ended.ok()) << "the stalled export was not ended; it received " << received.size() << " bytes";
  EXPECT_LT(received.size(), size_t{6} << 20);
  server_->Poll();
  EXPECT_NE(server_->output().find("stream ended: client idle"), std::string::npos) << server_->output();
}

TEST_F(StreamsTest, BackupDownloadThatIsNeverReadIsEndedAndDoesNotHoldUpWriters) {
  ASSERT_NO_FATAL_FAILURE(Start({"--map-size-mib", "1", "--stream-idle-timeout", "2"}));
  ASSERT_TRUE(Fill("bulk", 2000, 2000).ok());
  auto stalled_channel = StallingChannel(server_->address());
  auto stalled_ctx = Ctx(kAdminToken);
  auto stalled = v1::Admin::NewStub(stalled_channel)->DownloadBackup(stalled_ctx.get(), v1::DownloadBackupRequest());
  std::this_thread::sleep_for(milliseconds(1000));
  ASSERT_TRUE(Fill("more", 3000, 2000, milliseconds(10000)).ok());
  std::this_thread::sleep_for(seconds(3));
  v1::BackupChunk chunk;
  while (stalled->Read(&chunk)) {
  }
  EXPECT_FALSE(stalled->Finish().ok());
}

TEST_F(StreamsTest, IdleStreamsOfEveryKindAreEndedAndAnIdleImportImportsNothing) {
  ASSERT_NO_FATAL_FAILURE(Start({"--stream-idle-timeout", "1"}));
  auto tm = v1::TranslationMemory::NewStub(channel_);
  auto lookup_ctx = Ctx(nullptr);
  auto lookup = tm->LookupStream(lookup_ctx.get());  // Opened, nothing sent.
  auto import_ctx = Ctx(kEditorToken);
  v1::ImportSummary summary;
  auto import = tm->Import(import_ctx.get(), &summary);
  v1::ImportChunk chunk;
  chunk.set_collection("idle");
  chunk.set_data("源文\ttarget\n");
  ASSERT_TRUE(import->Write(chunk));  // One chunk, then the client stalls without finishing.
  auto glossary_ctx = Ctx(kEditorToken);
  v1::ImportSummary glossary_summary;
  auto glossary_import = v1::Glossary::NewStub(channel_)->ImportGlossary(glossary_ctx.get(), &glossary_summary);

  const auto started = steady_clock::now();
  v1::LookupResponse response;
  EXPECT_FALSE(lookup->Read(&response));  // Returns when the server ends the stream.
  grpc::Status lookup_status = lookup->Finish();
  EXPECT_EQ(lookup_status.error_code(), grpc::StatusCode::CANCELLED) << lookup_status.error_message();
  EXPECT_LT(steady_clock::now() - started, seconds(10));
  EXPECT_EQ(import->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(glossary_import->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(Segments("idle"), 0);
}

TEST_F(StreamsTest, IdleStreamsOfOneClientDoNotLockOthersOut) {
  ASSERT_NO_FATAL_FAILURE(Start({}));  // Defaults: 64 server-wide, 16 per client, 60 s idle.
  // An anonymous client opens 64 streams and sends nothing.
  auto hostile_channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  auto hostile = v1::TranslationMemory::NewStub(hostile_channel);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReaderWriter<v1::LookupRequest, v1::LookupResponse>>> streams;
  for (int i = 0; i < 64; ++i) {
    contexts.push_back(Ctx(nullptr));
    streams.push_back(hostile->LookupStream(contexts.back().get()));
  }
  std::this_thread::sleep_for(milliseconds(1000));

  // Others still import, export and pre-translate.
  auto tm = v1::TranslationMemory::NewStub(channel_);
  {
    auto ctx = Ctx(kEditorToken);
    v1::ImportSummary summary;
    auto import = tm->Import(ctx.get(), &summary);
    v1::ImportChunk chunk;
    chunk.set_collection("others");
    chunk.set_data("他们仍然可以导入。\tOthers can still import.\n");
    ASSERT_TRUE(import->Write(chunk));
    import->WritesDone();
    grpc::Status st = import->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(summary.created(), 1);
  }
  {
    auto ctx = Ctx(kReaderToken);
    v1::ExportRequest r;
    r.set_format(v1::EXPORT_FORMAT_JSONL);
    auto reader = tm->Export(ctx.get(), r);
    std::string out;
    v1::ExportChunk chunk;
    while (reader->Read(&chunk)) out += chunk.data();
    grpc::Status st = reader->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_NE(out.find("Others can still import."), std::string::npos);
  }
  {
    auto ctx = Ctx(kReaderToken);
    auto stream = tm->LookupStream(ctx.get());
    v1::LookupRequest q;
    q.set_text("他们仍然可以导入。");
    ASSERT_TRUE(stream->Write(q));
    stream->WritesDone();
    v1::LookupResponse response;
    EXPECT_TRUE(stream->Read(&response));
    EXPECT_TRUE(stream->Finish().ok());
    ASSERT_GT(response.matches_size(), 0);
    EXPECT_GE(response.matches(0).score(), 100);
  }
  // The hostile client got 16 streams; the other 48 were refused at once, saying which limit.
  {
    auto ctx = Ctx(nullptr);
    auto one_more = hostile->LookupStream(ctx.get());
    v1::LookupResponse response;
    EXPECT_FALSE(one_more->Read(&response));
    grpc::Status st = one_more->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(st.error_message().find("--max-streams-per-client"), std::string::npos) << st.error_message();
  }
  for (auto& c : contexts) c->TryCancel();
  for (auto& st : streams) st->Finish();
  server_->Poll();
  const std::string& log = server_->output();
  int refused = 0;
  for (size_t at = 0; (at = log.find("LookupStream code=RESOURCE_EXHAUSTED", at)) != std::string::npos; ++at) ++refused;
  EXPECT_EQ(refused, 48 + 1) << log;
}

TEST_F(StreamsTest, ServerWideLimitRefusesWithItsFlag) {
  ASSERT_NO_FATAL_FAILURE(Start({"--max-streams", "2", "--max-streams-per-client", "2"}));
  auto tm = v1::TranslationMemory::NewStub(channel_);
  auto c1 = Ctx(kReaderToken), c2 = Ctx(nullptr), c3 = Ctx(kEditorToken);
  auto s1 = tm->LookupStream(c1.get());
  auto s2 = tm->LookupStream(c2.get());
  std::this_thread::sleep_for(milliseconds(500));
  auto s3 = tm->LookupStream(c3.get());
  v1::LookupResponse response;
  EXPECT_FALSE(s3->Read(&response));
  grpc::Status st = s3->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(st.error_message().find("--max-streams)"), std::string::npos) << st.error_message();
  c1->TryCancel();
  c2->TryCancel();
  s1->Finish();
  s2->Finish();
}

// A client that writes and never reads: the answers fill its (small) windows, the server's Write blocks, the
// pipeline stops reading at its window, and the client's own Write blocks in turn. The idle watchdog must end
// the stream — the client's blocked Write fails and it is told CANCELLED naming --stream-idle-timeout, well
// before its own 20 s deadline — and the method must return, its threads joined (the client's one stream
// slot, --max-streams-per-client 1, is free again); meanwhile other clients read and write.
template <class Request, class Response, class Stub>
void ExpectEndedAndOthersServed(
    StreamsTest* test, ServerProcess& server, const Request& request,
    std::unique_ptr<grpc::ClientReaderWriter<Request, Response>> (Stub::*open)(grpc::ClientContext*),
    const std::function<void()>& other_reader) {
  auto stub = std::make_unique<Stub>(StallingChannel(server.address()));
  auto ctx = Ctx(nullptr, milliseconds(20000));
  auto stream = ((*stub).*open)(ctx.get());
  const NeverReadOutcome out = WriteAndNeverRead(stream.get(), request, [&] {
    other_reader();
    grpc::Status wrote = test->Fill("meanwhile", 50, 200, milliseconds(3000));
    EXPECT_TRUE(wrote.ok()) << wrote.error_message();
  });
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::CANCELLED) << out.status.error_message();
  EXPECT_NE(out.status.error_message().find("--stream-idle-timeout"), std::string::npos)
      << out.status.error_message();
  EXPECT_LT(out.took, seconds(10));
  EXPECT_GT(out.written, 0);
  server.Poll();
  EXPECT_NE(server.output().find("stream ended: client idle"), std::string::npos) << server.output();
  EXPECT_EQ(test->Segments("meanwhile"), 50);
  auto again_ctx = Ctx(nullptr, milliseconds(5000));
  auto again = ((*stub).*open)(again_ctx.get());
  ASSERT_TRUE(again->Write(request));
  again->WritesDone();
  Response answer;
  EXPECT_TRUE(again->Read(&answer));
  grpc::Status st = again->Finish();
  EXPECT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
}

TEST_F(StreamsTest, CheckStreamThatIsWrittenButNeverReadIsEndedAndOthersAreServed) {
  ASSERT_NO_FATAL_FAILURE(Start({"--stream-idle-timeout", "1", "--max-streams-per-client", "1"}));
  v1::CheckTerminologyRequest request;
  request.set_source("扎实做好“六稳”工作");
  std::string target;
  for (int i = 0; i < 50; ++i) target += "稳 ";
  request.set_target(target);  // Han text left in the target: answers with issues, a few KiB each.
  ExpectEndedAndOthersServed(this, *server_, request, &v1::Glossary::Stub::CheckTerminologyStream, [&] {
    v1::CheckTerminologyResponse answer;
    grpc::Status st = v1::Glossary::NewStub(channel_)->CheckTerminology(
        Ctx(kReaderToken, milliseconds(3000)).get(), request, &answer);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_GT(answer.issues_size(), 0);
  });
}

TEST_F(StreamsTest, LookupStreamThatIsWrittenButNeverReadIsEndedAndOthersAreServed) {
  ASSERT_NO_FATAL_FAILURE(Start({"--stream-idle-timeout", "1", "--max-streams-per-client", "1"}));
  v1::LookupRequest request;
  request.set_text("新增专利230件，增长60.5%。");
  request.set_max_results(5);
  request.set_min_score(30);
  ExpectEndedAndOthersServed(this, *server_, request, &v1::TranslationMemory::Stub::LookupStream, [&] {
    v1::LookupResponse answer;
    grpc::Status st = v1::TranslationMemory::NewStub(channel_)->Lookup(
        Ctx(kReaderToken, milliseconds(3000)).get(), request, &answer);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_GT(answer.matches_size(), 0);
  });
}

}  // namespace
}  // namespace heluo
