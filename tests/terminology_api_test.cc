// Glossary.CheckTerminology through the real server (bundled content, real LMDB, loopback gRPC), and the
// `heluo check` command.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "heluo/v1/glossary.grpc.pb.h"
#include "tests/shared_server_test.h"

namespace heluo {
namespace {

constexpr const char* kEditorToken = "editor-token-check-41d";

class TerminologyApiTest : public SharedServerTest<TerminologyApiTest> {
 protected:
  static void SetUpTestSuite() { StartServer({}, {{"editor", kEditorToken, "checker-test"}}); }

  static grpc::Status Check(const std::string& source, const std::string& target, v1::CheckTerminologyResponse* out,
                            std::vector<std::string> collections = {}) {
    auto stub = v1::Glossary::NewStub(channel_);
    v1::CheckTerminologyRequest request;
    request.set_source(source);
    request.set_target(target);
    for (const std::string& c : collections) request.add_collections(c);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub->CheckTerminology(&ctx, request, out);
  }
};

TEST_F(TerminologyApiTest, ReportsAMissingRenderingWithSpansInBothUnits) {
  v1::CheckTerminologyResponse r;
  ASSERT_TRUE(Check("扎实做好“六稳”工作", "We worked hard to keep things steady.", &r, {"yanshi-2021"}).ok());
  ASSERT_EQ(r.issues_size(), 1);
  const v1::TermIssue& i = r.issues(0);
  EXPECT_EQ(i.kind(), v1::TERM_ISSUE_KIND_MISSING_RENDERING);
  EXPECT_EQ(i.severity(), v1::TERM_ISSUE_SEVERITY_ERROR);
  EXPECT_EQ(i.term_id(), "liuwen");
  EXPECT_EQ(i.expected(0), "stability on six fronts");
  EXPECT_EQ(i.source_text(), "“六稳”工作");  // The longest form the entry has.
  EXPECT_EQ(i.source_span().code_point_begin(), 4);
  EXPECT_EQ(i.source_span().utf16_end(), 10);
  EXPECT_FALSE(i.has_target_span());

  ASSERT_TRUE(Check("扎实做好“六稳”工作", "We ensured stability on six fronts.", &r).ok());
  EXPECT_EQ(r.issues_size(), 0);
}

TEST_F(TerminologyApiTest, FiguresAndUntranslatedTextThroughTheServer) {
  v1::CheckTerminologyResponse r;
  ASSERT_TRUE(Check("收入178亿元", "revenue of 1.78 billion 元", &r).ok());
  ASSERT_EQ(r.issues_size(), 2);
  EXPECT_EQ(r.issues(0).kind(), v1::TERM_ISSUE_KIND_UNTRANSLATED);
  EXPECT_EQ(r.issues(0).found(), "元");
  EXPECT_EQ(r.issues(1).kind(), v1::TERM_ISSUE_KIND_FIGURE_MISMATCH);
  EXPECT_EQ(r.issues(1).found(), "1.78 billion");
}

TEST_F(TerminologyApiTest, BadInputGetsClearErrors) {
  v1::CheckTerminologyResponse r;
  grpc::Status st = Check(std::string("六稳\xff", 7), "x", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  st = Check("六稳", "", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("target is empty"), std::string::npos) << st.error_message();
  st = Check("六稳", std::string(6000, 'a'), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("longer than 5000"), std::string::npos) << st.error_message();
  st = Check("六稳", "stability on six fronts", &r, {"no-such-collection"});
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(st.error_message().find("no-such-collection"), std::string::npos) << st.error_message();
}

TEST_F(TerminologyApiTest, ATermAddedThroughTheApiIsCheckedAtOnce) {
  auto stub = v1::Glossary::NewStub(channel_);
  v1::UpsertTermRequest up;
  up.mutable_entry()->set_id("check-test-term");
  up.mutable_entry()->set_collection("check-test");
  up.mutable_entry()->set_zh("河洛测试词");
  up.mutable_entry()->set_en("Heluo test term");
  v1::UpsertTermResponse upr;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", std::string("Bearer ") + kEditorToken);
  ASSERT_TRUE(stub->UpsertTerm(&ctx, up, &upr).ok());
  v1::CheckTerminologyResponse r;
  ASSERT_TRUE(Check("这是河洛测试词", "This is something else.", &r, {"check-test"}).ok());
  ASSERT_EQ(r.issues_size(), 1);
  EXPECT_EQ(r.issues(0).term_id(), "check-test-term");
  ASSERT_TRUE(Check("这是河洛测试词", "These are Heluo test terms.", &r, {"check-test"}).ok());
  EXPECT_EQ(r.issues_size(), 0);
}

TEST_F(TerminologyApiTest, CheckCommandUnderlinesAndExitsOneOnIssues) {
  CommandResult bad = Cli({"check", "扎实做好“六稳”工作", "We kept things steady."});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("MISSING_RENDERING [liuwen]"), std::string::npos) << bad.out;
  // “六稳”工作 starts after 扎实做好 (four wide characters: eight columns) and takes ten columns.
  EXPECT_NE(bad.out.find("\n" + std::string(4 + 8 + 8, ' ') + std::string(10, '^') + "\n"), std::string::npos) << bad.out;
  CommandResult good = Cli({"check", "扎实做好“六稳”工作", "We ensured stability on six fronts."});
  EXPECT_EQ(good.exit_code, 0) << good.out;
  CommandResult json = Cli({"--json", "check", "扎实做好“六稳”工作", "We kept things steady."});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(json.out)["issues"][0]["kind"], "TERM_ISSUE_KIND_MISSING_RENDERING") << json.out;
  CommandResult unknown = Cli({"check", "六稳", "x", "--glossary", "no-such"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
}

TEST_F(TerminologyApiTest, AuditCommandPassesTheBundledTmAndWritesATsvReport) {
  const std::string report = dir_->Sub("audit.tsv");
  CommandResult r = Cli({"audit", "--collection", "yanshi-2021", "--glossary", "yanshi-2021", "--skip-counts", "--tsv", report});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("audited "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(": 0 issues"), std::string::npos) << r.out;
  std::ifstream in(report);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("segment_id\tkind\t", 0), 0u) << header;
  CommandResult none = Cli({"audit", "--collection", "no-such"});
  EXPECT_EQ(none.exit_code, 2) << none.out;
}

}  // namespace
}  // namespace heluo
