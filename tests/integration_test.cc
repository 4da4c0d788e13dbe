// End to end: the real heluo-server binary on a free loopback port with a fresh LMDB data directory, called
// through the generated C++ stubs and through the heluo CLI.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/core/bundle.h"
#include "server/core/store/lmdb.h"
#include "server/core/store/store.h"
#include "server/service/request_traits.h"
#include "server/service/unchecked_text.h"
#include "tests/shared_server_test.h"

namespace heluo {
namespace {

// A report sentence that is in the bundled TM.
constexpr const char* kReportSentence = "新增专利227件，增长57.8%。";
const std::string kBadUtf8("\xe4\xb8\x89\xff", 4);

class IntegrationTest : public SharedServerTest<IntegrationTest> {
 protected:
  static void SetUpTestSuite() { StartServer(); }

  static grpc::ClientContext* Ctx(grpc::ClientContext* ctx) {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  static v1::StatsResponse Stats() {
    auto stub = v1::Admin::NewStub(channel_);
    v1::StatsResponse response;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub->Stats(Ctx(&ctx), v1::StatsRequest(), &response).ok());
    return response;
  }

  static grpc::Status LookupTerm(const std::string& text, v1::LookupTermResponse* response) {
    auto stub = v1::Glossary::NewStub(channel_);
    v1::LookupTermRequest request;
    request.set_text(text);
    grpc::ClientContext ctx;
    return stub->LookupTerm(Ctx(&ctx), request, response);
  }

  static grpc::Status Lookup(const std::string& text, v1::LookupResponse* response, int max_results = 0) {
    auto stub = v1::TranslationMemory::NewStub(channel_);
    v1::LookupRequest request;
    request.set_text(text);
    request.set_max_results(max_results);
    grpc::ClientContext ctx;
    return stub->Lookup(Ctx(&ctx), request, response);
  }
};

TEST_F(IntegrationTest, StartupLineReportsWhatIsServed) {
  v1::StatsResponse stats = Stats();
  EXPECT_GE(stats.terms(), 24);
  EXPECT_GE(stats.segments(), 300);
  const std::string& line = server_->startup_line();
  EXPECT_NE(line.find("serving " + std::to_string(stats.terms()) + " terms and " +
                      std::to_string(stats.segments()) + " segments"),
            std::string::npos)
      << line;
  ASSERT_EQ(stats.collections_size(), 1);
  EXPECT_EQ(stats.collections(0).name(), "yanshi-2021");
  EXPECT_EQ(stats.schema_version(), kSchemaVersion);
  EXPECT_GT(stats.used_bytes(), 0);
}

TEST_F(IntegrationTest, LookupTermFindsThePlainTraditionalAndQuotedForms) {
  for (const std::string text : {"三种心态", "三種心態", "“三种心态”"}) {
    v1::LookupTermResponse response;
    grpc::Status st = LookupTerm(text, &response);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(response.entries_size(), 1) << text;
    EXPECT_EQ(response.entries(0).zh(), "三种心态");
    EXPECT_FALSE(response.entries(0).en().empty());
    EXPECT_FALSE(response.entries(0).definition_en().empty());
  }
}

TEST_F(IntegrationTest, GetAndListTermsAgreeWithStats) {
  auto stub = v1::Glossary::NewStub(channel_);
  std::set<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    v1::ListTermsRequest request;
    request.set_page_size(10);
    request.set_page_token(token);
    v1::ListTermsResponse response;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->ListTerms(Ctx(&ctx), request, &response).ok());
    for (const auto& e : response.entries()) ids.insert(e.id());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 1000);
  EXPECT_EQ(static_cast<int64_t>(ids.size()), Stats().terms());

  v1::GetTermRequest get;
  get.set_id(*ids.begin());
  v1::GetTermResponse got;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->GetTerm(Ctx(&ctx), get, &got).ok());
  EXPECT_EQ(got.entry().id(), *ids.begin());
}

TEST_F(IntegrationTest, TmLookupFindsExactAndFoldedMatches) {
  v1::LookupResponse exact;
  ASSERT_TRUE(Lookup(kReportSentence, &exact).ok());
  ASSERT_GE(exact.matches_size(), 1);
  EXPECT_EQ(exact.matches(0).score(), 100);
  EXPECT_EQ(exact.matches(0).kind(), v1::MATCH_KIND_EXACT);
  EXPECT_NE(exact.matches(0).segment().target().find("227"), std::string::npos);

  v1::LookupResponse spaced;  // The seed's extraction spacing, full-width digits.
  ASSERT_TRUE(Lookup("新增专利 ２２７ 件，增长 57.8%。", &spaced).ok());
  ASSERT_GE(spaced.matches_size(), 1);
  EXPECT_EQ(spaced.matches(0).segment().id(), exact.matches(0).segment().id());
  EXPECT_EQ(spaced.matches(0).score(), 98);
  ASSERT_EQ(spaced.matches(0).penalties_size(), 2);

  v1::LookupResponse none;
  ASSERT_TRUE(Lookup("这句话不在翻译记忆库里。", &none).ok());
  EXPECT_EQ(none.matches_size(), 0);
}

TEST_F(IntegrationTest, SegmentsListInDocumentOrderWithContext) {
  auto stub = v1::TranslationMemory::NewStub(channel_);
  std::vector<v1::Segment> all;
  ASSERT_NO_FATAL_FAILURE(AllSegments(&all, /*page_size=*/100));  // Several pages.
  ASSERT_EQ(static_cast<int64_t>(all.size()), Stats().segments());
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(all[i].previous_id(), all[i - 1].id());
    EXPECT_EQ(all[i].position(), all[i - 1].position() + 1);
  }
  EXPECT_EQ(all.front().source(), "政府工作报告");

  v1::GetSegmentRequest get;
  get.set_id(all[1].id());
  v1::GetSegmentResponse got;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->GetSegment(Ctx(&ctx), get, &got).ok());
  EXPECT_EQ(got.segment().target(), all[1].target());
}

TEST_F(IntegrationTest, BadInputGetsAClearStatusAndChangesNothing) {
  const v1::StatsResponse before = Stats();
  v1::LookupTermResponse term;
  grpc::Status st = LookupTerm(kBadUtf8, &term);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("UTF-8"), std::string::npos) << st.error_message();
  EXPECT_EQ(LookupTerm("", &term).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  {  // RecognizeTerms is served through the callback API too (unary_reactor.h): same parsing, same answer.
    v1::RecognizeTermsRequest recognize;
    recognize.set_text(kBadUtf8);
    v1::RecognizeTermsResponse hits;
    grpc::ClientContext ctx;
    st = v1::Glossary::NewStub(channel_)->RecognizeTerms(Ctx(&ctx), recognize, &hits);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_NE(st.error_message().find("UTF-8"), std::string::npos) << st.error_message();
    // Checked once, by the normalizer, which names the byte (unchecked_text.h).
    EXPECT_NE(st.error_message().find("offset 3"), std::string::npos) << st.error_message();
  }

  v1::LookupResponse tm;
  st = Lookup(kBadUtf8, &tm);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("UTF-8"), std::string::npos) << st.error_message();
  EXPECT_EQ(Lookup("   ", &tm).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Lookup(kReportSentence, &tm, 1000).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auto glossary = v1::Glossary::NewStub(channel_);
  v1::GetTermRequest get_term;
  get_term.set_id("no-such-term");
  v1::GetTermResponse got_term;
  grpc::ClientContext c1;
  st = glossary->GetTerm(Ctx(&c1), get_term, &got_term);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(st.error_message().find("no-such-term"), std::string::npos);

  auto tm_stub = v1::TranslationMemory::NewStub(channel_);
  v1::GetSegmentRequest get_segment;
  get_segment.set_id("yanshi-2021-9999");
  v1::GetSegmentResponse got_segment;
  grpc::ClientContext c2;
  EXPECT_EQ(tm_stub->GetSegment(Ctx(&c2), get_segment, &got_segment).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListTermsRequest list;
  list.set_page_token("not-a-token");
  v1::ListTermsResponse listed;
  grpc::ClientContext c3;
  st = glossary->ListTerms(Ctx(&c3), list, &listed);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("page_token"), std::string::npos);

  v1::ListSegmentsRequest list_segments;
  list_segments.set_page_token("p1.00");
  v1::ListSegmentsResponse segments;
  grpc::ClientContext c4;
  EXPECT_EQ(tm_stub->ListSegments(Ctx(&c4), list_segments, &segments).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const v1::StatsResponse after = Stats();
  EXPECT_EQ(after.terms(), before.terms());
  EXPECT_EQ(after.segments(), before.segments());
}

// A call whose stream the client reset before its request arrived (h2load's reset streams) reaches the
// request parser with an empty buffer: it ends CANCELLED, not FAILED_PRECONDITION "Buffer not initialized".
TEST(RequestParsing, ResetCallWithoutRequestEndsCancelled) {
  grpc::ByteBuffer never_filled;
  v1::LookupTermRequest request;
  const grpc::Status st = ParseRequest(&never_filled, &request);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::CANCELLED) << st.error_message();
  // A request that did arrive still parses.
  v1::LookupTermRequest sent;
  sent.set_text("六稳");
  grpc::ByteBuffer filled;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<v1::LookupTermRequest>::Serialize(sent, &filled, &own).ok());
  ASSERT_TRUE(ParseRequest(&filled, &request).ok());
  EXPECT_EQ(request.text(), "六稳");
}

// A RecognizeTermsRequest with every field set.
v1::RecognizeTermsRequest EveryRecognizeTermsField() {
  v1::RecognizeTermsRequest request;
  request.set_text("深化提升“9+2”工作布局");
  request.set_language(v1::LANGUAGE_EN);
  request.set_overlapping(true);
  request.set_compact(true);
  request.set_packed(true);
  return request;
}

// RecognizeTerms parses its request without protobuf's UTF-8 check (its normalizer checks the text):
// every field arrives as sent, unknown fields are kept, a text that is not UTF-8 arrives byte for byte (for
// the normalizer to refuse), bytes that are no message are refused, and a request type with nested messages
// is still parsed with the check.
TEST(RequestParsing, ARecognizeTermsRequestParsesWithoutProtobufsUtf8Check) {
  v1::RecognizeTermsRequest sent = EveryRecognizeTermsField();
  std::string wire = sent.SerializeAsString() + std::string("\xf8\x06\x07", 3);  // Field 111 (varint 7): unknown.
  v1::RecognizeTermsRequest got;
  got.set_text("left over");
  ASSERT_TRUE(ParseWithoutUtf8Check(wire.data(), static_cast<int>(wire.size()), &got));
  EXPECT_EQ(got.SerializeAsString(), wire);
  v1::RecognizeTermsRequest checked;
  ASSERT_TRUE(checked.ParseFromString(wire));
  EXPECT_EQ(got.SerializeAsString(), checked.SerializeAsString());

  const std::string bad("\xe4\xb8\x89\xff", 4);
  const std::string bad_wire = std::string("\x0a\x04", 2) + bad + std::string("\x10\x63", 2);  // text, language 99.
  EXPECT_FALSE(checked.ParseFromString(bad_wire));
  ASSERT_TRUE(ParseWithoutUtf8Check(bad_wire.data(), static_cast<int>(bad_wire.size()), &got));
  EXPECT_EQ(got.text(), bad);
  EXPECT_EQ(static_cast<int>(got.language()), 99);  // ValidateEnums (ParseRequestWith) then refuses it.
  EXPECT_FALSE(ValidateEnums(got).ok());

  const std::string garbage("\x0a\x7f\x01", 3);  // A length past the end.
  EXPECT_FALSE(ParseWithoutUtf8Check(garbage.data(), static_cast<int>(garbage.size()), &got));

  v1::UpsertTermRequest upsert;
  const std::string nested = std::string("\x0a\x06\x1a\x04", 4) + bad;  // entry { zh: <bad> }.
  EXPECT_FALSE(ParseWithoutUtf8Check(nested.data(), static_cast<int>(nested.size()), &upsert));
}

// A C++ client sends a RecognizeTermsRequest without protobuf's UTF-8 check of its text (the server's
// normalizer checks it: unchecked_serialize.h): the bytes are protobuf's own for every field, a text that
// is not UTF-8 goes out byte for byte without protobuf's error log (its check ran and logged before), a
// message with unknown fields is left to protobuf, and other requests keep protobuf's check.
std::vector<std::string>* protobuf_log = nullptr;
void KeepProtobufLog(google::protobuf::LogLevel, const char*, int, const std::string& message) {
  if (protobuf_log != nullptr) protobuf_log->push_back(message);
}

std::string Wire(const google::protobuf::MessageLite& msg) {
  grpc::ByteBuffer bb;
  bool own = false;
  EXPECT_TRUE(grpc::SerializationTraits<grpc::protobuf::MessageLite>::Serialize(msg, &bb, &own).ok());
  grpc::Slice slice;
  EXPECT_TRUE(bb.DumpToSingleSlice(&slice).ok());
  return std::string(reinterpret_cast<const char*>(slice.begin()), slice.size());
}

TEST(RequestParsing, ARecognizeTermsRequestIsSentWithoutProtobufsUtf8Check) {
  std::vector<std::string> log;
  protobuf_log = &log;
  google::protobuf::LogHandler* previous = google::protobuf::SetLogHandler(&KeepProtobufLog);
  v1::RecognizeTermsRequest sent = EveryRecognizeTermsField();
  EXPECT_EQ(Wire(sent), sent.SerializeAsString());
  grpc::ByteBuffer typed;
  bool own = false;
  ASSERT_TRUE(grpc::SerializationTraits<v1::RecognizeTermsRequest>::Serialize(sent, &typed, &own).ok());
  EXPECT_EQ(typed.Length(), sent.ByteSizeLong());
  sent.set_language(v1::LANGUAGE_UNSPECIFIED);  // Defaults are left out, as protobuf leaves them out.
  sent.set_compact(false);
  EXPECT_EQ(Wire(sent), sent.SerializeAsString());

  const std::string bad("\xe4\xb8\x89\xff", 4);
  sent.set_text(bad);
  EXPECT_EQ(Wire(sent), std::string("\x0a\x04", 2) + bad + std::string("\x18\x01\x28\x01", 4));
  EXPECT_TRUE(log.empty()) << log.front();

  sent.GetReflection()->MutableUnknownFields(&sent)->AddVarint(111, 7);  // Unknown: left to protobuf.
  EXPECT_EQ(Wire(sent), std::string("\x0a\x04", 2) + bad + std::string("\x18\x01\x28\x01\xf8\x06\x07", 7));
  EXPECT_FALSE(log.empty());  // Protobuf's check ran: it logs invalid UTF-8 and sends the bytes.

  v1::LookupTermRequest lookup;
  lookup.set_text(bad);
  const std::string expected = lookup.SerializePartialAsString();
  log.clear();
  EXPECT_EQ(Wire(lookup), expected);
  EXPECT_FALSE(log.empty());
  google::protobuf::SetLogHandler(previous);
  protobuf_log = nullptr;
}

TEST_F(IntegrationTest, OversizedMessageIsRefusedWithResourceExhausted) {
  v1::LookupResponse response;
  grpc::Status st = Lookup(std::string(17 << 20, 'a'), &response);  // Over the default 16 MiB message limit.
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
  // The server goes on serving.
  EXPECT_TRUE(Lookup(kReportSentence, &response).ok());
}

TEST_F(IntegrationTest, HealthAndReflectionAreServed) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest check;
  grpc::health::v1::HealthCheckResponse status;
  grpc::ClientContext ctx;
  ASSERT_TRUE(health->Check(Ctx(&ctx), check, &status).ok());
  EXPECT_EQ(status.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  grpc::ClientContext rctx;
  auto stream = reflection->ServerReflectionInfo(Ctx(&rctx));
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::set<std::string> services;
  for (const auto& s : response.list_services_response().service()) services.insert(s.name());
  EXPECT_TRUE(stream->Finish().ok());
  for (const char* want : {"heluo.v1.Glossary", "heluo.v1.TranslationMemory", "heluo.v1.Admin",
                           "grpc.health.v1.Health"}) {
    EXPECT_TRUE(services.count(want)) << want;
  }
}

TEST_F(IntegrationTest, CliLooksUpTermsSegmentsAndStats) {
  CommandResult term = Cli({"term", "三种心态"});
  EXPECT_EQ(term.exit_code, 0) << term.out;
  EXPECT_NE(term.out.find("三种心态"), std::string::npos) << term.out;
  EXPECT_NE(term.out.find("definition:"), std::string::npos) << term.out;

  CommandResult json = Cli({"--json", "term", "三種心態"});
  ASSERT_EQ(json.exit_code, 0) << json.out;
  nlohmann::json parsed = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << json.out;
  EXPECT_EQ(parsed["entries"][0]["zh"], "三种心态");

  CommandResult unknown = Cli({"term", "不存在的术语"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.out.find("no glossary entry"), std::string::npos) << unknown.out;

  CommandResult tm = Cli({"tm", kReportSentence});
  EXPECT_EQ(tm.exit_code, 0) << tm.out;
  EXPECT_NE(tm.out.find("100% exact"), std::string::npos) << tm.out;

  CommandResult stats = Cli({"stats"});
  EXPECT_EQ(stats.exit_code, 0) << stats.out;
  EXPECT_NE(stats.out.find("yanshi-2021"), std::string::npos) << stats.out;

  CommandResult bad = Cli({"tm", ""});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("empty"), std::string::npos) << bad.out;
}

TEST_F(IntegrationTest, RecognizeTermsReportsSpansInCodePointsAndUtf16) {
  auto stub = v1::Glossary::NewStub(channel_);
  v1::RecognizeTermsRequest request;
  request.set_text("𠀀深化提升“9+2”工作布局，克服三種心態");  // U+20000: two UTF-16 units.
  v1::RecognizeTermsResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->RecognizeTerms(Ctx(&ctx), request, &response).ok());
  ASSERT_EQ(response.hits_size(), 2);
  EXPECT_EQ(response.hits(0).surface(), "“9+2”工作布局");
  EXPECT_EQ(response.hits(0).span().code_point_begin(), 5);
  EXPECT_EQ(response.hits(0).span().utf16_begin(), 6);
  EXPECT_EQ(response.hits(1).entry().zh(), "三种心态");
  EXPECT_TRUE(response.hits(1).folded());
  EXPECT_EQ(response.hits(1).span().code_point_end(), 21);
  EXPECT_EQ(response.hits(1).span().utf16_end(), 22);
}

// Compact hits (RecognizeTermsRequest.compact): the same hits, each with the entry's id, its rendering and
// rendering status but without the entry, so a long text's answer stays small.
TEST_F(IntegrationTest, RecognizeTermsCompactHitsCarryIdRenderingAndStatus) {
  auto stub = v1::Glossary::NewStub(channel_);
  for (const std::string& text : {std::string("深化提升“9+2”工作布局，扎实做好“六稳”工作，全面落实“六保”任务，克服三種心態"),
                                 std::string("help ensure stability on six fronts and security in six areas")}) {
    v1::RecognizeTermsRequest request;
    request.set_text(text);
    v1::RecognizeTermsResponse full, compact;
    grpc::ClientContext c1, c2;
    ASSERT_TRUE(stub->RecognizeTerms(Ctx(&c1), request, &full).ok());
    request.set_compact(true);
    ASSERT_TRUE(stub->RecognizeTerms(Ctx(&c2), request, &compact).ok());
    ASSERT_GE(full.hits_size(), 2) << text;
    ASSERT_EQ(compact.hits_size(), full.hits_size());
    for (int i = 0; i < full.hits_size(); ++i) {
      const v1::TermHit& f = full.hits(i);
      const v1::TermHit& c = compact.hits(i);
      EXPECT_FALSE(c.has_entry());
      EXPECT_EQ(c.entry_id(), f.entry().id());
      EXPECT_EQ(f.entry_id(), f.entry().id());
      const std::string& rendering = f.language() == v1::LANGUAGE_ZH ? f.entry().en() : f.entry().zh();
      EXPECT_FALSE(rendering.empty());
      EXPECT_EQ(c.rendering(), rendering);
      EXPECT_EQ(f.rendering(), rendering);
      EXPECT_NE(c.rendering_status(), v1::RENDERING_STATUS_UNSPECIFIED);
      EXPECT_EQ(c.rendering_status(), f.entry().rendering_status());
      EXPECT_EQ(c.surface(), f.surface());
      EXPECT_EQ(c.matched_form(), f.matched_form());
      EXPECT_EQ(c.language(), f.language());
      EXPECT_EQ(c.folded(), f.folded());
      EXPECT_EQ(c.span().SerializeAsString(), f.span().SerializeAsString());
    }
    EXPECT_LT(compact.ByteSizeLong() * 2, full.ByteSizeLong()) << text;
  }
}

// The code points [begin, end) of a UTF-8 text, as UTF-8.
std::string CodePoints(const std::string& text, uint32_t begin, uint32_t end) {
  size_t from = std::string::npos, cp = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (cp == begin) from = i;
    if (cp == end) return text.substr(from, i - from);
    ++cp;
  }
  return "";
}

// Packed hits (RecognizeTermsRequest.packed) are the message form's hits, field for field, on the whole
// report (every segment, in calls of up to the length limit), in Traditional script, in full-width forms,
// overlapping and per language; and the answer is smaller than the compact one.
TEST_F(IntegrationTest, RecognizeTermsPackedHitsAreTheFullHitsOnTheWholeReport) {
  auto stub = v1::Glossary::NewStub(channel_);
  std::vector<std::string> texts;
  std::string chunk;
  size_t chunk_chars = 0;
  const Result<std::vector<Segment>> report = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x");
  ASSERT_TRUE(report.ok());
  for (const Segment& s : *report) {
    const size_t chars = static_cast<size_t>(std::count_if(s.source.begin(), s.source.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
    if (chunk_chars + chars > 5000) {
      texts.push_back(std::move(chunk));
      chunk.clear();
      chunk_chars = 0;
    }
    chunk += s.source;
    chunk_chars += chars;
  }
  texts.push_back(chunk);
  ASSERT_GE(texts.size(), 2u);
  texts.push_back("深化提升「９＋２」工作佈局，紮實做好“六穩”工作，克服三種心態，ＨＥＬＰ ＥＮＳＵＲＥ Stability on Six Fronts");
  texts.push_back("help ensure stability on six fronts and security in six areas, 六稳六保");
  size_t total_hits = 0, full_bytes = 0, compact_bytes = 0, packed_bytes = 0;
  for (const std::string& text : texts) {
    for (bool overlapping : {false, true}) {
      for (v1::Language language : {v1::LANGUAGE_UNSPECIFIED, v1::LANGUAGE_ZH, v1::LANGUAGE_EN}) {
        v1::RecognizeTermsRequest request;
        request.set_text(text);
        request.set_overlapping(overlapping);
        request.set_language(language);
        v1::RecognizeTermsResponse full, compact, packed;
        grpc::ClientContext c1, c2, c3;
        ASSERT_TRUE(stub->RecognizeTerms(Ctx(&c1), request, &full).ok());
        request.set_compact(true);
        ASSERT_TRUE(stub->RecognizeTerms(Ctx(&c2), request, &compact).ok());
        request.set_compact(false);
        request.set_packed(true);
        ASSERT_TRUE(stub->RecognizeTerms(Ctx(&c3), request, &packed).ok());
        EXPECT_FALSE(full.has_packed());
        ASSERT_TRUE(packed.has_packed());
        EXPECT_EQ(packed.hits_size(), 0);
        const v1::PackedHits& p = packed.packed();
        ASSERT_EQ(p.term_size(), full.hits_size()) << text;
        for (int n : {p.code_point_begin_size(), p.code_point_end_size(), p.utf16_begin_size(), p.utf16_end_size(),
                      p.folded_size()}) {
          ASSERT_EQ(n, full.hits_size());
        }
        std::set<std::pair<std::string, std::string>> distinct;
        for (int i = 0; i < full.hits_size(); ++i) {
          const v1::TermHit& f = full.hits(i);
          ASSERT_LT(p.term(i), static_cast<uint32_t>(p.terms_size()));
          const v1::PackedTerm& t = p.terms(static_cast<int>(p.term(i)));
          EXPECT_EQ(t.entry_id(), f.entry().id());
          EXPECT_EQ(t.matched_form(), f.matched_form());
          EXPECT_EQ(t.language(), f.language());
          EXPECT_EQ(t.rendering(), f.rendering());
          EXPECT_EQ(t.rendering_status(), f.entry().rendering_status());
          EXPECT_EQ(p.code_point_begin(i), static_cast<uint32_t>(f.span().code_point_begin()));
          EXPECT_EQ(p.code_point_end(i), static_cast<uint32_t>(f.span().code_point_end()));
          EXPECT_EQ(p.utf16_begin(i), static_cast<uint32_t>(f.span().utf16_begin()));
          EXPECT_EQ(p.utf16_end(i), static_cast<uint32_t>(f.span().utf16_end()));
          EXPECT_EQ(p.folded(i), f.folded());
          EXPECT_EQ(CodePoints(text, p.code_point_begin(i), p.code_point_end(i)), f.surface());
          distinct.emplace(t.entry_id(), t.matched_form());
        }
        EXPECT_EQ(distinct.size(), static_cast<size_t>(p.terms_size())) << "each (entry, form) once";
        total_hits += static_cast<size_t>(full.hits_size());
        full_bytes += full.ByteSizeLong();
        compact_bytes += compact.ByteSizeLong();
        packed_bytes += packed.ByteSizeLong();
      }
    }
  }
  EXPECT_GT(total_hits, 300u);
  // Smaller than compact (the renderings, sent once per form, are most of it), and far smaller than full.
  EXPECT_LT(packed_bytes * 4, compact_bytes * 3) << packed_bytes << " " << compact_bytes;
  EXPECT_LT(packed_bytes * 10, full_bytes) << packed_bytes << " " << full_bytes;
}

TEST_F(IntegrationTest, SuggestTermsCompletesEitherLanguage) {
  auto stub = v1::Glossary::NewStub(channel_);
  v1::SuggestTermsRequest request;
  request.set_prefix("三种");
  v1::SuggestTermsResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->SuggestTerms(Ctx(&ctx), request, &response).ok());
  ASSERT_GE(response.suggestions_size(), 2);  // 三种心态, 三种精神.
  for (const auto& s : response.suggestions()) EXPECT_EQ(s.form().rfind("三种", 0), 0u) << s.form();
}

TEST_F(IntegrationTest, LookupGivesContextFuzzyAndPlaceableMatches) {
  auto stub = v1::TranslationMemory::NewStub(channel_);
  v1::LookupRequest request;
  request.set_text(kReportSentence);
  request.set_previous_text("其中，新增高新技术企业8家，国家科技型中小企业61家，市级以上研发中心11家。");
  v1::LookupResponse response;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub->Lookup(Ctx(&c1), request, &response).ok());
  ASSERT_GE(response.matches_size(), 1);
  // The stored neighbour differs from this previous_text, so this is exact (100), not in-context.
  EXPECT_EQ(response.matches(0).kind(), v1::MATCH_KIND_EXACT);

  v1::LookupRequest placeable;
  placeable.set_text("新增专利300件，增长60%。");
  grpc::ClientContext c2;
  ASSERT_TRUE(stub->Lookup(Ctx(&c2), placeable, &response).ok());
  ASSERT_GE(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).kind(), v1::MATCH_KIND_FUZZY);
  EXPECT_TRUE(response.matches(0).placeable());
  EXPECT_NE(response.matches(0).substituted_target().find("300"), std::string::npos);
  EXPECT_NE(response.matches(0).substituted_target().find("60 percent"), std::string::npos);
  EXPECT_EQ(response.matches(0).diffs_size(), 2);

  v1::LookupRequest strict;
  strict.set_text("新增专利300件，增长60%。");
  strict.set_min_score(95);
  grpc::ClientContext c3;
  ASSERT_TRUE(stub->Lookup(Ctx(&c3), strict, &response).ok());
  EXPECT_EQ(response.matches_size(), 0);
}

TEST_F(IntegrationTest, ContextOfTheStoredNeighboursGives101) {
  auto stub = v1::TranslationMemory::NewStub(channel_);
  v1::ListSegmentsRequest list;
  list.set_page_size(10);
  v1::ListSegmentsResponse page;
  grpc::ClientContext c0;
  ASSERT_TRUE(stub->ListSegments(Ctx(&c0), list, &page).ok());
  v1::LookupRequest request;
  request.set_text(page.segments(5).source());
  request.set_previous_text(page.segments(4).source());
  request.set_next_text(page.segments(6).source());
  v1::LookupResponse response;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub->Lookup(Ctx(&c1), request, &response).ok());
  ASSERT_GE(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).kind(), v1::MATCH_KIND_CONTEXT);
  EXPECT_EQ(response.matches(0).score(), 101);
}

TEST_F(IntegrationTest, ConcordanceHighlightsBothSides) {
  auto stub = v1::TranslationMemory::NewStub(channel_);
  v1::ConcordanceRequest request;
  request.set_query("河长制");
  v1::ConcordanceResponse response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->Concordance(Ctx(&ctx), request, &response).ok());
  ASSERT_GE(response.hits_size(), 1);
  for (const auto& h : response.hits()) {
    ASSERT_GE(h.source_highlights_size(), 1);
    EXPECT_NE(h.segment().source().find("河长制"), std::string::npos);
  }
}

TEST_F(IntegrationTest, LookupStreamAnswersAWholeDocumentInOrder) {
  auto stub = v1::TranslationMemory::NewStub(channel_);
  std::vector<v1::Segment> all;
  ASSERT_NO_FATAL_FAILURE(AllSegments(&all));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto stream = stub->LookupStream(&ctx);
  const size_t n = all.size() * 5;  // The report five times over.
  std::thread writer([&] {
    for (size_t i = 0; i < n; ++i) {
      v1::LookupRequest r;
      r.set_text(all[i % all.size()].source());
      r.set_max_results(1);
      if (!stream->Write(r)) break;
    }
    stream->WritesDone();
  });
  v1::LookupResponse response;
  size_t read = 0, in_order = 0;
  while (stream->Read(&response)) {
    if (response.matches_size() > 0 && response.matches(0).segment().source() == all[read % all.size()].source()) ++in_order;
    ++read;
  }
  writer.join();
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(read, n);
  EXPECT_EQ(in_order, n);
}

TEST_F(IntegrationTest, BadMatchingRequestsAreRefused) {
  auto tm = v1::TranslationMemory::NewStub(channel_);
  auto glossary = v1::Glossary::NewStub(channel_);
  v1::LookupRequest lookup;
  lookup.set_text(kReportSentence);
  lookup.set_min_score(102);
  v1::LookupResponse lr;
  grpc::ClientContext c1;
  grpc::Status st = tm->Lookup(Ctx(&c1), lookup, &lr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("min_score"), std::string::npos);

  lookup.set_min_score(70);
  lookup.add_collections("no-such-collection");
  grpc::ClientContext c2;
  st = tm->Lookup(Ctx(&c2), lookup, &lr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(st.error_message().find("no-such-collection"), std::string::npos);

  v1::ConcordanceRequest conc;
  conc.set_query(" ");
  v1::ConcordanceResponse cr;
  grpc::ClientContext c3;
  EXPECT_EQ(tm->Concordance(Ctx(&c3), conc, &cr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::RecognizeTermsRequest rec;
  rec.set_text(kBadUtf8);
  v1::RecognizeTermsResponse rr;
  grpc::ClientContext c4;
  EXPECT_EQ(glossary->RecognizeTerms(Ctx(&c4), rec, &rr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::SuggestTermsRequest sug;
  sug.set_prefix("三");
  sug.set_limit(51);
  v1::SuggestTermsResponse sr;
  grpc::ClientContext c5;
  EXPECT_EQ(glossary->SuggestTerms(Ctx(&c5), sug, &sr).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // A bad request in the middle of a stream ends it with the request's index in the message.
  grpc::ClientContext c6;
  auto stream = tm->LookupStream(Ctx(&c6));
  v1::LookupRequest good;
  good.set_text(kReportSentence);
  v1::LookupRequest empty;
  ASSERT_TRUE(stream->Write(good));
  ASSERT_TRUE(stream->Write(empty));
  stream->WritesDone();
  while (stream->Read(&lr)) {
  }
  st = stream->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("request 1 of the stream"), std::string::npos) << st.error_message();
}

TEST_F(IntegrationTest, CliRecognizesConcordsAndPretranslates) {
  CommandResult rec = Cli({"recognize", "扎实做好“六稳”工作"});
  EXPECT_EQ(rec.exit_code, 0) << rec.out;
  EXPECT_NE(rec.out.find("stability on six fronts"), std::string::npos) << rec.out;

  CommandResult conc = Cli({"concordance", "专利", "-n", "3"});
  EXPECT_EQ(conc.exit_code, 0) << conc.out;
  EXPECT_NE(conc.out.find("【专利】"), std::string::npos) << conc.out;

  CommandResult placeable = Cli({"tm", "新增专利300件，增长60%。"});
  EXPECT_EQ(placeable.exit_code, 0) << placeable.out;
  EXPECT_NE(placeable.out.find("en with your numbers:"), std::string::npos) << placeable.out;
  // Issue 12's example: 178亿元 → 180亿元 is converted, never left as "17.8 billion".
  CommandResult converted = Cli({"tm", "实施重点项目 130 个，完成投资 180 亿元，竣工 35 个。"});
  EXPECT_EQ(converted.exit_code, 0) << converted.out;
  EXPECT_NE(converted.out.find("en with your numbers: We carried out 130 key projects, completing 18 billion yuan of "
                               "investment; 35 of these projects were completed."),
            std::string::npos)
      << converted.out;
  // "one case … was cured" with two cases would need "were" too: the stored English comes with a warning.
  CommandResult stale = Cli({"tm", "坚持“人民至上，生命至上”，不惜一切代价，全力守护人民群众生命健康，1400余名医务人员、30000余名党员干部闻令而动、逆风而行，重点地区返偃人员及密切接触者等重点人员管控有力，2例武汉输入病例得到成功治愈，构筑起了疫情防控的钢铁长城。"});
  EXPECT_EQ(stale.exit_code, 0) << stale.out;
  EXPECT_NE(stale.out.find("WARNING: figures not carried over: 1 → 2"), std::string::npos) << stale.out;
  EXPECT_EQ(stale.out.find("en with your numbers:"), std::string::npos) << stale.out;

  const std::string doc = dir_->Sub("doc.txt");
  std::ofstream(doc) << "政府工作报告\n新增专利 ２２７ 件，增长57.8%。\n这句话不在记忆库里，也不像任何一句。\n";
  CommandResult pre = Cli({"pretranslate", doc});
  EXPECT_EQ(pre.exit_code, 0) << pre.out;
  EXPECT_NE(pre.out.find("1\t100\texact\tReport on the Work of the Government"), std::string::npos) << pre.out;
  EXPECT_NE(pre.out.find("2\t98\texact\t"), std::string::npos) << pre.out;
  EXPECT_NE(pre.out.find("3\t0\t-\t"), std::string::npos) << pre.out;
  EXPECT_NE(pre.out.find("2 of 3 segments matched"), std::string::npos) << pre.out;
}

TEST(IntegrationStandaloneTest, CliSaysWhenTheServerIsUnreachable) {
  CommandResult r = RunCommand({HELUO_CLIENT_BIN, "--server", "127.0.0.1:1", "--timeout-ms", "2000", "stats"});
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("cannot reach heluo-server at 127.0.0.1:1"), std::string::npos) << r.out;
}

TEST(IntegrationStandaloneTest, RestartDoesNotImportTheBundleAgain) {
  TempDir dir;
  std::string first_line;
  {
    ServerProcess first({"--data-dir", dir.Sub("data")});
    ASSERT_TRUE(first.started()) << first.output();
    first_line = first.startup_line();
    EXPECT_NE(first_line.find("imported now"), std::string::npos) << first_line;
    EXPECT_EQ(first.Stop(), 0) << first.output();
  }
  ServerProcess second({"--data-dir", dir.Sub("data")});
  ASSERT_TRUE(second.started()) << second.output();
  EXPECT_EQ(second.startup_line().find("imported now"), std::string::npos) << second.startup_line();
  // Same counts as the first start.
  auto counts = [](const std::string& line) { return line.substr(line.find("serving"), line.find(" segments") - line.find("serving")); };
  EXPECT_EQ(counts(second.startup_line()), counts(first_line));
}

TEST(IntegrationStandaloneTest, ForeignDataDirectoryIsRefusedAndLeftAlone) {
  TempDir dir;
  WriteForeignLmdb(dir.path());
  std::ifstream in(dir.Sub("data.mdb"), std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ServerProcess server({"--data-dir", dir.path()});
  EXPECT_FALSE(server.started());
  EXPECT_NE(server.output().find("not a heluo store"), std::string::npos) << server.output();
  std::ifstream again(dir.Sub("data.mdb"), std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>()), before);
}

TEST(IntegrationStandaloneTest, UnusableDataDirectoryIsRefused) {
  TempDir dir;
  std::ofstream(dir.Sub("file")) << "x";
  ServerProcess server({"--data-dir", dir.Sub("file")});
  EXPECT_FALSE(server.started());
  EXPECT_NE(server.output().find("is not a directory"), std::string::npos) << server.output();
}

}  // namespace
}  // namespace heluo
