// Export and import: round trips reproduce the data exactly, third-party files import, and every kind of
// bad file is refused with a clear message and leaves the store byte-for-byte as it was (compared through
// a full export before and after).
#include "server/core/interchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "server/core/bundle.h"
#include "tests/bundle_counts.h"
#include "tests/store_dump.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class InterchangeTest : public ::testing::Test {
 protected:
  struct Db {
    TempDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<Glossary> glossary;
    std::unique_ptr<TranslationMemory> tm;
    explicit Db(bool bundled) {
      store = std::move(*Store::Open(dir.Sub("data")));
      glossary = std::make_unique<Glossary>(store.get());
      tm = std::make_unique<TranslationMemory>(store.get());
      if (bundled) {
        EXPECT_TRUE(ImportBundleOnce(*store, EmbeddedBundle()).ok());
      }
    }
    std::string ExportTmAs(ExportFormat f) {
      std::string out;
      EXPECT_TRUE(ExportTm(*tm, f, [&](std::string_view c) { out.append(c); return true; }).ok());
      return out;
    }
    std::string ExportGlossaryAs(ExportFormat f) {
      std::string out;
      EXPECT_TRUE(ExportGlossary(*glossary, f, [&](std::string_view c) { out.append(c); return true; }).ok());
      return out;
    }
    // Everything the store holds, as text.
    std::string Snapshot() { return ExportTmAs(ExportFormat::kJsonl) + ExportGlossaryAs(ExportFormat::kJsonl); }
  };

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = files_.Sub(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static ImportOptions Options(bool dry_run = false) {
    ImportOptions o;
    o.dry_run = dry_run;
    o.author = "tester";
    o.now = "2026-11-25T07:00:00Z";
    return o;
  }

  TempDir files_;
};

struct BadFile {
  const char* name;
  std::string content;
  const char* message;  // Part of the error message.
};

TEST_F(InterchangeTest, TmxRoundTripReproducesTheTmExactly) {
  Db source(true);
  const std::string tmx = source.ExportTmAs(ExportFormat::kTmx);
  Db copy(false);
  Result<ImportSummary> s = ImportTm(*copy.store, *copy.tm, Write("tm.tmx", tmx), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->created, BundledSegmentCount());
  EXPECT_EQ(s->skipped, 0);
  EXPECT_EQ(s->format, "tmx");
  EXPECT_EQ(copy.ExportTmAs(ExportFormat::kTmx), tmx);
  EXPECT_EQ(copy.ExportTmAs(ExportFormat::kJsonl), source.ExportTmAs(ExportFormat::kJsonl));
  // Importing the same file again changes nothing and says so.
  s = ImportTm(*copy.store, *copy.tm, Write("tm.tmx", tmx), Options());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->unchanged, BundledSegmentCount());
  EXPECT_EQ(copy.ExportTmAs(ExportFormat::kTmx), tmx);
}

TEST_F(InterchangeTest, TbxRoundTripsReproduceTheGlossaryExactly) {
  Db source(true);
  for (ExportFormat f : {ExportFormat::kTbx, ExportFormat::kTbx2008}) {
    const std::string tbx = source.ExportGlossaryAs(f);
    Db copy(false);
    Result<ImportSummary> s = ImportGlossary(*copy.store, *copy.glossary, Write("g.tbx", tbx), Options());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->created, BundledTermCount());
    EXPECT_EQ(s->format, f == ExportFormat::kTbx ? "tbx" : "tbx2008");
    EXPECT_EQ(copy.ExportGlossaryAs(f), tbx);
    // Everything but the time of day of the audit fields (TBX dates are days) survives.
    EXPECT_EQ(copy.ExportGlossaryAs(ExportFormat::kCsv), source.ExportGlossaryAs(ExportFormat::kCsv));
  }
}

TEST_F(InterchangeTest, CsvRoundTripKeepsVariantsDefinitionsAndProvenance) {
  Db source(true);
  const std::string csv = source.ExportGlossaryAs(ExportFormat::kCsv);
  Db copy(false);
  Result<ImportSummary> s = ImportGlossary(*copy.store, *copy.glossary, Write("g.csv", csv), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->created, BundledTermCount());
  EXPECT_EQ(copy.ExportGlossaryAs(ExportFormat::kCsv), csv);
}

TEST_F(InterchangeTest, TmxWrittenByOmegaTImports) {
  Db db(false);
  for (const char* file : {"omegat-level2.tmx", "omegat-tmx11.tmx"}) {
    Result<ImportSummary> s = ImportTm(*db.store, *db.tm, std::string(HELUO_TEST_DATA_DIR) + "/" + file, Options());
    ASSERT_TRUE(s.ok()) << file << ": " << s.status().ToString();
    EXPECT_EQ(s->created + s->unchanged, 3) << file;
  }
  TmQuery q;
  q.text = "各位代表：";
  q.min_score = 100;
  Result<std::vector<TmMatch>> r = db.tm->Lookup(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].segment.target, "Fellow Deputies,");
}

// Trados and memoQ write UTF-16 with a byte order mark by default; tests/data holds such files (made with
// iconv from UTF-8, CRLF line ends as Windows tools write them).
TEST_F(InterchangeTest, Utf16TmxAndTbxImport) {
  Db db(false);
  for (const char* file : {"trados-utf16le.tmx", "utf16be.tmx"}) {
    Result<ImportSummary> s = ImportTm(*db.store, *db.tm, std::string(HELUO_TEST_DATA_DIR) + "/" + file, Options());
    ASSERT_TRUE(s.ok()) << file << ": " << s.status().ToString();
    EXPECT_EQ(s->format, "tmx") << file;
    EXPECT_EQ(s->created + s->unchanged, 2) << file;
    EXPECT_EQ(s->skipped, 0) << file;
  }
  TmQuery q;
  q.text = "二里头遗址博物馆正式开馆。";
  q.min_score = 100;
  Result<std::vector<TmMatch>> r = db.tm->Lookup(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].segment.target, "The Erlitou Site Museum officially opened.");
  EXPECT_EQ((*r)[0].segment.created_by, "TRANSLATOR\\lin");

  Result<ImportSummary> g =
      ImportGlossary(*db.store, *db.glossary, std::string(HELUO_TEST_DATA_DIR) + "/memoq-utf16le.tbx", Options());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->format, "tbx2008");
  EXPECT_EQ(g->created, 1);
  Result<std::vector<TermEntry>> e = db.glossary->Lookup("Erlitou Site", Language::kEn, {});
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].zh, "二里头遗址");
}

TEST_F(InterchangeTest, UndefinedEntitiesAndUtf16DelimitedTextAreRefusedWithTheirPlace) {
  Db db(true);
  const std::string before = db.Snapshot();
  // A file naming an external DTD may use entities Expat cannot see; their text must not vanish.
  const std::string tmx =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\"><header/><body>\n"
      "<tu tuid=\"nb\"><tuv xml:lang=\"zh-CN\"><seg>增长6.5%。</seg></tuv>"
      "<tuv xml:lang=\"en-US\"><seg>up&nbsp;6.5%.</seg></tuv></tu>\n</body></tmx>\n";
  Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("nbsp.tmx", tmx), Options());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("undefined entity &nbsp; at line 4, column"), std::string::npos)
      << s.status().message();
  EXPECT_EQ(db.Snapshot(), before);
  // The same unit with a character reference imports, the no-break space kept.
  std::string fixed = tmx;
  fixed.replace(fixed.find("&nbsp;"), 6, "&#160;");
  s = ImportTm(*db.store, *db.tm, Write("nbsp.tmx", fixed), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Segment> seg = db.tm->Get("nb");
  ASSERT_TRUE(seg.ok());
  EXPECT_EQ(seg->target, "up\u00a06.5%.");

  Db clean(true);
  const std::string clean_before = clean.Snapshot();
  const std::string utf16_tsv("\xff\xfe\x4f\x53\x09\x00\x61\x00\x0a\x00", 10);
  Result<ImportSummary> t = ImportGlossary(*clean.store, *clean.glossary, Write("g.txt", utf16_tsv), Options());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("UTF-16; save it as UTF-8"), std::string::npos) << t.status().message();
  EXPECT_EQ(clean.Snapshot(), clean_before);
}

TEST_F(InterchangeTest, OmegaTGlossaryLayoutImports) {
  Db db(false);
  Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary,
                                           Write("g.utf8", "# comment line\n协议\tagreement\tlaw\n甲方\tParty A\n\n"), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->created, 2);
  EXPECT_EQ(s->format, "tsv");
  Result<std::vector<TermEntry>> e = db.glossary->Lookup("Party A", Language::kEn, {});
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].zh, "甲方");
  EXPECT_EQ((*e)[0].created_by, "tester");
}

TEST_F(InterchangeTest, HeaderRowsAreRecognisedOrDeclaredNeverImportedAsData) {
  {
    Db db(false);
    Result<ImportSummary> s =
        ImportGlossary(*db.store, *db.glossary, Write("g.tsv", "中文\tEnglish\n协议\tagreement\n"), Options());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->created, 1);
    EXPECT_TRUE(db.glossary->Lookup("English", Language::kEn, {})->empty());
  }
  {
    Db db(false);  // A header may put English first; the columns follow it.
    Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary,
                                             Write("g.csv", "en,zh,note\nagreement,协议,law\n"), Options());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->format, "csv");
    Result<std::vector<TermEntry>> e = db.glossary->Lookup("协议", Language::kZh, {});
    ASSERT_TRUE(e.ok());
    ASSERT_EQ(e->size(), 1u);
    EXPECT_EQ((*e)[0].en, "agreement");
    EXPECT_EQ((*e)[0].note, "law");
  }
  {
    Db db(false);  // Declared absent: the first row is data, even when it looks like a header.
    ImportOptions o = Options();
    o.header = HeaderRow::kAbsent;
    Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary, Write("g.csv", "zh,en\n协议,agreement\n"), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->created, 2);
  }
  {
    Db db(false);  // Declared present: the first row is skipped, whatever it says.
    ImportOptions o = Options();
    o.header = HeaderRow::kPresent;
    Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("t.tsv", "Quelle\tZiel\n各位代表：\tFellow Deputies,\n"), o);
    EXPECT_FALSE(s.ok());  // "Quelle"/"Ziel" name no language: refused, not guessed.
    EXPECT_NE(s.status().message().find("line 1: the header row names no Chinese and English columns"),
              std::string::npos)
        << s.status().message();
    s = ImportTm(*db.store, *db.tm, Write("t.tsv", "source\ttarget\n各位代表：\tFellow Deputies,\n"), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->created, 1);
  }
}

TEST_F(InterchangeTest, RowsWithTheWrongColumnCountAreRefusedWithTheirLine) {
  Db db(true);
  const std::string before = db.Snapshot();
  const std::vector<BadFile> glossaries = {
      {"four tsv columns", "协议\tagreement\tlaw\n甲方\tParty A\tnote\textra\n",
       "line 2: the row has 4 columns; a glossary TSV row (Chinese, English and an optional comment) takes 2 to 3"},
      {"one tsv column", "协议\tagreement\n甲方\n", "line 2: the row has 1 column"},
      {"five csv columns", "zh,en\n协议,agreement,law,x,y\n", "line 2: the row has 5 columns"},
  };
  for (const BadFile& b : glossaries) {
    Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary, Write("g.txt", b.content), Options());
    ASSERT_FALSE(s.ok()) << b.name;
    EXPECT_NE(s.status().message().find(b.message), std::string::npos) << b.name << ": " << s.status().message();
    EXPECT_EQ(db.Snapshot(), before) << b.name;
  }
  // A third TM column is not silently taken as an id...
  Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("t.tsv", "新句子。\tA new sentence.\tfrom the web\n"), Options());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("line 1: the row has 3 columns"), std::string::npos) << s.status().message();
  EXPECT_EQ(db.Snapshot(), before);
  // ...but is one under a header naming it, as heluo's own TSV export writes.
  const std::string tsv = db.ExportTmAs(ExportFormat::kTsv);
  ASSERT_EQ(tsv.rfind("# source (zh-CN)\ttarget (en-US)\tid\n", 0), 0u);
  Db copy(false);
  s = ImportTm(*copy.store, *copy.tm, Write("t.tsv", tsv), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->created, BundledSegmentCount());
  EXPECT_TRUE(copy.tm->Get("yanshi-2021-0001").ok());
}

TEST_F(InterchangeTest, DryRunCountsTheSameAndWritesNothing) {
  Db source(true);
  const std::string tmx = source.ExportTmAs(ExportFormat::kTmx);
  Db copy(false);
  const std::string before = copy.Snapshot();
  Result<ImportSummary> dry = ImportTm(*copy.store, *copy.tm, Write("tm.tmx", tmx), Options(true));
  ASSERT_TRUE(dry.ok());
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(dry->created, BundledSegmentCount());
  EXPECT_EQ(copy.Snapshot(), before);
}

TEST_F(InterchangeTest, UnusableUnitsAreSkippedWithTheirLineAndColumn) {
  Db db(false);
  Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("t.tmx", R"(<?xml version="1.0"?>
<tmx version="1.4"><header srclang="zh-CN"/><body>
<tu tuid="a"><tuv xml:lang="zh"><seg>一句。</seg></tuv><tuv xml:lang="en-GB"><seg>One.</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="zh-Hans"><seg>两句。</seg></tuv><tuv xml:lang="fr"><seg>Deux.</seg></tuv></tu>
</body></tmx>)"), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->created, 1);
  EXPECT_EQ(s->skipped, 1);
  ASSERT_EQ(s->issues.size(), 1u);
  EXPECT_EQ(s->issues[0].line, 4);
  EXPECT_EQ(s->issues[0].unit_id, "b");
  EXPECT_NE(s->issues[0].reason.find("English"), std::string::npos);
}

TEST_F(InterchangeTest, BadFilesAreRefusedAndChangeNothing) {
  Db db(true);
  const std::string before = db.Snapshot();
  const std::string unit = R"(<tu tuid="x1"><tuv xml:lang="zh-CN"><seg>新句子。</seg></tuv><tuv xml:lang="en-US"><seg>New.</seg></tuv></tu>)";
  const std::string head = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body>\n";
  const std::vector<BadFile> bad = {
      {"malformed", head + unit + "\n<tu tuid=\"x2\"><tuv></tu>\n</body></tmx>", "malformed XML at line 4"},
      {"truncated", head + unit + "\n<tu tuid=\"x2\"><tuv xml:lang=\"zh-CN\"><se", "malformed XML"},
      {"duplicate tuid", head + unit + "\n" + unit + "\n</body></tmx>", "duplicate id 'x1'"},
      {"entity bomb",
       "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
       "<tmx version=\"1.4\"><header/><body>" + unit + "</body></tmx>",
       "entity declarations are not accepted"},
      {"invalid utf-8", head + "<tu tuid=\"x3\"><tuv xml:lang=\"zh-CN\"><seg>\xff\xfe</seg></tuv></tu></body></tmx>", "malformed XML"},
      {"no usable unit", head + "<tu tuid=\"x4\"><tuv xml:lang=\"de\"><seg>Satz.</seg></tuv></tu></body></tmx>",
       "no usable unit (1 skipped; the first at line 3, column 1: "},
      {"not tmx", "<?xml version=\"1.0\"?><martif/>", "imports from TMX"},
      {"empty", "", "empty"},
      {"control character", head + "<tu tuid=\"x5\"><tuv xml:lang=\"zh-CN\"><seg>坏&#1;句。</seg></tuv><tuv xml:lang=\"en-US\"><seg>Bad.</seg></tuv></tu></body></tmx>", ""},
  };
  for (const BadFile& b : bad) {
    Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("bad.tmx", b.content), Options());
    ASSERT_FALSE(s.ok()) << b.name;
    EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument) << b.name;
    EXPECT_NE(s.status().message().find(b.message), std::string::npos) << b.name << ": " << s.status().message();
    EXPECT_EQ(db.Snapshot(), before) << b.name << " changed the store";
  }
  const std::vector<BadFile> bad_glossaries = {
      {"wrong namespace", "<?xml version=\"1.0\"?><tbx xmlns=\"urn:example\"><text><body/></text></tbx>", "unknown TBX namespace"},
      {"unterminated csv", "zh,en\n\"三种心态,the three mindsets\n", "unterminated quoted field"},
      {"tbx without english",
       "<?xml version=\"1.0\"?><martif type=\"TBX-Basic\"><text><body><termEntry id=\"a\"><langSet xml:lang=\"zh\"><tig><term>词</term></tig></langSet></termEntry></body></text></martif>",
       "no usable entry"},
  };
  for (const BadFile& b : bad_glossaries) {
    Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary, Write("bad.txt", b.content), Options());
    ASSERT_FALSE(s.ok()) << b.name;
    EXPECT_NE(s.status().message().find(b.message), std::string::npos) << b.name << ": " << s.status().message();
    EXPECT_EQ(db.Snapshot(), before) << b.name << " changed the store";
  }
}

// Large enough to be staged in several transactions (StagedImport::kStagePairsPerTxn), so that the bad unit
// comes after pairs that were already committed as staged.
std::string LargeTmx(int units, int bad_at, const std::string& bad_unit) {
  std::string out = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body>\n";
  for (int i = 0; i < units; ++i) {
    if (i == bad_at) {
      out += bad_unit + "\n";
      continue;
    }
    out += "<tu tuid=\"big-" + std::to_string(i) + "\"><tuv xml:lang=\"zh-CN\"><seg>大文件第" + std::to_string(i) +
           "句，导入测试。</seg></tuv><tuv xml:lang=\"en-US\"><seg>Large file, sentence " + std::to_string(i) +
           ".</seg></tuv></tu>\n";
  }
  return out + "</body></tmx>\n";
}

TEST_F(InterchangeTest, ABadUnitNearTheEndOfALargeFileImportsNothingAndIsNamedByLineAndColumn) {
  Db db(true);
  const std::string before = DumpStore(*db.store);
  constexpr int kUnits = 45000, kBadAt = 44990;  // The unit on line kBadAt + 3.
  const std::string line = "line " + std::to_string(kBadAt + 3);
  const std::vector<BadFile> bad = {
      {"malformed unit", LargeTmx(kUnits, kBadAt, "<tu tuid=\"bad\"><tuv xml:lang=\"zh-CN\"><seg>坏</tuv></tu>"), "malformed XML"},
      {"invalid utf-8",
       LargeTmx(kUnits, kBadAt, "<tu tuid=\"bad\"><tuv xml:lang=\"zh-CN\"><seg>坏\xff\xfe句。</seg></tuv><tuv xml:lang=\"en-US\"><seg>Bad.</seg></tuv></tu>"),
       "malformed XML"},
      {"empty source after folding",
       LargeTmx(kUnits, kBadAt, "<tu tuid=\"bad\"><tuv xml:lang=\"zh-CN\"><seg>“”</seg></tuv><tuv xml:lang=\"en-US\"><seg>Bad.</seg></tuv></tu>"),
       "non-empty source"},
      {"duplicate id", LargeTmx(kUnits, kBadAt, "<tu tuid=\"big-7\"><tuv xml:lang=\"zh-CN\"><seg>重复。</seg></tuv><tuv xml:lang=\"en-US\"><seg>Again.</seg></tuv></tu>"),
       "duplicate id 'big-7'"},
  };
  for (const BadFile& b : bad) {
    const int runs = b.message == std::string("malformed XML") ? 2 : 1;  // The second one a dry run.
    for (int run = 0; run < runs; ++run) {
      const bool dry_run = run == 1;
      Result<ImportSummary> s = ImportTm(*db.store, *db.tm, Write("big.tmx", b.content), Options(dry_run));
      ASSERT_FALSE(s.ok()) << b.name;
      EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument) << b.name;
      EXPECT_NE(s.status().message().find(b.message), std::string::npos) << b.name << ": " << s.status().message();
      EXPECT_NE(s.status().message().find(line + ", column "), std::string::npos) << b.name << ": " << s.status().message();
      EXPECT_EQ(DumpStore(*db.store), before) << b.name << " left a trace";
    }
  }
  // A dry run of the good file counts everything and leaves nothing; the real import shows it all.
  const std::string good = Write("good.tmx", LargeTmx(kUnits, -1, ""));
  Result<ImportSummary> dry = ImportTm(*db.store, *db.tm, good, Options(true));
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_EQ(dry->created, kUnits);
  EXPECT_EQ(DumpStore(*db.store), before);
  Result<ImportSummary> real = ImportTm(*db.store, *db.tm, good, Options());
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  EXPECT_EQ(real->created, kUnits);
  EXPECT_TRUE(StagedLeftovers(*db.store).empty());
  EXPECT_EQ(db.tm->Get("big-44999")->target, "Large file, sentence 44999.");
  EXPECT_EQ(db.tm->Get("big-44999")->previous_id, "big-44998");
  EXPECT_EQ(db.tm->Get("big-0")->next_id, "big-1");
  // Again with every tenth pair changed: those are updated, the rest unchanged, and nothing is left over.
  std::string changed = LargeTmx(kUnits, -1, "");
  for (size_t at = changed.find("0.</seg>"); at != std::string::npos; at = changed.find("0.</seg>", at + 1)) {
    changed.replace(at, 2, "0!");
  }
  Result<ImportSummary> again = ImportTm(*db.store, *db.tm, Write("changed.tmx", changed), Options());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->updated, kUnits / 10);
  EXPECT_EQ(again->unchanged, kUnits - kUnits / 10);
  EXPECT_EQ(db.tm->Get("big-44990")->target, "Large file, sentence 44990!");
  EXPECT_TRUE(StagedLeftovers(*db.store).empty());
  int exported = 0;
  ASSERT_TRUE(db.tm->ForEach([&](const Segment&) { return ++exported > 0; }).ok());
  EXPECT_EQ(exported, BundledSegmentCount() + kUnits);
}

TEST_F(InterchangeTest, ExportsAreWellFormedAndCarryProvenance) {
  Db db(true);
  const std::string tbx = db.ExportGlossaryAs(ExportFormat::kTbx);
  EXPECT_NE(tbx.find("xmlns=\"urn:iso:std:iso:30042:ed-2\""), std::string::npos);
  EXPECT_NE(tbx.find("<conceptEntry id=\"sanzhong-xintai\">"), std::string::npos);
  EXPECT_NE(tbx.find("<note>rendering_status: established</note>"), std::string::npos);
  EXPECT_NE(tbx.find("<admin type=\"source\">"), std::string::npos);
  EXPECT_NE(tbx.find("<termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>"), std::string::npos);
  EXPECT_NE(tbx.find("<transac type=\"transactionType\">origination</transac>"), std::string::npos);
  const std::string tsv = db.ExportGlossaryAs(ExportFormat::kTsv);
  EXPECT_NE(tsv.find("三种心态\tthe three mindsets\t"), std::string::npos);
  EXPECT_NE(tsv.find("rendering: established"), std::string::npos);
  const std::string tmx = db.ExportTmAs(ExportFormat::kTmx);
  for (const char* attr : {"creationtool=", "creationtoolversion=", "segtype=", "o-tmf=", "adminlang=", "srclang=", "datatype="}) {
    EXPECT_NE(tmx.find(attr), std::string::npos) << attr;
  }
  // Stopping the sink stops the export with a clear status.
  Status stopped = ExportTm(*db.tm, ExportFormat::kTmx, [](std::string_view) { return false; });
  EXPECT_EQ(stopped.code(), Status::Code::kFailedPrecondition);
}

// Every format keeps every term status: the deprecated and forbidden renderings and the two flags.
TEST_F(InterchangeTest, EveryFormatRoundTripKeepsTermStatuses) {
  Db source(false);
  TermEntry a;
  a.id = "liuwen";
  a.collection = "status";
  a.zh = "六稳";
  a.en = "stability on six fronts";
  a.en_variants = {"six-front stability"};
  a.en_deprecated = {"six stabilities", "six stables"};
  a.en_forbidden = {"six steadies"};
  a.case_sensitive = true;
  a.rendering_status = RenderingStatus::kProject;
  TermEntry b;
  b.id = "huawei";
  b.collection = "status";
  b.zh = "华为";
  b.en = "Huawei";
  b.do_not_translate = true;
  b.rendering_status = RenderingStatus::kEstablished;
  ASSERT_TRUE(source.store->Write([&](LmdbTxn& txn) -> Status {
    HELUO_RETURN_IF_ERROR(source.glossary->Put(txn, a));
    return source.glossary->Put(txn, b);
  }).ok());
  // TSV (OmegaT's layout) carries neither ids nor variants: `full` false leaves them out, sorted by zh.
  auto statuses = [](Db& db, bool full = true) {
    std::map<std::string, std::string> lines;
    EXPECT_TRUE(db.glossary->ForEach([&](const TermEntry& e) {
      std::string out = (full ? e.id + " " : "") + e.en + " [";
      for (const auto& v : e.en_variants) out += full ? v + "," : "";
      out += "] D[";
      for (const auto& v : e.en_deprecated) out += v + ",";
      out += "] F[";
      for (const auto& v : e.en_forbidden) out += v + ",";
      out += "] " + std::to_string(e.do_not_translate) + std::to_string(e.case_sensitive) + "\n";
      lines[full ? e.id : e.zh] = out;
      return true;
    }).ok());
    std::string all;
    for (const auto& [key, line] : lines) all += line;
    return all;
  };
  const std::string want = statuses(source);
  ASSERT_NE(want.find("D[six stabilities,six stables,] F[six steadies,] 01"), std::string::npos) << want;
  const std::string jsonl = source.ExportGlossaryAs(ExportFormat::kJsonl);
  for (ExportFormat f : {ExportFormat::kTbx, ExportFormat::kTbx2008, ExportFormat::kCsv, ExportFormat::kTsv}) {
    const std::string file = source.ExportGlossaryAs(f);
    Db copy(false);
    ImportOptions o = Options();
    o.collection = "status";
    const char* name = f == ExportFormat::kCsv ? "g.csv" : f == ExportFormat::kTsv ? "g.tsv" : "g.tbx";
    Result<ImportSummary> s = ImportGlossary(*copy.store, *copy.glossary, Write(name, file), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString() << "\n" << file;
    EXPECT_EQ(s->created, 2);
    if (f == ExportFormat::kTsv) {
      EXPECT_EQ(statuses(copy, false), statuses(source, false)) << file;
      continue;
    }
    EXPECT_EQ(statuses(copy), want) << file;
  }
  // JSONL: what the bundle loader reads.
  Result<std::vector<TermEntry>> parsed = ParseGlossaryJsonl(jsonl, "status");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  Db copy(false);
  ASSERT_TRUE(copy.store->Write([&](LmdbTxn& txn) -> Status {
    for (const TermEntry& e : *parsed) HELUO_RETURN_IF_ERROR(copy.glossary->Put(txn, e));
    return Status::Ok();
  }).ok());
  EXPECT_EQ(statuses(copy), want);
  // TBX marks them with the standard administrativeStatus values.
  const std::string tbx = source.ExportGlossaryAs(ExportFormat::kTbx2008);
  EXPECT_NE(tbx.find("<term>six stabilities</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>"),
            std::string::npos);
  EXPECT_NE(tbx.find("<term>six steadies</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>"
                     "<termNote type=\"usageNote\">forbidden</termNote>"),
            std::string::npos);
  EXPECT_NE(tbx.find("<note>do_not_translate: yes</note>"), std::string::npos);
}

// A third-party TBX: superseded terms read as deprecated, and a deprecated term listed first never becomes
// the rendering.
TEST_F(InterchangeTest, ThirdPartyTbxStatusesImport) {
  Db db(false);
  const std::string tbx = R"(<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="c1">
<langSet xml:lang="zh"><tig><term>六稳</term></tig></langSet>
<langSet xml:lang="en">
<tig><term>six stabilities</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
<tig><term>six steadies</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
<tig><term>stability on six fronts</term></tig>
<tig><term>six-front stability</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
</langSet></termEntry>
</body></text></martif>
)";
  Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary, Write("g.tbx", tbx), Options());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<TermEntry> e = db.glossary->Get("c1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->en, "stability on six fronts");
  EXPECT_EQ(e->en_variants, std::vector<std::string>{"six-front stability"});
  EXPECT_EQ(e->en_deprecated, (std::vector<std::string>{"six stabilities", "six steadies"}));
  EXPECT_TRUE(e->en_forbidden.empty());
}

TEST_F(InterchangeTest, BadTermStatusesAreRefusedAndNothingIsWritten) {
  Db db(true);
  const std::string before = db.Snapshot();
  const std::vector<BadFile> bad = {
      {"unknown tsv status item", "# zh\ten\tcomment\tstatus\n协议\tagreement\t\tobsolete: pact\n",
       "line 2: unknown status item \"obsolete: pact\""},
      {"csv flag not yes or no",
       "id,zh,en,zh_variants,en_variants,definition_zh,definition_en,rendering_status,source_outlet,source_title,"
       "source_url,source_date,note,en_deprecated,en_forbidden,do_not_translate,case_sensitive\n"
       "x1,协议,agreement,,,,,project,,,,,,pact,,maybe,\n",
       "do_not_translate must be \"yes\", \"no\" or empty"},
      {"tbx rendering both preferred and deprecated",
       "<martif type=\"TBX\"><text><body><termEntry id=\"c1\"><langSet xml:lang=\"zh\"><tig><term>协议</term></tig>"
       "</langSet><langSet xml:lang=\"en\"><tig><term>agreement</term></tig><tig><term>Agreement</term>"
       "<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote></tig></langSet></termEntry>"
       "</body></text></martif>\n",
       "is in both en and en_deprecated"},
  };
  for (const BadFile& b : bad) {
    const bool csv = std::string(b.name).rfind("csv", 0) == 0;
    Result<ImportSummary> s = ImportGlossary(*db.store, *db.glossary, Write(csv ? "bad.csv" : "bad.txt", b.content), Options());
    ASSERT_FALSE(s.ok()) << b.name;
    EXPECT_NE(s.status().message().find(b.message), std::string::npos) << b.name << ": " << s.status().message();
    EXPECT_EQ(db.Snapshot(), before) << b.name << " changed the store";
  }
}

}  // namespace
}  // namespace heluo
