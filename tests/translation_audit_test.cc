// The audit of a whole TMX file (server/core/qa/translation_audit.h) with the real checker on the bundled
// glossary: pairs with issues handed on in file order with their lines, the summary per kind and per entry,
// the bundled TM passing its own audit, and every kind of bad file refused clearly before any pair is reported.
#include "server/core/qa/translation_audit.h"

#include <gtest/gtest.h>

#include <fstream>

#include "server/core/bundle.h"
#include "server/core/interchange.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class TranslationAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.Sub("store"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    Result<BundleImport> imported = ImportBundleOnce(*store_, EmbeddedBundle());
    ASSERT_TRUE(imported.ok());
    bundled_pairs_ = imported->segments;
    recognizer_ = std::make_unique<TermRecognizer>(store_.get());
    ASSERT_TRUE(recognizer_->Rebuild().ok());
    checker_ = std::make_unique<TerminologyChecker>(store_.get(), recognizer_.get());
    ASSERT_TRUE(checker_->Rebuild().ok());
  }

  // A TMX file of `units` (each a whole <tu>…</tu>, one line each, from line 5 on).
  std::string Tmx(const std::vector<std::string>& units, const std::string& name = "in.tmx") {
    const std::string path = dir_.Sub(name);
    std::ofstream out(path, std::ios::binary);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"
           "<header creationtool=\"test\" srclang=\"zh-CN\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"x\" creationtoolversion=\"1\"/>\n"
           "<body>\n";
    for (const std::string& u : units) out << u << "\n";
    out << "</body>\n</tmx>\n";
    return path;
  }
  static std::string Tu(const std::string& id, const std::string& zh, const std::string& en) {
    return "<tu tuid=\"" + id + "\"><tuv xml:lang=\"zh-CN\"><seg>" + zh + "</seg></tuv><tuv xml:lang=\"en-US\"><seg>" +
           en + "</seg></tuv></tu>";
  }

  Result<AuditSummary> Audit(const std::string& path, std::vector<AuditedPair>* pairs, AuditOptions options = {}) {
    return AuditTmxFile(*checker_, path, options, [&](const AuditedPair& p) {
      pairs->push_back(p);
      return true;
    });
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TermRecognizer> recognizer_;
  std::unique_ptr<TerminologyChecker> checker_;
  int bundled_pairs_ = 0;
};

TEST_F(TranslationAuditTest, PairsWithIssuesComeInFileOrderWithASummaryPerKindAndEntry) {
  const std::string path = Tmx({
      Tu("clean", "扎实做好“六稳”工作", "We ensured stability on six fronts."),                   // line 5
      Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),                               // line 6
      Tu("deprecated", "扎实做好“六稳”工作", "We ensured the six stabilities."),                  // line 7
      Tu("figure", "收入178亿元", "revenue of 1.78 billion yuan"),                                 // line 8
  });
  std::vector<AuditedPair> pairs;
  Result<AuditSummary> s = Audit(path, &pairs);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].segment_id, "missing");
  EXPECT_EQ(pairs[0].line, 6);
  EXPECT_EQ(pairs[0].source, "扎实做好“六稳”工作");
  ASSERT_EQ(pairs[0].issues.size(), 1u);
  EXPECT_EQ(pairs[0].issues[0].kind, TermIssueKind::kMissingRendering);
  EXPECT_EQ(pairs[1].segment_id, "deprecated");
  EXPECT_EQ(pairs[1].line, 7);
  EXPECT_EQ(pairs[1].issues[0].kind, TermIssueKind::kDeprecatedRendering);
  EXPECT_EQ(pairs[1].issues[0].found, "six stabilities");
  EXPECT_EQ(pairs[2].segment_id, "figure");
  EXPECT_EQ(pairs[2].issues[0].kind, TermIssueKind::kFigureMismatch);

  EXPECT_EQ(s->pairs, 4);
  EXPECT_EQ(s->pairs_with_issues, 3);
  EXPECT_EQ(s->issues, 3);
  EXPECT_EQ(s->errors, 2);
  EXPECT_EQ(s->warnings, 1);
  EXPECT_EQ(s->skipped, 0);
  EXPECT_EQ(s->per_kind[static_cast<size_t>(TermIssueKind::kMissingRendering)], 1);
  EXPECT_EQ(s->per_kind[static_cast<size_t>(TermIssueKind::kDeprecatedRendering)], 1);
  EXPECT_EQ(s->per_kind[static_cast<size_t>(TermIssueKind::kFigureMismatch)], 1);
  ASSERT_EQ(s->per_entry.size(), 1u) << "a figure names no entry";
  const AuditEntryCount& liuwen = s->per_entry.at("liuwen");
  EXPECT_EQ(liuwen.issues, 2);
  EXPECT_EQ(liuwen.kinds[static_cast<size_t>(TermIssueKind::kMissingRendering)], 1);
  EXPECT_EQ(liuwen.kinds[static_cast<size_t>(TermIssueKind::kDeprecatedRendering)], 1);
  EXPECT_GT(s->bytes, 0);
}

TEST_F(TranslationAuditTest, TheBundledTmExportedAsTmxPassesItsOwnAudit) {
  TranslationMemory tm(store_.get());
  const std::string path = dir_.Sub("bundle.tmx");
  std::ofstream out(path, std::ios::binary);
  ASSERT_TRUE(ExportTm(tm, ExportFormat::kTmx, [&](std::string_view c) {
                out.write(c.data(), static_cast<std::streamsize>(c.size()));
                return true;
              }).ok());
  out.close();
  // Every check on: no error at all; the warnings are COUNT_MISMATCH only (a repeated term shortened, e.g.
  // 双拥模范城 as "model city of such mutual support" after the full rendering of 双拥), which a reviewer
  // accepts — so the audit without COUNT_MISMATCH has no issue at all.
  std::vector<AuditedPair> pairs;
  Result<AuditSummary> all = Audit(path, &pairs);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->errors, 0);
  EXPECT_EQ(all->issues, all->per_kind[static_cast<size_t>(TermIssueKind::kCountMismatch)]);
  pairs.clear();
  AuditOptions no_counts;
  no_counts.check.check_counts = false;
  Result<AuditSummary> s = Audit(path, &pairs, no_counts);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->pairs, bundled_pairs_);
  EXPECT_EQ(s->skipped, 0);
  EXPECT_EQ(s->issues, 0);
  for (const AuditedPair& p : pairs) {
    for (const TermIssue& i : p.issues) ADD_FAILURE() << p.segment_id << " " << TermIssueKindName(i.kind) << ": " << i.message;
  }
}

TEST_F(TranslationAuditTest, AMalformedFileFailsNamingLineAndColumnBeforeAnyPair) {
  const std::string path = Tmx({Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),  // line 5: an issue
                                "<tu tuid=\"broken\"><tuv xml:lang=\"zh-CN\"><seg>六稳</tuv></tu>"});  // line 6
  std::vector<AuditedPair> pairs;
  Result<AuditSummary> s = Audit(path, &pairs);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("line 6, column"), std::string::npos) << s.status().message();
  EXPECT_TRUE(pairs.empty()) << "nothing is reported from a file that turns out malformed";
}

TEST_F(TranslationAuditTest, InvalidUtf8FailsNamingLineAndColumn) {
  // The unit before the bad one has an issue: no pair may reach the sink before the refusal.
  const std::string path = Tmx({Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),
                                Tu("bad", "扎实做好“六稳”工作", std::string("stability on six fronts \xff\xfe"))});
  std::vector<AuditedPair> pairs;
  Result<AuditSummary> s = Audit(path, &pairs);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("line 6, column"), std::string::npos) << s.status().message();
  EXPECT_TRUE(pairs.empty());
}

TEST_F(TranslationAuditTest, FilesThatAreNotTmxAreRefused) {
  std::vector<AuditedPair> pairs;
  const std::string empty = dir_.Sub("empty.tmx");
  std::ofstream(empty).close();
  Result<AuditSummary> s = Audit(empty, &pairs);
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("empty"), std::string::npos) << s.status().message();
  const std::string tsv = dir_.Sub("pairs.tsv");
  std::ofstream(tsv) << "六稳\tstability on six fronts\n";
  s = Audit(tsv, &pairs);
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("not a TMX file"), std::string::npos) << s.status().message();
  const std::string tbx = dir_.Sub("glossary.tbx");
  std::ofstream(tbx) << "<?xml version=\"1.0\"?>\n<martif type=\"TBX\"><text><body/></text></martif>\n";
  s = Audit(tbx, &pairs);
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("<martif>"), std::string::npos) << s.status().message();
  EXPECT_TRUE(pairs.empty());
}

TEST_F(TranslationAuditTest, UnitsThatCannotBeCheckedAreSkippedWithWhereAndWhy) {
  const std::string path = Tmx({
      "<tu tuid=\"no-english\"><tuv xml:lang=\"zh-CN\"><seg>六稳</seg></tuv></tu>",  // line 5
      Tu("too-long", "六稳", std::string(6000, 'a')),                                // line 6
      Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),                 // line 7
  });
  std::vector<AuditedPair> pairs;
  Result<AuditSummary> s = Audit(path, &pairs);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->pairs, 1);
  EXPECT_EQ(s->skipped, 2);
  ASSERT_EQ(s->skipped_pairs.size(), 2u);
  EXPECT_EQ(s->skipped_pairs[0].segment_id, "no-english");
  EXPECT_EQ(s->skipped_pairs[0].line, 5);
  EXPECT_FALSE(s->skipped_pairs[0].reason.empty());
  EXPECT_EQ(s->skipped_pairs[1].segment_id, "too-long");
  EXPECT_NE(s->skipped_pairs[1].reason.find("longer than 5000"), std::string::npos) << s->skipped_pairs[1].reason;
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].segment_id, "missing");
}

TEST_F(TranslationAuditTest, AnUnknownGlossaryCollectionIsNotFoundAndAStoppedSinkCancels) {
  const std::string path = Tmx({Tu("missing", "扎实做好“六稳”工作", "We kept things steady."),
                                Tu("missing-2", "扎实做好“六稳”工作", "We kept things steady.")});
  std::vector<AuditedPair> pairs;
  AuditOptions options;
  options.glossary_collections = {"no-such-collection"};
  Result<AuditSummary> s = Audit(path, &pairs, options);
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
  EXPECT_NE(s.status().message().find("no-such-collection"), std::string::npos);
  int calls = 0;
  s = AuditTmxFile(*checker_, path, AuditOptions{}, [&](const AuditedPair&) { return ++calls < 1; });
  EXPECT_EQ(s.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(calls, 1);
  // Also when no unit of the file gets as far as the checker (every one skipped): the collections are checked
  // before the file is read.
  const std::string uncheckable = Tmx({"<tu tuid=\"no-english\"><tuv xml:lang=\"zh-CN\"><seg>六稳</seg></tuv></tu>"});
  s = Audit(uncheckable, &pairs, options);
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace heluo
