// Read replicas through the real binaries: a real nats-server with JetStream, one primary heluo-server
// with --nats and two replicas with --replica-of, each on its own data directory (docs/replication.md).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/nats_server_process.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

constexpr const char* kEditorToken = "editor-token-replication";

class ReplicationServerTest : public ::testing::Test {
 protected:
  ReplicationServerTest() : nats_(dir_.Sub("")) {
    CommandResult hash = RunCommand({HELUO_SERVER_BIN, "--hash-token", kEditorToken});
    std::ofstream(dir_.Sub("tokens")) << "editor " << hash.out.substr(0, 64) << " alice\n";
    primary_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--data-dir", dir_.Sub("primary"), "--token-file", dir_.Sub("tokens"), "--nats", nats_.url()});
    replicas_.push_back(StartReplica("r1"));
    replicas_.push_back(StartReplica("r2"));
  }

  std::unique_ptr<ServerProcess> StartReplica(const std::string& name) {
    return std::make_unique<ServerProcess>(
        std::vector<std::string>{"--data-dir", dir_.Sub(name), "--token-file", dir_.Sub("tokens"),
                                 "--replica-of", nats_.url(), "--primary-address", primary_->address()});
  }

  static std::shared_ptr<grpc::Channel> Channel(const ServerProcess& s) {
    return grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials());
  }
  static std::unique_ptr<grpc::ClientContext> Ctx(bool editor = false) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (editor) ctx->AddMetadata("authorization", std::string("Bearer ") + kEditorToken);
    return ctx;
  }

  static grpc::Status Upsert(const ServerProcess& s, const std::string& id, const std::string& en) {
    v1::UpsertTermRequest r;
    r.mutable_entry()->set_id(id);
    r.mutable_entry()->set_zh("复制" + id);
    r.mutable_entry()->set_en(en);
    r.mutable_entry()->set_collection("edits");
    v1::UpsertTermResponse out;
    return v1::Glossary::NewStub(Channel(s))->UpsertTerm(Ctx(true).get(), r, &out);
  }

  // Every export format of the server, concatenated: equal strings mean byte-identical exports.
  static std::string Exports(const ServerProcess& s) {
    std::string out;
    v1::ExportChunk chunk;
    for (v1::ExportFormat f : {v1::EXPORT_FORMAT_TMX, v1::EXPORT_FORMAT_JSONL}) {
      v1::ExportRequest r;
      r.set_format(f);
      auto ctx = Ctx();
      auto reader = v1::TranslationMemory::NewStub(Channel(s))->Export(ctx.get(), r);
      while (reader->Read(&chunk)) out += chunk.data();
      if (!reader->Finish().ok()) return "export failed";
    }
    for (v1::ExportFormat f : {v1::EXPORT_FORMAT_TBX, v1::EXPORT_FORMAT_JSONL}) {
      v1::ExportGlossaryRequest r;
      r.set_format(f);
      auto ctx = Ctx();
      auto reader = v1::Glossary::NewStub(Channel(s))->ExportGlossary(ctx.get(), r);
      while (reader->Read(&chunk)) out += chunk.data();
      if (!reader->Finish().ok()) return "export failed";
    }
    return out;
  }

  // Waits (up to 30 s) until the replica's exports equal the primary's.
  bool Converges(const ServerProcess& replica) {
    const std::string want = Exports(*primary_);
    for (int i = 0; i < 150; ++i) {
      if (Exports(replica) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  TempDir dir_;
  NatsServerProcess nats_;
  std::unique_ptr<ServerProcess> primary_;
  std::vector<std::unique_ptr<ServerProcess>> replicas_;
};

TEST_F(ReplicationServerTest, TwoReplicasExportExactlyWhatThePrimaryHolds) {
  ASSERT_TRUE(nats_.running()) << nats_.log();
  ASSERT_TRUE(primary_->started()) << primary_->output();
  EXPECT_NE(primary_->startup_line().find("publishing changes to " + nats_.url()), std::string::npos);
  for (auto& r : replicas_) {
    ASSERT_TRUE(r->started()) << r->output();
    EXPECT_NE(r->startup_line().find("read replica of"), std::string::npos) << r->startup_line();
  }
  // The bundle the primary imported at its first start reaches the replicas through the stream.
  for (auto& r : replicas_) EXPECT_TRUE(Converges(*r)) << "bundle";
  for (int i = 0; i < 30; ++i)
    ASSERT_TRUE(Upsert(*primary_, "rep-" + std::to_string(i), "term " + std::to_string(i)).ok());
  for (int i = 0; i < 30; i += 3) {
    v1::DeleteTermRequest d;
    d.set_id("rep-" + std::to_string(i));
    v1::DeleteTermResponse out;
    ASSERT_TRUE(v1::Glossary::NewStub(Channel(*primary_))->DeleteTerm(Ctx(true).get(), d, &out).ok());
  }
  v1::UpsertSegmentsRequest segments;
  for (int i = 0; i < 50; ++i) {
    v1::Segment* s = segments.add_segments();
    s->set_id("rep-seg-" + std::to_string(i));
    s->set_collection("edits");
    s->set_source("第" + std::to_string(i) + "项复制测试句子。");
    s->set_target("Replication test sentence " + std::to_string(i) + ".");
  }
  v1::UpsertSegmentsResponse upserted;
  ASSERT_TRUE(v1::TranslationMemory::NewStub(Channel(*primary_))
                  ->UpsertSegments(Ctx(true).get(), segments, &upserted)
                  .ok());
  // A TMX import (staged, published by one small commit on the primary) reaches the replicas as one commit:
  // two new pairs and a new version of an existing one.
  std::ofstream(dir_.Sub("import.tmx"))
      << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"zh-CN\" "
         "datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"test\" "
         "creationtool=\"test\" creationtoolversion=\"1\"/><body>"
      << "<tu tuid=\"imp-1\"><tuv xml:lang=\"zh-CN\"><seg>导入的第一句。</seg></tuv><tuv xml:lang=\"en-US\">"
         "<seg>The first imported sentence.</seg></tuv></tu>"
      << "<tu tuid=\"imp-2\"><tuv xml:lang=\"zh-CN\"><seg>导入的第二句。</seg></tuv><tuv xml:lang=\"en-US\">"
         "<seg>The second imported sentence.</seg></tuv></tu>"
      << "<tu tuid=\"rep-seg-7\"><tuv xml:lang=\"zh-CN\"><seg>第7项复制测试句子。</seg></tuv>"
         "<tuv xml:lang=\"en-US\"><seg>Item 7, as imported.</seg></tuv></tu></body></tmx>\n";
  CommandResult imported = RunCommand({HELUO_CLIENT_BIN, "--server", primary_->address(), "--token", kEditorToken,
                                       "import", dir_.Sub("import.tmx")});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  EXPECT_NE(Exports(*primary_).find("Item 7, as imported."), std::string::npos);
  for (auto& r : replicas_) EXPECT_TRUE(Converges(*r));
  // The replica's recognizer follows too (rebuilt just after each applied commit): a new term is found.
  v1::RecognizeTermsRequest rec;
  rec.set_text("推进复制rep-1");
  v1::RecognizeTermsResponse found;
  for (int i = 0; i < 50 && found.hits_size() == 0; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(v1::Glossary::NewStub(Channel(*replicas_[0]))->RecognizeTerms(Ctx().get(), rec, &found).ok());
  }
  ASSERT_GE(found.hits_size(), 1);
}

TEST_F(ReplicationServerTest, AWriteSentToAReplicaIsRefusedNamingThePrimaryAndChangesNothing) {
  ASSERT_TRUE(replicas_[0]->started()) << replicas_[0]->output();
  ASSERT_TRUE(Converges(*replicas_[0]));
  const std::string before = Exports(*replicas_[0]);
  grpc::Status st = Upsert(*replicas_[0], "on-replica", "refused");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find(primary_->address()), std::string::npos) << st.error_message();
  v1::DeleteSegmentRequest d;
  d.set_id("yanshi-2021-0001");
  v1::DeleteSegmentResponse out;
  EXPECT_EQ(v1::TranslationMemory::NewStub(Channel(*replicas_[0]))
                ->DeleteSegment(Ctx(true).get(), d, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Exports(*replicas_[0]), before);
  EXPECT_EQ(Exports(*replicas_[0]), Exports(*primary_));
}

TEST_F(ReplicationServerTest, AReplicaKilledWhileWritesFlowCatchesUpWithoutApplyingTwice) {
  ASSERT_TRUE(Converges(*replicas_[1]));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(Upsert(*primary_, "k" + std::to_string(round) + "-" + std::to_string(i),
                         "kill " + std::to_string(i))
                      .ok());
      if (i == 4) replicas_[1]->Kill();  // kill -9 in the middle of the stream.
    }
    replicas_[1] = StartReplica("r2");
    ASSERT_TRUE(replicas_[1]->started()) << replicas_[1]->output();
    EXPECT_TRUE(Converges(*replicas_[1])) << "round " << round;
  }
}

TEST_F(ReplicationServerTest, WritesSucceedWhileNatsIsDownAndReachTheReplicasWhenItReturns) {
  ASSERT_TRUE(Converges(*replicas_[0]));
  nats_.Stop();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Upsert(*primary_, "down-" + std::to_string(i), "while down").ok());
  ASSERT_TRUE(nats_.Start()) << nats_.log();  // Same port, same store: nothing acknowledged is lost.
  for (auto& r : replicas_) EXPECT_TRUE(Converges(*r));
}

}  // namespace
}  // namespace heluo
