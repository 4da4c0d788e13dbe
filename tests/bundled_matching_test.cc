// Matching against the bundled content, as a translator would meet it: glossary terms in report sentences,
// report sentences retyped in Traditional script or full-width characters, and sentences with new figures.
#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <random>

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

TEST_F(BundledMatchingTest, IssueExampleGivesEighteenBillionYuan) {
  struct Case {
    const char* query;
    const char* id;
    const char* want;
  };
  for (const Case& c : {Case{"实施重点项目 130 个，完成投资 180 亿元，竣工 35 个。", "yanshi-2021-0012",
                             "We carried out 130 key projects, completing 18 billion yuan of investment; 35 of these "
                             "projects were completed."},
                        Case{"减免大中小微企业社保费9000万元、水电气费2534万元。", "yanshi-2021-0022",
                             "We reduced or waived 90 million yuan of social insurance premiums and 25.34 million yuan "
                             "of water, electricity and gas charges for large, medium, small and micro enterprises."}}) {
    TmQuery q;
    q.text = c.query;
    q.min_score = 50;
    Result<std::vector<TmMatch>> r = tm_->Lookup(q);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->empty());
    EXPECT_EQ((*r)[0].segment.id, c.id);
    EXPECT_TRUE((*r)[0].placeable) << c.query;
    EXPECT_EQ((*r)[0].substituted_target, c.want);
  }
}

// --- The figures property test --------------------------------------------------------------------------
// Every report pair whose Chinese holds figures is looked up with each figure changed at random (value,
// decimals, and for 万/亿 amounts the magnitude). The substituted English must hold every new figure converted
// by the rules of data/tm/CONVENTIONS.md — computed below with its own exact arithmetic, not by the core — and
// no longer the old one; or the match must say which figures were not carried over and offer no substituted
// target. Never an old figure presented as new. HELUO_FIGURES_SEEDS=N runs N rounds (default 3) and prints
// every pair whose figures were not all carried over, with the reason (docs/matching.md quotes the result).

// A number as digits and a power of ten: 17.8亿 is {"178", 7}.
struct Exact {
  std::string digits;
  int power = 0;
};

Exact ExactOf(const std::string& written, int magnitude) {
  Exact e;
  int decimals = 0;
  bool after_point = false;
  for (char c : written) {
    if (c == '.') after_point = true;
    if (!isdigit(static_cast<unsigned char>(c))) continue;
    e.digits.push_back(c);
    if (after_point) ++decimals;
  }
  e.power = magnitude - decimals;
  return e;
}

// The value divided by 10^unit, in plain decimal notation without needless zeros; `group` adds commas.
std::string Format(const Exact& e, int unit, bool group) {
  std::string digits = e.digits;
  int power = e.power - unit;
  if (power >= 0) digits += std::string(static_cast<size_t>(power), '0');
  std::string whole = digits, fraction;
  if (power < 0) {
    const size_t cut = static_cast<size_t>(-power);
    if (digits.size() <= cut) digits = std::string(cut - digits.size() + 1, '0') + digits;
    whole = digits.substr(0, digits.size() - cut);
    fraction = digits.substr(digits.size() - cut);
  }
  while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (group) {
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
      if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
      grouped.push_back(whole[i]);
    }
    whole = grouped;
  }
  return fraction.empty() ? whole : whole + "." + fraction;
}

// Digits before the decimal point of value / 10^unit (0 when below 1).
int WholeDigits(const Exact& e, int unit) {
  const int lead = static_cast<int>(e.digits.size()) - 1 + e.power - unit;
  return lead < 0 ? 0 : lead + 1;
}

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

enum class TestKind { kAmount, kCount, kPercent, kMonth, kDay, kYear, kOrdinal };

// One figure of a report sentence as this test reads it.
struct TestFigure {
  size_t begin = 0, end = 0;  // Bytes of the number and its magnitude in the sentence.
  std::string number;
  int magnitude = 0;          // 4 万, 8 亿, 12 万亿.
  TestKind kind = TestKind::kCount;
  bool kg = false;  // 公斤 follows: the English gives the weight in tonnes.
};

bool Next(const std::string& s, size_t at, const char* what) { return s.compare(at, strlen(what), what) == 0; }

std::vector<TestFigure> FiguresOf(const std::string& zh, const std::vector<std::pair<size_t, size_t>>& skip) {
  std::vector<TestFigure> out;
  for (size_t i = 0; i < zh.size();) {
    const bool starts = isdigit(static_cast<unsigned char>(zh[i])) &&
                        (i == 0 || !(isalnum(static_cast<unsigned char>(zh[i - 1])) || zh[i - 1] == '.' ||
                                     zh[i - 1] == '+' || zh[i - 1] == ','));
    if (!starts) {
      ++i;
      continue;
    }
    TestFigure f;
    f.begin = i;
    size_t j = i;
    while (j < zh.size() && (isdigit(static_cast<unsigned char>(zh[j])) ||
                             ((zh[j] == '.' || zh[j] == ',') && j + 1 < zh.size() && isdigit(static_cast<unsigned char>(zh[j + 1])))))
      ++j;
    f.number = zh.substr(i, j - i);
    const bool in_term = std::any_of(skip.begin(), skip.end(), [&](auto r) { return i < r.second && j > r.first; });
    const bool glued = j < zh.size() && (isalpha(static_cast<unsigned char>(zh[j])) || zh[j] == '+');
    size_t k = j;
    if (Next(zh, k, "余") || Next(zh, k, "多")) k += 3;
    if (Next(zh, k, "万亿")) f.magnitude = 12, k += 6;
    else if (Next(zh, k, "亿")) f.magnitude = 8, k += 3;
    else if (Next(zh, k, "万")) f.magnitude = 4, k += 3;
    f.end = f.magnitude > 0 ? k : j;
    f.kg = Next(zh, k, "公斤");
    const bool integer = f.number.find('.') == std::string::npos && f.number.find(',') == std::string::npos;
    if (f.magnitude > 0) f.kind = TestKind::kAmount;
    else if (Next(zh, j, "%") || Next(zh, j, "个百分点")) f.kind = TestKind::kPercent;
    else if (Next(zh, j, "月") && integer && std::stoi(f.number) >= 1 && std::stoi(f.number) <= 12) f.kind = TestKind::kMonth;
    else if (Next(zh, j, "日") && integer) f.kind = TestKind::kDay;
    else if (f.number.size() == 4 && integer && (Next(zh, j, "年") || Next(zh, j, "—") || (i >= 3 && Next(zh, i - 3, "—")))) f.kind = TestKind::kYear;
    else if ((i >= 3 && Next(zh, i - 3, "第")) || Next(zh, j, "周年")) f.kind = TestKind::kOrdinal;
    else f.kind = TestKind::kCount;
    if (!in_term && !glued) out.push_back(f);
    i = j;
  }
  return out;
}

// A new figure for `f`: a different value of the same kind, magnitudes of amounts moved within 万..亿.
TestFigure Change(const TestFigure& f, std::mt19937* rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(*rng); };
  TestFigure n = f;
  for (;;) {
    switch (f.kind) {
      case TestKind::kMonth: n.number = std::to_string(pick(1, 12)); break;
      case TestKind::kDay: n.number = std::to_string(pick(1, 28)); break;
      case TestKind::kYear: n.number = std::to_string(std::stoi(f.number) + pick(-5, 5)); break;
      case TestKind::kOrdinal: n.number = std::to_string(pick(1, 30)); break;
      case TestKind::kPercent: {
        const int decimals = pick(0, 2);
        const int v = pick(1, decimals == 0 ? 99 : decimals == 1 ? 999 : 9999);
        n.number = Format(Exact{std::to_string(v), -decimals}, 0, false);
        break;
      }
      case TestKind::kAmount: {
        if (f.magnitude != 12 && pick(0, 3) == 0) n.magnitude = f.magnitude == 8 ? 4 : 8;
        const int decimals = pick(0, 2);
        const int v = pick(1, 99999);
        n.number = Format(Exact{std::to_string(v), -decimals}, 0, false);
        break;
      }
      case TestKind::kCount: {
        const bool decimal = f.number.find('.') != std::string::npos;
        n.number = decimal ? Format(Exact{std::to_string(pick(1, 9999)), -pick(1, 2)}, 0, false)
                           : std::to_string(pick(2, 20000));
        break;
      }
    }
    const Exact a = ExactOf(f.number, f.magnitude), b = ExactOf(n.number, n.magnitude);
    if (Format(a, 0, false) != Format(b, 0, false)) return n;
  }
}

// How the English may write the figure under the conventions: billions, millions, plain (with or without
// commas); weights in 公斤 as tonnes; counts of one to nine in words; percent as "N percent" or "N%"; months
// by name; ordinals with their suffix.
std::vector<std::string> Renderings(const TestFigure& f) {
  const Exact e = ExactOf(f.number, f.magnitude);
  std::vector<std::string> out;
  switch (f.kind) {
    case TestKind::kMonth: return {kMonths[std::stoi(f.number) - 1]};
    case TestKind::kOrdinal: {
      const int n = std::stoi(f.number);
      const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
      return {std::to_string(n) + suffix};
    }
    case TestKind::kPercent: return {Format(e, 0, false) + " percent", Format(e, 0, false) + "%", Format(e, 0, false) + " percentage point"};
    default: break;
  }
  // A count of one to nine may be spelled out in running text (the house style), "Two" at a sentence start.
  static const char* const kSmall[] = {"one", "two",   "three", "four", "five",
                                       "six", "seven", "eight", "nine"};
  const std::string plain = Format(e, 0, false);
  if (f.kind == TestKind::kCount && plain.size() == 1 && plain[0] >= '1' && plain[0] <= '9') {
    std::string word = kSmall[plain[0] - '1'];
    out.push_back(word);
    word[0] = static_cast<char>(word[0] - 'a' + 'A');
    out.push_back(word);
  }
  auto add = [&](const Exact& x, const std::string& suffix) {
    for (auto [unit, word] : {std::pair{12, " trillion"}, {9, " billion"}, {6, " million"}}) {
      if (WholeDigits(x, unit) >= 1) out.push_back(Format(x, unit, true) + word + suffix);
    }
    out.push_back(Format(x, 0, true) + suffix);
    out.push_back(Format(x, 0, false) + suffix);
  };
  add(e, "");
  if (f.kg) add(Exact{e.digits, e.power - 3}, " tonnes");  // 公斤 in 万/亿 are tonnes (the conventions).
  return out;
}

// Occurrences of `r` in `en` as a whole figure (not part of a longer number or word).
int Count(const std::string& en, const std::string& r) {
  int n = 0;
  for (size_t at = en.find(r); at != std::string::npos; at = en.find(r, at + 1)) {
    const size_t end = at + r.size();
    const bool left = at == 0 || !(isalnum(static_cast<unsigned char>(en[at - 1])) || en[at - 1] == '.' || en[at - 1] == ',');
    const bool right = end >= en.size() || !(isalnum(static_cast<unsigned char>(en[end])) ||
                                           ((en[end] == '.' || en[end] == ',') && end + 1 < en.size() && isdigit(static_cast<unsigned char>(en[end + 1]))) ||
                                           Next(en, end, " billion") || Next(en, end, " million") || Next(en, end, " trillion"));
    const bool quoted_word = isalpha(static_cast<unsigned char>(r[0])) && at > 0 && en[at - 1] == '"';
    if (left && right && !quoted_word) ++n;  // ("Two Healthy Developments" is a name, not a figure.)
  }
  return n;
}

int CountAny(const std::string& en, const TestFigure& f) {
  int n = 0;
  for (const std::string& r : Renderings(f)) n = std::max(n, Count(en, r));
  return n;
}

TEST_F(BundledMatchingTest, ChangedFiguresAreConvertedIntoTheTargetOrReportedAsNotCarriedOver) {
  const char* env = std::getenv("HELUO_FIGURES_SEEDS");
  const int rounds = env ? std::max(1, std::atoi(env)) : 3;
  const bool verbose = env != nullptr;
  int tried = 0, carried = 0, not_carried = 0, not_found = 0;
  std::map<std::string, int> reasons;
  for (int round = 0; round < rounds; ++round) {
    std::mt19937 rng(static_cast<uint32_t>(20210428 + round));
    for (const Segment& s : segments_) {
      Result<std::vector<TermHit>> terms = recognizer_->Recognize(s.source, Language::kAny, true);
      ASSERT_TRUE(terms.ok());
      std::vector<std::pair<size_t, size_t>> term_bytes;
      for (const TermHit& h : *terms) {
        for (size_t at = s.source.find(h.surface); at != std::string::npos; at = s.source.find(h.surface, at + 1))
          term_bytes.emplace_back(at, at + h.surface.size());
      }
      const std::vector<TestFigure> old_figures = FiguresOf(s.source, term_bytes);
      if (old_figures.empty()) continue;
      std::vector<TestFigure> new_figures;
      std::string query = s.source;
      for (auto it = old_figures.rbegin(); it != old_figures.rend(); ++it) {
        TestFigure n = Change(*it, &rng);
        const std::string mag = n.magnitude == 12 ? "万亿" : n.magnitude == 8 ? "亿" : n.magnitude == 4 ? "万" : "";
        query.replace(it->begin, it->end - it->begin, n.number + mag);
        new_figures.insert(new_figures.begin(), n);
      }
      ++tried;
      TmQuery q;
      q.text = query;
      q.min_score = 30;
      q.max_results = 10;
      Result<std::vector<TmMatch>> r = tm_->Lookup(q);
      ASSERT_TRUE(r.ok());
      auto it = std::find_if(r->begin(), r->end(), [&](const TmMatch& m) { return m.segment.source == s.source; });
      if (it == r->end() || it->substitutions.empty()) {
        ++not_found;
        ++reasons["no figures-only match found"];
        if (verbose) std::cout << "NOT FOUND " << s.id << ": " << query << "\n";
        continue;
      }
      const TmMatch& m = *it;
      if (!m.placeable) {
        // Not carried over: said so, with a reason, and no substituted target offered.
        EXPECT_TRUE(m.substituted_target.empty()) << s.id;
        bool some_unapplied = false;
        for (const NumberSubstitution& n : m.substitutions) {
          if (n.applied) continue;
          some_unapplied = true;
          EXPECT_FALSE(n.reason.empty()) << s.id;
          ++reasons[n.reason.substr(0, n.reason.find(' ', 30))];
          if (verbose) std::cout << "NOT CARRIED " << s.id << ": " << n.stored << " → " << n.query << ": " << n.reason << "\n";
        }
        EXPECT_TRUE(some_unapplied) << s.id;
        ++not_carried;
        continue;
      }
      // Carried over: every new figure is in the English, converted, and the old one is gone.
      ++carried;
      if (std::getenv("HELUO_FIGURES_SHOW") != nullptr) std::cout << "CARRIED " << s.id << ": " << query << "\n  " << m.substituted_target << "\n";
      for (size_t i = 0; i < old_figures.size(); ++i) {
        if (Format(ExactOf(old_figures[i].number, old_figures[i].magnitude), 0, false) ==
            Format(ExactOf(new_figures[i].number, new_figures[i].magnitude), 0, false))
          continue;
        EXPECT_GT(CountAny(m.substituted_target, new_figures[i]), 0)
            << s.id << ": " << new_figures[i].number << " (from " << old_figures[i].number << ") is not in\n  "
            << m.substituted_target << "\n  query: " << query;
        // (Unless another new figure is written the same way: 9月 → 1月 and 1月 → 9月 keep "September".)
        const std::vector<std::string> old_r = Renderings(old_figures[i]);
        const bool reused = std::any_of(new_figures.begin(), new_figures.end(), [&](const TestFigure& n) {
          for (const std::string& r : Renderings(n)) {
            if (std::find(old_r.begin(), old_r.end(), r) != old_r.end()) return true;
          }
          return false;
        });
        if (reused) continue;
        EXPECT_LT(CountAny(m.substituted_target, old_figures[i]), std::max(1, CountAny(s.target, old_figures[i])))
            << s.id << ": the old figure " << old_figures[i].number << " is still in\n  " << m.substituted_target;
      }
    }
  }
  const double share = tried ? 100.0 * carried / tried : 0;
  std::cout << "figures property test: " << tried << " lookups of pairs with figures over " << rounds << " rounds: "
            << carried << " carried over completely (" << std::fixed << std::setprecision(1) << share << "%), "
            << not_carried << " reported as not carried over, " << not_found << " without a figures-only match\n";
  for (const auto& [reason, n] : reasons) std::cout << "  " << n << " × " << reason << "\n";
  EXPECT_GT(tried, 150);
  EXPECT_GE(share, 95.0);  // The issue's goal. Measured 96.3% (docs/matching.md); the rest is reported,
                           // never stale.
}
}  // namespace
}  // namespace heluo
