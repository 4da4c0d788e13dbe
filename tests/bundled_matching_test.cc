// Matching against the bundled content, as a translator would meet it: glossary terms in report sentences,
// report sentences retyped in Traditional script or full-width characters, and sentences with new figures.
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include "server/core/bundle.h"
#include "server/core/term_recognizer.h"
#include "server/core/translation_memory.h"
#include "tests/temp_dir.h"

namespace heluo {
namespace {

class BundledMatchingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    store_ = Store::Open(dir_->path())->release();
    ASSERT_TRUE(ImportBundleOnce(*store_, EmbeddedBundle()).ok());
    recognizer_ = new TermRecognizer(store_);
    ASSERT_TRUE(recognizer_->Rebuild().ok());
    tm_ = new TranslationMemory(store_, recognizer_);
    std::string token;
    do {
      Result<SegmentPage> page = tm_->List(500, token);
      ASSERT_TRUE(page.ok());
      segments_.insert(segments_.end(), page->segments.begin(), page->segments.end());
      token = page->next_page_token;
    } while (!token.empty());
  }
  static void TearDownTestSuite() {
    delete tm_;
    delete recognizer_;
    delete store_;
    delete dir_;
  }

  static TempDir* dir_;
  static Store* store_;
  static TermRecognizer* recognizer_;
  static TranslationMemory* tm_;
  static std::vector<Segment> segments_;
};

TempDir* BundledMatchingTest::dir_;
Store* BundledMatchingTest::store_;
TermRecognizer* BundledMatchingTest::recognizer_;
TranslationMemory* BundledMatchingTest::tm_;
std::vector<Segment> BundledMatchingTest::segments_;

TEST_F(BundledMatchingTest, EveryReportGlossaryHeadwordIsRecognisedWhereTheReportUsesIt) {
  Glossary glossary(store_);
  Result<TermPage> page = glossary.List(500, "");
  ASSERT_TRUE(page.ok());
  int report_entries = 0;
  for (const TermEntry& e : page->entries) {
    if (e.kind != "report-glossary") continue;
    ++report_entries;
    std::vector<std::string> keys;
    for (const std::string& form : [&] { auto v = e.zh_variants; v.push_back(e.zh); return v; }()) {
      keys.push_back(*Normalizer::Get().Key(form));
    }
    int uses = 0;
    for (const Segment& s : segments_) {
      const std::string key = *Normalizer::Get().Key(s.source);
      if (std::none_of(keys.begin(), keys.end(), [&](const std::string& k) { return key.find(k) != std::string::npos; })) {
        continue;
      }
      ++uses;
      Result<std::vector<TermHit>> hits = recognizer_->Recognize(s.source, Language::kZh, /*overlapping=*/true);
      ASSERT_TRUE(hits.ok());
      EXPECT_TRUE(std::any_of(hits->begin(), hits->end(), [&](const TermHit& h) { return h.term_id == e.id; }))
          << e.id << " not recognised in " << s.id << ": " << s.source;
    }
    EXPECT_GT(uses, 0) << e.zh << " occurs in no report sentence";
  }
  EXPECT_EQ(report_entries, 24);
}

std::string Transliterate(const char* id, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(id, UTRANS_FORWARD, status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

TEST_F(BundledMatchingTest, TraditionalAndFullWidthRetypingsFindTheirPairAtNinetyFiveOrMore) {
  int traditional_changed = 0, width_changed = 0, fuzzy_instead = 0;
  for (const Segment& s : segments_) {
    for (const char* id : {"Simplified-Traditional", "Halfwidth-Fullwidth"}) {
      const std::string variant = Transliterate(id, s.source);
      if (variant == s.source) continue;
      (id[0] == 'S' ? traditional_changed : width_changed)++;
      TmQuery q;
      q.text = variant;
      q.min_score = 95;
      Result<std::vector<TmMatch>> r = tm_->Lookup(q);
      ASSERT_TRUE(r.ok());
      ASSERT_FALSE(r->empty()) << id << " of " << s.id << " found nothing: " << variant;
      const TmMatch& best = (*r)[0];
      EXPECT_EQ(best.segment.source, s.source) << s.id;  // (Duplicate sources share the same text.)
      EXPECT_GE(best.score, 95);
      EXPECT_LT(best.score, 100) << "folding must cost a named penalty";
      if (best.kind == MatchKind::kFuzzy) {
        // Simplified→Traditional is not always reversible (沉 → 沈, and 沈 is also a Simplified surname):
        // such a retyping folds to a different key and comes back as a high fuzzy match instead.
        ++fuzzy_instead;
        continue;
      }
      // Halfwidth-Fullwidth also turns spaces into ideographic spaces: then the penalty is for whitespace.
      std::u32string a, b;
      ASSERT_TRUE(DecodeUtf8(variant, &a).ok() && DecodeUtf8(s.source, &b).ok());
      bool only_spaces = a.size() == b.size();
      for (size_t i = 0; i < a.size() && only_spaces; ++i) only_spaces = a[i] == b[i] || b[i] == U' ';
      const std::string want = id[0] == 'S' ? "script" : only_spaces ? "whitespace" : "width";
      EXPECT_TRUE(std::any_of(best.penalties.begin(), best.penalties.end(), [&](const Penalty& p) { return p.name == want; }))
          << s.id << " lacks the " << want << " penalty";
    }
  }
  EXPECT_GT(traditional_changed, 350);
  EXPECT_GT(width_changed, 150);
  EXPECT_LT(fuzzy_instead, 20) << "irreversible script folding should be the exception";
}

TEST_F(BundledMatchingTest, ChangedFiguresGiveAPlaceableMatchWithSubstitutedEnglish) {
  int tried = 0, substituted = 0;
  for (const Segment& s : segments_) {
    // Change every figure that the English also writes literally (e.g. 227 → 228).
    std::string query = s.source;
    bool changed = false;
    // Byte ranges covered by glossary terms: their figures ("9+2") are not placeables.
    Result<std::vector<TermHit>> terms = recognizer_->Recognize(s.source, Language::kAny, true);
    ASSERT_TRUE(terms.ok());
    std::vector<std::pair<size_t, size_t>> term_bytes;
    for (const TermHit& h : *terms) {
      const size_t at = s.source.find(h.surface);
      if (at != std::string::npos) term_bytes.emplace_back(at, at + h.surface.size());
    }
    for (size_t i = 0; i < query.size(); ++i) {
      if (query[i] < '1' || query[i] > '8' || (i > 0 && (isalnum(static_cast<unsigned char>(query[i - 1])) || query[i - 1] == '.' || query[i - 1] == '+'))) continue;
      if (std::any_of(term_bytes.begin(), term_bytes.end(), [&](auto r) { return i >= r.first && i < r.second; })) continue;
      size_t end = i;
      while (end < query.size() && (isdigit(static_cast<unsigned char>(query[end])) || query[end] == '.')) ++end;
      const std::string number = query.substr(i, end - i);
      // House style spells one to nine out in running text ("two new projects"), and substitution works on
      // figures, so such a digit is not a placeable to test here.
      const auto literal_in_target = [&] {
        for (size_t at = s.target.find(number); at != std::string::npos; at = s.target.find(number, at + 1)) {
          const bool left = at == 0 || !isdigit(static_cast<unsigned char>(s.target[at - 1]));
          const size_t after = at + number.size();
          if (left && (after == s.target.size() || !isdigit(static_cast<unsigned char>(s.target[after]))))
            return true;
        }
        return false;
      };
      if (number.find('.') != std::string::npos || number.size() > 3 ||
          (end < query.size() && isalpha(static_cast<unsigned char>(query[end]))) ||
          (number.size() == 1 && !literal_in_target())) {
        i = end;
        continue;
      }
      query[end - 1] = static_cast<char>(query[end - 1] == '9' ? '8' : query[end - 1] + 1);
      changed = true;
      i = end;
    }
    if (!changed) continue;
    ++tried;
    TmQuery q;
    q.text = query;
    q.min_score = 50;
    Result<std::vector<TmMatch>> r = tm_->Lookup(q);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->empty()) << s.id;
    const TmMatch& best = (*r)[0];
    EXPECT_EQ(best.segment.id, s.id) << query;
    EXPECT_TRUE(best.placeable) << s.id << ": " << query;
    const bool all_applied = std::all_of(best.substitutions.begin(), best.substitutions.end(),
                                         [](const NumberSubstitution& n) { return n.applied; });
    if (all_applied) {
      EXPECT_NE(best.substituted_target, s.target) << s.id;
      ++substituted;
    }
  }
  EXPECT_GT(tried, 20);
  EXPECT_GT(substituted, tried / 2);
}

}  // namespace
}  // namespace heluo
