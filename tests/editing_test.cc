// Authenticated editing and interchange through the real server: tokens and roles, upserts and deletes
// (a deleted segment is never matched again), streamed import and export, and the refusals that must leave
// the store unchanged.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/bundle_counts.h"
#include "tests/server_process.h"
#include "tests/shared_server_test.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

constexpr const char* kEditorToken = "editor-token-5f2c1e";
constexpr const char* kReaderToken = "reader-token-9a7b3d";

class EditingTest : public SharedServerTest<EditingTest> {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--max-import-mib", "1"}, {{"editor", kEditorToken, "alice"}, {"reader", kReaderToken, "bob"}});
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const char* token) {
    return BearerContext(token, std::chrono::seconds(20));
  }

  static std::string Export(bool tm, v1::ExportFormat format) {
    auto ctx = Ctx(nullptr);
    std::string out;
    v1::ExportChunk chunk;
    if (tm) {
      v1::ExportRequest r;
      r.set_format(format);
      auto reader = v1::TranslationMemory::NewStub(channel_)->Export(ctx.get(), r);
      while (reader->Read(&chunk)) out += chunk.data();
      EXPECT_TRUE(reader->Finish().ok());
    } else {
      v1::ExportGlossaryRequest r;
      r.set_format(format);
      auto reader = v1::Glossary::NewStub(channel_)->ExportGlossary(ctx.get(), r);
      while (reader->Read(&chunk)) out += chunk.data();
      EXPECT_TRUE(reader->Finish().ok());
    }
    return out;
  }
  // Everything the server holds.
  static std::string Snapshot() { return Export(true, v1::EXPORT_FORMAT_JSONL) + Export(false, v1::EXPORT_FORMAT_JSONL); }

  static grpc::Status Upsert(const char* token, const std::string& id, const std::string& zh, const std::string& en) {
    v1::UpsertTermRequest r;
    r.mutable_entry()->set_id(id);
    r.mutable_entry()->set_zh(zh);
    r.mutable_entry()->set_en(en);
    r.mutable_entry()->set_collection("edits");
    v1::UpsertTermResponse out;
    return v1::Glossary::NewStub(channel_)->UpsertTerm(Ctx(token).get(), r, &out);
  }

  static grpc::Status Import(bool tm, const std::string& data, bool dry_run, v1::ImportSummary* summary,
                             const char* token = kEditorToken, bool cancel_midway = false) {
    auto ctx = Ctx(token);
    std::unique_ptr<grpc::ClientWriter<v1::ImportChunk>> w =
        tm ? v1::TranslationMemory::NewStub(channel_)->Import(ctx.get(), summary)
           : v1::Glossary::NewStub(channel_)->ImportGlossary(ctx.get(), summary);
    for (size_t off = 0; off < data.size(); off += 4096) {
      v1::ImportChunk c;
      c.set_data(data.substr(off, 4096));
      c.set_dry_run(dry_run);
      if (!w->Write(c)) break;
      if (cancel_midway && off > data.size() / 2) {
        ctx->TryCancel();
        break;
      }
    }
    w->WritesDone();
    return w->Finish();
  }
};

TEST_F(EditingTest, WritesNeedAnEditorTokenAndRefusalsChangeNothing) {
  const std::string before = Snapshot();
  grpc::Status st = Upsert(nullptr, "new-term", "新词", "new word");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(st.error_message().find("authorization: Bearer"), std::string::npos) << st.error_message();
  st = Upsert("wrong-token", "new-term", "新词", "new word");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  st = Upsert(kReaderToken, "new-term", "新词", "new word");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("editor"), std::string::npos);
  v1::ImportSummary summary;
  st = Import(true, "<tmx/>", false, &summary, kReaderToken);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::DeleteSegmentRequest del;
  del.set_id("yanshi-2021-0001");
  v1::DeleteSegmentResponse deleted;
  EXPECT_EQ(v1::TranslationMemory::NewStub(channel_)->DeleteSegment(Ctx(nullptr).get(), del, &deleted).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Snapshot(), before);
  // Tokens never reach the log.
  EXPECT_EQ(server_->output().find(kReaderToken), std::string::npos);
  EXPECT_EQ(server_->output().find("wrong-token"), std::string::npos);
}

TEST_F(EditingTest, UpsertedTermIsFoundRecognisedAndDeleted) {
  ASSERT_TRUE(Upsert(kEditorToken, "qiangyun", "强韵", "strong rhyme").ok());
  auto glossary = v1::Glossary::NewStub(channel_);
  v1::RecognizeTermsRequest rec;
  rec.set_text("一句有强韵的话");
  v1::RecognizeTermsResponse hits;
  ASSERT_TRUE(glossary->RecognizeTerms(Ctx(nullptr).get(), rec, &hits).ok());
  ASSERT_EQ(hits.hits_size(), 1);
  EXPECT_EQ(hits.hits(0).entry().created_by(), "alice");
  EXPECT_FALSE(hits.hits(0).entry().created_at().empty());
  v1::DeleteTermRequest del;
  del.set_id("qiangyun");
  v1::DeleteTermResponse out;
  ASSERT_TRUE(glossary->DeleteTerm(Ctx(kEditorToken).get(), del, &out).ok());
  ASSERT_TRUE(glossary->RecognizeTerms(Ctx(nullptr).get(), rec, &hits).ok());
  EXPECT_EQ(hits.hits_size(), 0);
  grpc::Status st = glossary->DeleteTerm(Ctx(kEditorToken).get(), del, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(EditingTest, DeletedSegmentIsNeverMatchedAgain) {
  auto tm = v1::TranslationMemory::NewStub(channel_);
  v1::UpsertSegmentsRequest up;
  v1::Segment* s = up.add_segments();
  s->set_id("edit-1");
  s->set_collection("edits");
  s->set_source("这是一句专门用来测试删除的句子。");
  s->set_target("This sentence exists to test deletion.");
  v1::UpsertSegmentsResponse upserted;
  ASSERT_TRUE(tm->UpsertSegments(Ctx(kEditorToken).get(), up, &upserted).ok());
  EXPECT_EQ(upserted.created(), 1);
  v1::LookupRequest q;
  q.set_text("这是一句专门用来测试删除的句子。");
  v1::LookupResponse found;
  ASSERT_TRUE(tm->Lookup(Ctx(nullptr).get(), q, &found).ok());
  ASSERT_EQ(found.matches_size(), 1);
  EXPECT_EQ(found.matches(0).segment().changed_by(), "alice");
  v1::DeleteSegmentRequest del;
  del.set_id("edit-1");
  v1::DeleteSegmentResponse out;
  ASSERT_TRUE(tm->DeleteSegment(Ctx(kEditorToken).get(), del, &out).ok());
  q.set_min_score(50);
  ASSERT_TRUE(tm->Lookup(Ctx(nullptr).get(), q, &found).ok());
  EXPECT_EQ(found.matches_size(), 0);
  v1::ConcordanceRequest c;
  c.set_query("测试删除");
  v1::ConcordanceResponse hits;
  ASSERT_TRUE(tm->Concordance(Ctx(nullptr).get(), c, &hits).ok());
  EXPECT_EQ(hits.hits_size(), 0);
  EXPECT_EQ(tm->DeleteSegment(Ctx(kEditorToken).get(), del, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(EditingTest, ImportOverTheWireIsAtomicAndDryRunWritesNothing) {
  const std::string tmx = Export(true, v1::EXPORT_FORMAT_TMX);
  std::string changed = tmx;
  const std::string from = "Report on the Work of the Government";
  changed.replace(changed.find(from), from.size(), "Government Work Report");
  const std::string before = Snapshot();

  v1::ImportSummary summary;
  ASSERT_TRUE(Import(true, changed, /*dry_run=*/true, &summary).ok());
  EXPECT_TRUE(summary.dry_run());
  EXPECT_EQ(summary.updated(), 1);
  EXPECT_EQ(Snapshot(), before);

  // A file over the server's limit (--max-import-mib 1) is refused whole.
  std::string big = tmx;
  while (big.size() < (size_t{3} << 20)) big += tmx;
  grpc::Status st = Import(true, big, false, &summary);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(st.error_message().find("import limit"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);

  // A stream the client abandons half way imports nothing.
  st = Import(true, changed, false, &summary, kEditorToken, /*cancel_midway=*/true);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Snapshot(), before);

  // Malformed XML: line and column in the message, nothing written.
  st = Import(true, changed.substr(0, changed.size() / 2), false, &summary);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("line"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);

  ASSERT_TRUE(Import(true, changed, false, &summary).ok());
  EXPECT_EQ(summary.updated(), 1);
  EXPECT_EQ(summary.unchanged(), 433);
  EXPECT_NE(Export(true, v1::EXPORT_FORMAT_TMX).find("Government Work Report"), std::string::npos);
}

TEST_F(EditingTest, GlossaryImportRebuildsRecognition) {
  v1::ImportSummary summary;
  ASSERT_TRUE(Import(false, "协议\tagreement\tlaw\n", false, &summary).ok());
  EXPECT_EQ(summary.created(), 1);
  v1::RecognizeTermsRequest rec;
  rec.set_text("签订协议");
  v1::RecognizeTermsResponse hits;
  ASSERT_TRUE(v1::Glossary::NewStub(channel_)->RecognizeTerms(Ctx(nullptr).get(), rec, &hits).ok());
  ASSERT_EQ(hits.hits_size(), 1);
  EXPECT_EQ(hits.hits(0).entry().en(), "agreement");
}

TEST(EditingStandaloneTest, WithoutATokenFileWritesAreRefusedWithHowToEnableThem) {
  TempDir dir;
  ServerProcess server({"--data-dir", dir.Sub("data")});
  ASSERT_TRUE(server.started()) << server.output();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  v1::UpsertTermRequest r;
  r.mutable_entry()->set_id("x");
  r.mutable_entry()->set_zh("词");
  r.mutable_entry()->set_en("word");
  v1::UpsertTermResponse out;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer anything");
  grpc::Status st = v1::Glossary::NewStub(channel)->UpsertTerm(&ctx, r, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("--token-file"), std::string::npos) << st.error_message();
}

TEST(EditingStandaloneTest, CliImportsExportsAndEditsTerms) {
  TempDir dir;
  std::ofstream(dir.Sub("tokens")) << "editor " << TokenHash(kEditorToken) << " carol\n";
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", dir.Sub("tokens")});
  ASSERT_TRUE(server.started()) << server.output();
  auto cli = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {HELUO_CLIENT_BIN, "--server", server.address(), "--token", kEditorToken};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  };
  CommandResult exported = cli({"export", "--format", "tmx", "-o", dir.Sub("tm.tmx")});
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  CommandResult dry = cli({"import", dir.Sub("tm.tmx"), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.out;
  EXPECT_NE(dry.out.find("dry run (nothing written): tmx"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("unchanged " + std::to_string(BundledSegmentCount())), std::string::npos) << dry.out;
  CommandResult add = cli({"term", "add", "--id", "xieyi", "--zh", "协议", "--en", "agreement"});
  EXPECT_EQ(add.exit_code, 0) << add.out;
  EXPECT_NE(add.out.find("created xieyi"), std::string::npos) << add.out;
  CommandResult look = cli({"term", "協議"});
  EXPECT_EQ(look.exit_code, 0) << look.out;
  CommandResult tbx = cli({"export", "--format", "tbx2008"});
  EXPECT_NE(tbx.out.find("<term>协议</term>"), std::string::npos);
  CommandResult del = cli({"term", "delete", "xieyi"});
  EXPECT_EQ(del.exit_code, 0) << del.out;
  EXPECT_EQ(cli({"term", "协议"}).exit_code, 1);
  CommandResult no_token = RunCommand({HELUO_CLIENT_BIN, "--server", server.address(), "term", "delete", "sanzhong-xintai"});
  EXPECT_EQ(no_token.exit_code, 2) << no_token.out;
  EXPECT_NE(no_token.out.find("needs a token"), std::string::npos) << no_token.out;
}

}  // namespace
}  // namespace heluo
