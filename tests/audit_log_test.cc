// What an operator reads: the log is one valid JSON object per line (or, in text mode, one line per event
// whatever a client sends), every write and admin call leaves an audit line, SIGHUP's outcome is logged;
// and request checks an operator relies on: the `bearer` scheme in any case, enum values out of range.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

constexpr const char* kEditorToken = "editor-token-audit-4411";
// Quotes, a newline that would start a forged line, other control characters, a backslash.
const std::string kHostile = "x\"}\n{\"level\":\"info\",\"msg\":\"forged\"}\r\x01\x1b[31m\\";

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& authorization) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!authorization.empty()) ctx->AddMetadata("authorization", authorization);
  return ctx;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class AuditLogTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::ofstream(dir_.Sub("tokens")) << "editor " << TokenHash(kEditorToken) << " ed-the-editor\n";
    std::vector<std::string> args = {"--data-dir", dir_.Sub("data"), "--token-file", dir_.Sub("tokens"), "--log-level", "debug"};
    if (GetParam()) args.push_back("--log-json");
    server_ = std::make_unique<ServerProcess>(args);
    ASSERT_TRUE(server_->started()) << server_->output();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  // Hostile text in ids and collection names, through writes (audit lines) and failing reads (warnings).
  void SendHostileCalls() {
    auto glossary = v1::Glossary::NewStub(channel_);
    auto tm = v1::TranslationMemory::NewStub(channel_);
    v1::UpsertTermRequest term;
    term.mutable_entry()->set_id("audit-term");
    term.mutable_entry()->set_collection("audit");
    term.mutable_entry()->set_zh("审计");
    term.mutable_entry()->set_en("audit \"quoted\" \\ back");
    term.mutable_entry()->set_note("note \"}\n{\"forged\": 1}");  // Stored text may hold quotes and newlines.
    v1::UpsertTermResponse term_out;
    grpc::Status st = glossary->UpsertTerm(Ctx(std::string("Bearer ") + kEditorToken).get(), term, &term_out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::GetTermRequest get;
    get.set_id("missing" + kHostile);
    v1::GetTermResponse get_out;
    EXPECT_FALSE(glossary->GetTerm(Ctx("").get(), get, &get_out).ok());
    v1::UpsertTermRequest bad = term;
    bad.mutable_entry()->set_collection("coll" + kHostile);
    EXPECT_FALSE(glossary->UpsertTerm(Ctx(std::string("Bearer ") + kEditorToken).get(), bad, &term_out).ok());
    v1::DeleteSegmentRequest del;
    del.set_id("seg" + kHostile);
    v1::DeleteSegmentResponse del_out;
    EXPECT_FALSE(tm->DeleteSegment(Ctx(std::string("Bearer ") + kEditorToken).get(), del, &del_out).ok());
    EXPECT_FALSE(tm->DeleteSegment(Ctx("Bearer wrong-token-zz").get(), del, &del_out).ok());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_P(AuditLogTest, HostileTextNeverBreaksOrForgesALogLineAndWritesAreAudited) {
  SendHostileCalls();
  std::ofstream(dir_.Sub("tokens")) << "editor nothex\n";  // SIGHUP with a broken file: logged, old tokens stay.
  ASSERT_EQ(kill(server_->pid(), SIGHUP), 0);
  for (int i = 0; i < 100 && server_->output().find("NOT reloaded") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    server_->Poll();
  }
  channel_.reset();
  server_->Stop();
  int audits = 0, forged = 0;
  bool sighup = false;
  for (const std::string& line : Lines(server_->output())) {
    if (line.rfind("heluo-server listening on", 0) == 0) continue;  // The start-up line, on stdout.
    if (GetParam()) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      ASSERT_TRUE(j.is_object()) << "not one JSON object: " << line;
      ASSERT_TRUE(j.contains("time") && j.contains("level") && j.contains("msg")) << line;
      if (j["msg"] == "forged") ++forged;
      if (j["msg"] == "audit") {
        ++audits;
        EXPECT_TRUE(j.contains("method") && j.contains("who") && j.contains("peer") && j.contains("code")) << line;
        if (j["method"] == "heluo.v1.Glossary/UpsertTerm" && j["code"] == "OK") {
          EXPECT_EQ(j["who"], "ed-the-editor");
          EXPECT_EQ(j["created"], 1);
          EXPECT_EQ(j["id"], "audit-term");
          EXPECT_NE(j["peer"].get<std::string>().find("127.0.0.1"), std::string::npos);
        }
        if (j["method"] == "heluo.v1.TranslationMemory/DeleteSegment" && j["who"] == "ed-the-editor") {
          EXPECT_EQ(j["id"], "seg" + kHostile);  // The client's text survives, escaped.
          EXPECT_NE(j["code"], "OK");
        }
        if (j["method"] == "heluo.v1.TranslationMemory/DeleteSegment" && j["who"] != "ed-the-editor") {
          EXPECT_EQ(j["code"], "UNAUTHENTICATED");
        }
      }
      if (j["msg"].get<std::string>().find("SIGHUP") != std::string::npos) sighup = true;
    } else {
      // Text mode: every line starts with a time stamp; nothing a client sent starts a line of its own.
      ASSERT_TRUE(line.size() > 24 && line[4] == '-' && line[10] == 'T') << "a line not made by the logger: " << line;
      for (unsigned char c : line) ASSERT_FALSE(c < 0x20 || c == 0x7f) << "a control character in: " << line;
      if (line.find(" audit ") != std::string::npos) ++audits;
      if (line.find("SIGHUP") != std::string::npos) sighup = true;
    }
  }
  EXPECT_EQ(forged, 0);
  // UpsertTerm (OK, then INVALID_ARGUMENT) and DeleteSegment (refused with the editor's token, then UNAUTHENTICATED).
  EXPECT_EQ(audits, 4) << server_->output();
  EXPECT_TRUE(sighup) << server_->output();
  EXPECT_EQ(server_->output().find(kEditorToken), std::string::npos) << "a token reached the log";
  EXPECT_EQ(server_->output().find("wrong-token-zz"), std::string::npos) << "a token reached the log";
}

INSTANTIATE_TEST_SUITE_P(JsonAndText, AuditLogTest, ::testing::Bool());

TEST(RequestChecksTest, BearerSchemeIsCaseInsensitiveAndEnumsOutOfRangeAreRefused) {
  TempDir dir;
  std::ofstream(dir.Sub("tokens")) << "editor " << TokenHash(kEditorToken) << " ed\n";
  ServerProcess server({"--data-dir", dir.Sub("data"), "--token-file", dir.Sub("tokens")});
  ASSERT_TRUE(server.started()) << server.output();
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto tm = v1::TranslationMemory::NewStub(channel);
  auto glossary = v1::Glossary::NewStub(channel);
  int n = 0;
  for (const char* scheme : {"bearer ", "BEARER ", "Bearer "}) {
    v1::UpsertSegmentsRequest r;
    v1::Segment* s = r.add_segments();
    s->set_id("case-" + std::to_string(n++));
    s->set_collection("case");
    s->set_source("大小写无关。");
    s->set_target("Case does not matter.");
    v1::UpsertSegmentsResponse out;
    grpc::Status st = tm->UpsertSegments(Ctx(std::string(scheme) + kEditorToken).get(), r, &out);
    EXPECT_TRUE(st.ok()) << scheme << ": " << st.error_message();
  }
  {
    v1::ConcordanceRequest r;
    r.set_query("大小写");
    r.set_side(static_cast<v1::Side>(99));
    v1::ConcordanceResponse out;
    grpc::Status st = tm->Concordance(Ctx("").get(), r, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("side has no value 99"), std::string::npos) << st.error_message();
  }
  {
    v1::ExportRequest r;
    r.set_format(static_cast<v1::ExportFormat>(99));
    auto ctx = Ctx("");
    auto reader = tm->Export(ctx.get(), r);
    v1::ExportChunk chunk;
    EXPECT_FALSE(reader->Read(&chunk));
    grpc::Status st = reader->Finish();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("format has no value 99"), std::string::npos) << st.error_message();
  }
  {
    v1::UpsertTermRequest r;
    r.mutable_entry()->set_id("status-99");
    r.mutable_entry()->set_zh("状态");
    r.mutable_entry()->set_en("status");
    r.mutable_entry()->set_rendering_status(static_cast<v1::RenderingStatus>(99));
    v1::UpsertTermResponse out;
    grpc::Status st = glossary->UpsertTerm(Ctx(std::string("Bearer ") + kEditorToken).get(), r, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("entry.rendering_status has no value 99"), std::string::npos) << st.error_message();
    v1::GetTermRequest get;
    get.set_id("status-99");
    v1::GetTermResponse got;
    EXPECT_EQ(glossary->GetTerm(Ctx("").get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);  // Not stored.
  }
}

}  // namespace
}  // namespace heluo
