// Glossary.CheckTerminologyStream and Glossary.AuditTranslations through the real server (bundled content,
// real LMDB, loopback gRPC), and `heluo audit` on top of them: answers in order and equal to the unary check,
// a bad item ending only its stream (and a client waiting on each answer told which), the bundled TM passing
// its audit, uploaded TMX files audited without a byte written to the store, and every kind of bad input
// refused clearly. (A client that writes and never reads: streams_test.cc, on a server of its own.)
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "tests/shared_server_test.h"
#include "tests/utf8_prefix.h"

namespace heluo {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;
using AuditStream = grpc::ClientReaderWriter<v1::AuditTranslationsRequest, v1::AuditTranslationsResponse>;

class TerminologyAuditTest : public SharedServerTest<TerminologyAuditTest> {
 protected:
  static void SetUpTestSuite() {
    // A 1 MiB upload limit, so that the audit's share of it is cheap to test.
    StartServer({"--max-import-mib", "1"});
    if (server_ == nullptr || !server_->started()) return;
    ASSERT_NO_FATAL_FAILURE(AllSegments(pairs_));
    ASSERT_GE(pairs_->size(), 50u);
  }

  static v1::CheckTerminologyRequest Request(const v1::Segment& s, bool cut) {
    v1::CheckTerminologyRequest r;
    r.set_source(s.source());
    r.set_target(cut ? std::string(Utf8Prefix(s.target(), 12)) : s.target());
    return r;
  }

  static int64_t Segments() {
    v1::StatsResponse stats;
    grpc::ClientContext ctx;
    EXPECT_TRUE(v1::Admin::NewStub(channel_)->Stats(&ctx, v1::StatsRequest(), &stats).ok());
    return stats.segments();
  }

  struct Audited {
    grpc::Status status;
    std::vector<v1::AuditedPair> pairs;
    std::optional<v1::AuditSummary> summary;
  };

  // Sends `first`, then `file` in pieces of `piece` bytes (the first piece in `first` itself).
  static Audited Audit(v1::AuditTranslationsRequest first, const std::string& file = "", size_t piece = 1000) {
    auto stub = v1::Glossary::NewStub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(60));
    std::unique_ptr<AuditStream> stream = stub->AuditTranslations(&ctx);
    bool ok = true;
    if (file.empty()) {
      ok = stream->Write(first);
    } else {
      for (size_t at = 0; at < file.size() && ok; at += piece) {
        v1::AuditTranslationsRequest r = at == 0 ? first : v1::AuditTranslationsRequest();
        r.set_data(file.substr(at, piece));
        ok = stream->Write(r);
      }
    }
    if (ok) stream->WritesDone();
    Audited out;
    v1::AuditTranslationsResponse response;
    while (stream->Read(&response)) {
      EXPECT_FALSE(out.summary.has_value()) << "the summary is the last message";
      if (response.has_summary()) {
        out.summary = response.summary();
      } else {
        out.pairs.push_back(response.pair());
      }
    }
    out.status = stream->Finish();
    return out;
  }

  static std::string Tmx(const std::vector<std::string>& units) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"
        "<header creationtool=\"t\" creationtoolversion=\"1\" srclang=\"zh-CN\" datatype=\"plaintext\" segtype=\"sentence\" "
        "adminlang=\"en\" o-tmf=\"t\"/>\n<body>\n";
    for (const std::string& u : units) out += u + "\n";
    return out + "</body>\n</tmx>\n";
  }
  static std::string Tu(const std::string& id, const std::string& zh, const std::string& en) {
    return "<tu tuid=\"" + id + "\"><prop type=\"x-collection\">uploaded-audit</prop><tuv xml:lang=\"zh-CN\"><seg>" +
           zh + "</seg></tuv><tuv xml:lang=\"en-US\"><seg>" + en + "</seg></tuv></tu>";
  }

  static inline std::vector<v1::Segment>* pairs_ = new std::vector<v1::Segment>();
};

TEST_F(TerminologyAuditTest, CheckTerminologyStreamAnswersInOrderAsTheUnaryCallDoes) {
  auto stub = v1::Glossary::NewStub(channel_);
  std::vector<v1::CheckTerminologyRequest> requests;
  for (size_t i = 0; i < pairs_->size() * 2; ++i) requests.push_back(Request((*pairs_)[i % pairs_->size()], i % 4 == 1));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + seconds(60));
  auto stream = stub->CheckTerminologyStream(&ctx);
  std::thread writer([&] {
    for (const auto& r : requests) {
      if (!stream->Write(r)) break;
    }
    stream->WritesDone();
  });
  std::vector<v1::CheckTerminologyResponse> answers;
  v1::CheckTerminologyResponse response;
  while (stream->Read(&response)) answers.push_back(response);
  writer.join();
  grpc::Status st = stream->Finish();
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(answers.size(), requests.size());
  size_t with_issues = 0;
  for (size_t i = 0; i < requests.size(); i += 7) {  // Every 7th against its own unary call.
    v1::CheckTerminologyResponse alone;
    grpc::ClientContext c;
    ASSERT_TRUE(stub->CheckTerminology(&c, requests[i], &alone).ok());
    EXPECT_EQ(answers[i].SerializeAsString(), alone.SerializeAsString()) << "answer " << i;
  }
  for (const auto& a : answers) with_issues += a.issues_size() > 0;
  EXPECT_GT(with_issues, requests.size() / 8) << "the cut targets have issues";
}

TEST_F(TerminologyAuditTest, ABadItemEndsItsStreamWithInvalidArgumentAndNothingElse) {
  auto stub = v1::Glossary::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + seconds(30));
  auto stream = stub->CheckTerminologyStream(&ctx);
  for (int i = 0; i < 12; ++i) {
    v1::CheckTerminologyRequest r = Request((*pairs_)[static_cast<size_t>(i)], false);
    if (i == 5) r.set_target("   ");  // Blank: nothing to check.
    if (!stream->Write(r)) break;  // The server may have ended the stream already.
  }
  stream->WritesDone();
  int answered = 0;
  v1::CheckTerminologyResponse response;
  while (stream->Read(&response)) ++answered;
  grpc::Status st = stream->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_NE(st.error_message().find("request 5 of the stream"), std::string::npos) << st.error_message();
  EXPECT_NE(st.error_message().find("target is empty"), std::string::npos) << st.error_message();
  EXPECT_EQ(answered, 5);
  // The server goes on: another stream and a unary check are answered.
  grpc::ClientContext c2;
  auto again = stub->CheckTerminologyStream(&c2);
  ASSERT_TRUE(again->Write(Request((*pairs_)[0], true)));
  again->WritesDone();
  EXPECT_TRUE(again->Read(&response));
  EXPECT_TRUE(again->Finish().ok());
  v1::CheckTerminologyResponse unary;
  grpc::ClientContext c3;
  EXPECT_TRUE(stub->CheckTerminology(&c3, Request((*pairs_)[1], false), &unary).ok());
}

// A client that waits for each answer before sending the next request, and never half-closes: after its bad
// request the server's reader is still waiting on it, so the call is ended after the reader grace — with the
// failed request's status, so that the client learns which request failed and why (not a bare CANCELLED).
TEST_F(TerminologyAuditTest, AClientWaitingForEachAnswerIsToldWhichRequestFailed) {
  auto stub = v1::Glossary::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + seconds(20));
  auto stream = stub->CheckTerminologyStream(&ctx);
  v1::CheckTerminologyResponse response;
  ASSERT_TRUE(stream->Write(Request((*pairs_)[0], false)));
  ASSERT_TRUE(stream->Read(&response));
  v1::CheckTerminologyRequest blank = Request((*pairs_)[1], false);
  blank.set_target(" ");
  ASSERT_TRUE(stream->Write(blank));
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status st = stream->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << st.error_code() << " " << st.error_message();
  EXPECT_NE(st.error_message().find("request 1 of the stream"), std::string::npos) << st.error_message();
  EXPECT_NE(st.error_message().find("target is empty"), std::string::npos) << st.error_message();
}

TEST_F(TerminologyAuditTest, StreamsAreCountedInTheMethodMetrics) {
  auto stub = v1::Glossary::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    auto stream = stub->CheckTerminologyStream(&ctx);
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
  v1::AuditTranslationsRequest first;
  first.set_tm_collection("yanshi-2021");
  ASSERT_TRUE(Audit(first).status.ok());
  v1::StatsResponse stats;
  grpc::ClientContext ctx;
  ASSERT_TRUE(v1::Admin::NewStub(channel_)->Stats(&ctx, v1::StatsRequest(), &stats).ok());
  std::set<std::string> methods;
  for (const auto& m : stats.methods()) methods.insert(m.method());
  EXPECT_TRUE(methods.count("/heluo.v1.Glossary/CheckTerminologyStream")) << stats.DebugString();
  EXPECT_TRUE(methods.count("/heluo.v1.Glossary/AuditTranslations")) << stats.DebugString();
}

TEST_F(TerminologyAuditTest, TheBundledTmPassesItsAuditThroughTheRpc) {
  v1::AuditTranslationsRequest first;
  first.set_tm_collection("yanshi-2021");
  first.add_glossary_collections("yanshi-2021");
  Audited all = Audit(first);  // Every check on: COUNT_MISMATCH warnings only (a shortened repeated term).
  ASSERT_TRUE(all.status.ok()) << all.status.error_message();
  ASSERT_TRUE(all.summary.has_value());
  EXPECT_EQ(all.summary->errors(), 0) << all.summary->DebugString();
  for (const auto& k : all.summary->per_kind()) EXPECT_EQ(k.kind(), v1::TERM_ISSUE_KIND_COUNT_MISMATCH);
  first.mutable_options()->set_skip_counts(true);
  Audited a = Audit(first);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  ASSERT_TRUE(a.summary.has_value());
  EXPECT_EQ(a.summary->pairs(), static_cast<int64_t>(pairs_->size()));
  EXPECT_EQ(a.summary->issues(), 0) << a.summary->DebugString();
  EXPECT_EQ(a.summary->skipped(), 0);
  EXPECT_EQ(a.summary->source(), "tm collection yanshi-2021");
  for (const auto& p : a.pairs) ADD_FAILURE() << p.DebugString();
}

TEST_F(TerminologyAuditTest, AnUploadedTmxIsAuditedAndNothingIsWritten) {
  const int64_t before = Segments();
  const std::string file = Tmx({Tu("clean", "扎实做好“六稳”工作", "We ensured stability on six fronts."),  // line 5
                                Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),             // line 6
                                Tu("forbidden", "落实“三保”", "We delivered the Three Guarantees."),      // line 7
                                "<tu tuid=\"no-target\"><tuv xml:lang=\"zh-CN\"><seg>六稳</seg></tuv></tu>"});
  v1::AuditTranslationsRequest first;
  Audited a = Audit(first, file, 100);  // Many small pieces.
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  ASSERT_EQ(a.pairs.size(), 2u);
  EXPECT_EQ(a.pairs[0].segment_id(), "missing");
  EXPECT_EQ(a.pairs[0].line(), 6);
  EXPECT_EQ(a.pairs[0].issues(0).kind(), v1::TERM_ISSUE_KIND_MISSING_RENDERING);
  EXPECT_EQ(a.pairs[0].target(), "We kept things steady.");
  EXPECT_EQ(a.pairs[1].segment_id(), "forbidden");
  EXPECT_EQ(a.pairs[1].issues(0).kind(), v1::TERM_ISSUE_KIND_FORBIDDEN_RENDERING);
  ASSERT_TRUE(a.summary.has_value());
  EXPECT_EQ(a.summary->pairs(), 3);
  EXPECT_EQ(a.summary->skipped(), 1);
  EXPECT_EQ(a.summary->skipped_pairs(0).line(), 8);
  EXPECT_EQ(a.summary->bytes(), static_cast<int64_t>(file.size()));
  EXPECT_EQ(a.summary->source(), "tmx file");
  ASSERT_EQ(a.summary->per_kind_size(), 2);
  EXPECT_EQ(a.summary->per_kind(0).kind(), v1::TERM_ISSUE_KIND_MISSING_RENDERING);
  EXPECT_EQ(a.summary->per_kind(1).kind(), v1::TERM_ISSUE_KIND_FORBIDDEN_RENDERING);
  ASSERT_EQ(a.summary->per_entry_size(), 2);
  EXPECT_EQ(Segments(), before);
  // No spool file is left in the data directory.
  for (const auto& f : std::filesystem::directory_iterator(dir_->Sub("data"))) {
    EXPECT_EQ(f.path().filename().string().find(".spool"), std::string::npos) << f.path();
  }
}

TEST_F(TerminologyAuditTest, BadUploadsAndRequestsAreRefusedClearly) {
  const int64_t before = Segments();
  v1::AuditTranslationsRequest first;
  // Malformed: the <seg> of line 6 is never closed.
  Audited a = Audit(first, Tmx({Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),
                                "<tu tuid=\"x\"><tuv xml:lang=\"zh-CN\"><seg>六稳</tuv></tu>"}));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a.status.error_message().find("line 6, column"), std::string::npos) << a.status.error_message();
  EXPECT_TRUE(a.pairs.empty()) << "no pair before the refusal";
  // Invalid UTF-8.
  a = Audit(first, Tmx({Tu("bad", "六稳", "stability on six fronts \xff")}));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a.status.error_message().find("line 5, column"), std::string::npos) << a.status.error_message();
  // Not TMX.
  a = Audit(first, "六稳\tstability on six fronts\n");
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a.status.error_message().find("not a TMX file"), std::string::npos) << a.status.error_message();
  // Over the import limit (1 MiB here).
  std::vector<std::string> many(12000, Tu("many", "扎实做好“六稳”工作", "We ensured stability on six fronts."));
  a = Audit(first, Tmx(many), 64 * 1024);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << a.status.error_message();
  EXPECT_NE(a.status.error_message().find("--max-import-mib"), std::string::npos) << a.status.error_message();
  // Nothing to audit, both at once, unknown collections.
  a = Audit(first);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << a.status.error_message();
  v1::AuditTranslationsRequest both;
  both.set_tm_collection("yanshi-2021");
  a = Audit(both, Tmx({Tu("x", "六稳", "stability on six fronts")}));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a.status.error_message().find("not both"), std::string::npos) << a.status.error_message();
  v1::AuditTranslationsRequest unknown;
  unknown.set_tm_collection("no-such-tm");
  a = Audit(unknown);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(a.status.error_message().find("no-such-tm"), std::string::npos) << a.status.error_message();
  unknown.set_tm_collection("yanshi-2021");
  unknown.add_glossary_collections("no-such-glossary");
  a = Audit(unknown);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(a.status.error_message().find("no-such-glossary"), std::string::npos) << a.status.error_message();
  EXPECT_EQ(Segments(), before);
}

TEST_F(TerminologyAuditTest, AuditCommandOnAFileWritesTheReportOrNothing) {
  const std::string tmx = dir_->Sub("audit-me.tmx");
  std::ofstream(tmx) << Tmx({Tu("clean", "扎实做好“六稳”工作", "We ensured stability on six fronts."),
                             Tu("missing", "扎实做好“六稳”工作", "We kept things steady.")});
  const std::string report = dir_->Sub("audit-report.tsv");
  CommandResult r = Cli({"audit", tmx, "--tsv", report});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("audited 2 pairs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MISSING_RENDERING: 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entry liuwen: 1"), std::string::npos) << r.out;
  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().rfind("segment_id\tkind\t", 0), 0u) << text.str();
  EXPECT_NE(text.str().find("\nmissing\tMISSING_RENDERING\terror\tliuwen\t"), std::string::npos) << text.str();

  CommandResult text_out = Cli({"audit", tmx});
  EXPECT_EQ(text_out.exit_code, 1);
  EXPECT_NE(text_out.out.find("missing (line 6) error MISSING_RENDERING [liuwen]"), std::string::npos) << text_out.out;

  CommandResult json = Cli({"--json", "audit", tmx});
  EXPECT_EQ(json.exit_code, 1);
  std::istringstream lines(json.out);
  std::vector<nlohmann::json> messages;
  for (std::string line; std::getline(lines, line);) messages.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(messages.size(), 2u) << json.out;
  EXPECT_EQ(messages[0]["pair"]["segment_id"], "missing");
  EXPECT_EQ(messages[1]["summary"]["pairs"], "2");

  const std::string broken = dir_->Sub("broken.tmx");
  std::ofstream(broken) << Tmx({"<tu tuid=\"x\"><tuv xml:lang=\"zh-CN\"><seg>六稳</tuv></tu>"});
  const std::string no_report = dir_->Sub("no-report.tsv");
  CommandResult bad = Cli({"audit", broken, "--tsv", no_report});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("line 5, column"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(no_report));
  EXPECT_FALSE(std::filesystem::exists(no_report + ".partial"));

  CommandResult clean = Cli({"audit", "--collection", "yanshi-2021", "--skip-counts"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_NE(clean.out.find(": 0 issues"), std::string::npos) << clean.out;
  CommandResult neither = Cli({"audit"});
  EXPECT_EQ(neither.exit_code, 2) << neither.out;
}

}  // namespace
}  // namespace heluo
