// The heluo CLI in the hardened setups the docs describe, and edits that never silently destroy data: a
// real server on a loopback port, the real heluo binary, real TLS certificates from openssl.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/bundle_counts.h"
#include "tests/server_process.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

constexpr const char* kEditorToken = "editor-token-31a8";
constexpr const char* kReaderToken = "reader-token-c07e";

std::unique_ptr<grpc::ClientContext> Ctx(const char* token) { return BearerContext(token, std::chrono::seconds(20)); }

// A server with editor and reader tokens whose reads need a token too.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.Sub("tokens"))
        << "editor " << TokenHash(kEditorToken) << " erin\nreader " << TokenHash(kReaderToken) << " rui\n";
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--data-dir", dir_.Sub("data"), "--token-file", dir_.Sub("tokens"), "--require-token-for-reads"});
    ASSERT_TRUE(server_->started()) << server_->output();
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  CommandResult Cli(std::vector<std::string> args, const char* token = kEditorToken) {
    std::vector<std::string> argv = {HELUO_CLIENT_BIN, "--server", server_->address()};
    if (token != nullptr) argv.insert(argv.end(), {"--token", token});
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  v1::TermEntry GetTerm(const std::string& id) {
    v1::GetTermRequest r;
    r.set_id(id);
    v1::GetTermResponse out;
    EXPECT_TRUE(v1::Glossary::NewStub(channel_)->GetTerm(Ctx(kReaderToken).get(), r, &out).ok());
    return out.entry();
  }

  v1::Segment GetSegment(const std::string& id) {
    v1::GetSegmentRequest r;
    r.set_id(id);
    v1::GetSegmentResponse out;
    EXPECT_TRUE(v1::TranslationMemory::NewStub(channel_)->GetSegment(Ctx(kReaderToken).get(), r, &out).ok());
    return out.segment();
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_.Sub(name), std::ios::binary) << content;
    return dir_.Sub(name);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(CliTest, ReadsCarryTheTokenWhenTheServerRequiresOne) {
  for (const std::vector<std::string>& read :
       std::vector<std::vector<std::string>>{{"term", "三种心态"},
                                             {"tm", "各位代表："},
                                             {"recognize", "克服三种心态"},
                                             {"suggest", "三种"},
                                             {"concordance", "各位代表"},
                                             {"stats"},
                                             {"export", "--format", "tsv"}}) {
    CommandResult r = Cli(read, kReaderToken);
    EXPECT_EQ(r.exit_code, 0) << read[0] << ": " << r.out;
  }
  CommandResult pre = Cli({"pretranslate", Write("doc.txt", "各位代表：\n")}, kReaderToken);
  EXPECT_EQ(pre.exit_code, 0) << pre.out;
  CommandResult without = Cli({"term", "三种心态"}, nullptr);
  EXPECT_EQ(without.exit_code, 2) << without.out;
}

TEST_F(CliTest, JsonGoesBeforeOrAfterTheCommandAndUnknownCommandsAreNamed) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--json", "term", "三种心态"}, {"term", "三种心态", "--json"}, {"term", "--json", "三种心态"}}) {
    CommandResult r = Cli(args, kReaderToken);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    nlohmann::json parsed = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << r.out;
    EXPECT_EQ(parsed["entries"][0]["id"], "sanzhong-xintai") << r.out;
  }
  CommandResult typo = Cli({"trem", "三种心态"}, kReaderToken);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.out.find("unknown command 'trem'; did you mean 'term'?"), std::string::npos) << typo.out;
  CommandResult far = Cli({"frobnicate"}, kReaderToken);
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.out.find("unknown command 'frobnicate'; the commands are term,"), std::string::npos)
      << far.out;
}

TEST_F(CliTest, PretranslateNumbersRowsByFileLineStripsTheBomAndReportsBadLines) {
  // Line 1 starts with a UTF-8 BOM (as Notepad writes), line 2 is blank, line 3 is not UTF-8.
  const std::string doc = Write("doc.txt",
                                "\xEF\xBB\xBF各位代表：\n\n坏\xFF行\n现在，我代表区人民政府，向大会报告工作，"
                                "请予审议，并请各位政协委员和列席人士提出意见。\n");
  CommandResult table = Cli({"pretranslate", doc}, kReaderToken);
  EXPECT_EQ(table.exit_code, 2) << table.out;  // Something failed: line 3.
  EXPECT_NE(table.out.find("line\tscore\tkind\ttarget\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\n1\t100\texact\tFellow Deputies,\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\n4\t"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("doc.txt:3: not valid UTF-8"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("\n3\t"), std::string::npos) << table.out;

  CommandResult json = Cli({"pretranslate", doc, "--json"}, kReaderToken);
  EXPECT_EQ(json.exit_code, 2) << json.out;
  std::map<long, nlohmann::json> rows;
  std::istringstream lines(json.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    nlohmann::json row = nlohmann::json::parse(line);
    rows[row["line"].get<long>()] = row;
  }
  ASSERT_EQ(rows.size(), 3u) << json.out;
  EXPECT_EQ(rows[1]["score"], 100);
  EXPECT_EQ(rows[1]["kind"], "exact");
  EXPECT_EQ(rows[1]["segment_id"], "yanshi-2021-0004");
  EXPECT_EQ(rows[3]["error"], "not valid UTF-8");
  EXPECT_EQ(rows[4]["segment_id"], "yanshi-2021-0005");
}

TEST_F(CliTest, TermAddChangesOnlyTheFieldsGivenAndReplacingIsExplicit) {
  const v1::TermEntry before = GetTerm("xi-jinping-sixiang");
  ASSERT_FALSE(before.definition_en().empty());
  ASSERT_EQ(before.rendering_status(), v1::RENDERING_STATUS_ESTABLISHED);
  CommandResult note =
      Cli({"term", "add", "--id", "xi-jinping-sixiang", "--note", "Checked against Xinhua."});
  ASSERT_EQ(note.exit_code, 0) << note.out;
  EXPECT_NE(note.out.find("updated xi-jinping-sixiang"), std::string::npos) << note.out;
  v1::TermEntry after = GetTerm("xi-jinping-sixiang");
  EXPECT_EQ(after.note(), "Checked against Xinhua.");
  v1::TermEntry expected = before;
  expected.set_note("Checked against Xinhua.");
  expected.set_changed_by("erin");
  expected.set_changed_at(after.changed_at());
  EXPECT_EQ(after.SerializeAsString(), expected.SerializeAsString()) << after.DebugString();

  // A new entry still needs both languages; nothing is created half.
  CommandResult half = Cli({"term", "add", "--id", "new-term", "--en", "new term"});
  EXPECT_EQ(half.exit_code, 2) << half.out;
  EXPECT_NE(half.out.find("needs both a Chinese headword and an English rendering"), std::string::npos)
      << half.out;

  CommandResult replaced =
      Cli({"term", "add", "--id", "xi-jinping-sixiang", "--zh", "习近平新时代中国特色社会主义思想", "--en",
           "Xi Jinping Thought", "--replace"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out;
  after = GetTerm("xi-jinping-sixiang");
  EXPECT_EQ(after.en(), "Xi Jinping Thought");
  EXPECT_TRUE(after.definition_en().empty());
  EXPECT_TRUE(after.zh_variants().empty());
  EXPECT_EQ(after.collection(), "default");
  EXPECT_EQ(after.created_by(), before.created_by());
}

TEST_F(CliTest, TermAddSetsAndClearsStatusesAndLookupShowsThem) {
  CommandResult set = Cli({"term", "add", "--id", "liuwen", "--forbidden", "six steadies", "--forbidden",
                           "six stables", "--case-sensitive", "--do-not-translate"});
  ASSERT_EQ(set.exit_code, 0) << set.out;
  v1::TermEntry e = GetTerm("liuwen");
  EXPECT_EQ(std::vector<std::string>(e.en_forbidden().begin(), e.en_forbidden().end()),
            (std::vector<std::string>{"six steadies", "six stables"}));
  EXPECT_TRUE(e.case_sensitive());
  EXPECT_TRUE(e.do_not_translate());
  // The bundle's deprecated forms, untouched (the test does not hard-code how many the bundle has).
  EXPECT_NE(std::find(e.en_deprecated().begin(), e.en_deprecated().end(), "six stabilities"),
            e.en_deprecated().end());
  CommandResult shown = Cli({"term", "six stabilities"});
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_NE(shown.out.find("deprecated (do not use): six stabilities"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("forbidden (do not use): six steadies; six stables"), std::string::npos)
      << shown.out;
  CommandResult cleared =
      Cli({"term", "add", "--id", "liuwen", "--no-case-sensitive", "--no-do-not-translate"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.out;
  e = GetTerm("liuwen");
  EXPECT_FALSE(e.case_sensitive());
  EXPECT_FALSE(e.do_not_translate());
  EXPECT_EQ(e.en_forbidden_size(), 2);
  // A rendering in two statuses is refused and nothing changes.
  CommandResult both = Cli({"term", "add", "--id", "liuwen", "--deprecated", "Stability on Six Fronts"});
  EXPECT_EQ(both.exit_code, 2) << both.out;
  EXPECT_NE(both.out.find("is in both en and en_deprecated"), std::string::npos) << both.out;
  EXPECT_EQ(GetTerm("liuwen").SerializeAsString(), e.SerializeAsString());
}

TEST_F(CliTest, UpdateMasksFollowAip134ForTermsAndSegments) {
  auto glossary = v1::Glossary::NewStub(channel_);
  const v1::TermEntry before = GetTerm("xi-jinping-sixiang");
  v1::UpsertTermRequest r;
  v1::UpsertTermResponse out;
  // No mask: only the populated fields change (a status left UNSPECIFIED keeps ESTABLISHED).
  r.mutable_entry()->set_id("xi-jinping-sixiang");
  r.mutable_entry()->add_en_variants("Xi Jinping Thought");
  ASSERT_TRUE(glossary->UpsertTerm(Ctx(kEditorToken).get(), r, &out).ok());
  EXPECT_FALSE(out.created());
  EXPECT_EQ(out.entry().en_variants_size(), 1);
  EXPECT_EQ(out.entry().definition_zh(), before.definition_zh());
  EXPECT_EQ(out.entry().rendering_status(), v1::RENDERING_STATUS_ESTABLISHED);
  EXPECT_EQ(out.entry().source().outlet(), before.source().outlet());
  // A named field set empty is cleared; the rest stays.
  r.mutable_entry()->clear_en_variants();
  r.mutable_update_mask()->add_paths("en_variants");
  r.mutable_update_mask()->add_paths("note");
  r.mutable_entry()->set_note("");
  ASSERT_TRUE(glossary->UpsertTerm(Ctx(kEditorToken).get(), r, &out).ok());
  EXPECT_EQ(out.entry().en_variants_size(), 0);
  EXPECT_TRUE(out.entry().note().empty());
  EXPECT_EQ(out.entry().definition_en(), before.definition_en());
  // Bad masks are refused and change nothing.
  const v1::TermEntry kept = GetTerm("xi-jinping-sixiang");
  for (const std::vector<std::string>& paths :
       std::vector<std::vector<std::string>>{{"id"}, {"created_by"}, {"colour"}, {"*", "zh"}}) {
    v1::UpsertTermRequest bad;
    bad.mutable_entry()->set_id("xi-jinping-sixiang");
    bad.mutable_entry()->set_zh("改");
    for (const std::string& p : paths) bad.mutable_update_mask()->add_paths(p);
    grpc::Status st = glossary->UpsertTerm(Ctx(kEditorToken).get(), bad, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << paths[0];
    EXPECT_NE(st.error_message().find("update_mask"), std::string::npos) << st.error_message();
  }
  EXPECT_EQ(GetTerm("xi-jinping-sixiang").SerializeAsString(), kept.SerializeAsString());

  auto tm = v1::TranslationMemory::NewStub(channel_);
  const v1::Segment seg = GetSegment("yanshi-2021-0006");
  ASSERT_FALSE(seg.section().empty());
  v1::UpsertSegmentsRequest up;
  v1::UpsertSegmentsResponse done;
  v1::Segment* s = up.add_segments();
  s->set_id("yanshi-2021-0006");
  s->set_target("I. Review of 2020 and the 13th Five-Year Plan");
  up.mutable_update_mask()->add_paths("target");
  ASSERT_TRUE(tm->UpsertSegments(Ctx(kEditorToken).get(), up, &done).ok());
  EXPECT_EQ(done.updated(), 1);
  v1::Segment now = GetSegment("yanshi-2021-0006");
  EXPECT_EQ(now.target(), "I. Review of 2020 and the 13th Five-Year Plan");
  EXPECT_EQ(now.source(), seg.source());
  EXPECT_EQ(now.collection(), seg.collection());
  EXPECT_EQ(now.section(), seg.section());
  EXPECT_EQ(now.position(), seg.position());
  EXPECT_EQ(now.previous_id(), seg.previous_id());
  // "*" replaces the pair whole: its place in the document is cleared.
  s->set_source(seg.source());
  s->set_collection("edits");
  up.mutable_update_mask()->Clear();
  up.mutable_update_mask()->add_paths("*");
  ASSERT_TRUE(tm->UpsertSegments(Ctx(kEditorToken).get(), up, &done).ok());
  now = GetSegment("yanshi-2021-0006");
  EXPECT_EQ(now.collection(), "edits");
  EXPECT_TRUE(now.section().empty());
  EXPECT_EQ(now.position(), 0);
}

TEST_F(CliTest, ImportRecognisesOrIsToldAboutHeaderRows) {
  const std::string tsv = Write("g.tsv", "中文\tEnglish\n合作协议\tcooperation agreement\n");
  CommandResult r = Cli({"import", tsv});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("created 1,"), std::string::npos) << r.out;
  EXPECT_EQ(Cli({"term", "中文"}, kReaderToken).exit_code, 1);
  CommandResult absent = Cli({"import", tsv, "--header", "absent", "--dry-run"});
  ASSERT_EQ(absent.exit_code, 0) << absent.out;
  EXPECT_NE(absent.out.find("created 1, updated 0, unchanged 1"), std::string::npos) << absent.out;
  CommandResult wide = Cli({"import", Write("w.tsv", "合作协议\tcooperation agreement\tnote\textra\n")});
  EXPECT_EQ(wide.exit_code, 2) << wide.out;
  EXPECT_NE(wide.out.find("line 1: the row has 4 columns"), std::string::npos) << wide.out;
}

// Mutual TLS: the server demands a client certificate signed by a CA it trusts; --tls-cert/--tls-key give
// one.
TEST(CliTlsTest, ClientCertificateForMutualTls) {
  TempDir dir;
  auto openssl = [](std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    CommandResult r = RunCommand(args);
    EXPECT_EQ(r.exit_code, 0) << r.out;
  };
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.Sub("server.key"), "-out",
           dir.Sub("server.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext",
           "subjectAltName=DNS:localhost,IP:127.0.0.1"});
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.Sub("client.key"), "-out",
           dir.Sub("client.pem"), "-days", "1", "-subj", "/CN=heluo-cli"});
  ServerProcess server({"--data-dir", dir.Sub("data"), "--tls-cert", dir.Sub("server.pem"), "--tls-key",
                        dir.Sub("server.key"), "--tls-client-ca", dir.Sub("client.pem")});
  ASSERT_TRUE(server.started()) << server.output();
  const std::vector<std::string> base = {
      HELUO_CLIENT_BIN,    "--server",  server.address(), "--tls-ca", dir.Sub("server.pem"),
      "--tls-server-name", "localhost", "--timeout-ms",   "5000"};
  auto cli = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv);
  };
  CommandResult ok = cli({"--tls-cert", dir.Sub("client.pem"), "--tls-key", dir.Sub("client.key"), "stats"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("segments: " + std::to_string(BundledSegmentCount())), std::string::npos) << ok.out;
  CommandResult refused = cli({"stats"});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  CommandResult half = cli({"--tls-cert", dir.Sub("client.pem"), "stats"});
  EXPECT_EQ(half.exit_code, 2) << half.out;
  EXPECT_NE(half.out.find("--tls-cert and --tls-key go together"), std::string::npos) << half.out;
}

}  // namespace
}  // namespace heluo
