// Checks on the bundled content (data/): the TM covers the cleaned report sentence by sentence, the English
// is complete in the ways a machine can check (figures, units, glossary renderings), and the glossary
// carries its provenance. These run in CI; a failing check names the segment or entry.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "server/core/text/segmenter.h"
#include "tests/content_data.h"

namespace heluo {
namespace {

using content::Glossary;
using content::Key;
using content::ReadData;
using content::Tm;
using nlohmann::json;

std::u32string Cps(const std::string& s) {
  std::u32string out;
  EXPECT_TRUE(DecodeUtf8(s, &out).ok());
  return out;
}

TEST(ContentTest, TmHoldsEveryReportSentenceOnceInOrder) {
  Result<std::vector<std::string>> sentences = SplitSentences(ReadData("report/yanshi-2021.zh.txt"));
  ASSERT_TRUE(sentences.ok());
  ASSERT_GE(sentences->size(), 370u);
  ASSERT_EQ(Tm().size(), sentences->size()) << "the TM and the report differ in sentence count";
  std::set<std::string> ids;
  for (size_t i = 0; i < sentences->size(); ++i) {
    EXPECT_EQ(Tm()[i]["zh"].get<std::string>(), (*sentences)[i]) << "TM line " << i + 1;
    EXPECT_TRUE(ids.insert(Tm()[i]["id"].get<std::string>()).second) << "duplicate id at TM line " << i + 1;
  }
}

TEST(ContentTest, EnglishIsPresentHanFreeAndNotSuspiciouslyShort) {
  for (const json& pair : Tm()) {
    const std::string id = pair["id"], zh = pair["zh"], en = pair["en"];
    ASSERT_FALSE(en.empty()) << id;
    const std::u32string en_cps = Cps(en), zh_cps = Cps(zh);
    for (char32_t c : en_cps) {
      EXPECT_FALSE(IsCjk(c)) << id << " has a CJK character in its English: " << en;
      if (IsCjk(c)) break;
    }
    // English runs about 2.5 to 3.5 characters per Chinese character in this report; under 1.2 means
    // something was dropped.
    EXPECT_GE(static_cast<double>(en_cps.size()), 1.2 * static_cast<double>(zh_cps.size()))
        << id << " looks too short for its Chinese:\n  " << zh << "\n  " << en;
  }
}

// A figure in the text with the value it denotes: "1.73亿" is 173000000, "44.02 billion" is 44020000000.
struct Figure {
  double value;
  std::string surface;
  double tonnes = -1;  // For 公斤 after 万/亿: the same weight in tonnes, which house style writes instead.
};

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Reads an ASCII number at `i` (digits, optional commas between digit groups, optional decimals).
double ReadNumber(const std::u32string& s, size_t* i, std::string* surface) {
  std::string digits;
  while (*i < s.size() && (IsDigit(s[*i]) || s[*i] == U'.' ||
                           (s[*i] == U',' && *i + 1 < s.size() && IsDigit(s[*i + 1]) && !digits.empty()))) {
    if (s[*i] == U'.' && !(*i + 1 < s.size() && IsDigit(s[*i + 1]))) break;
    if (s[*i] != U',') digits.push_back(static_cast<char>(s[*i]));
    surface->push_back(static_cast<char>(s[*i]));
    ++*i;
  }
  return std::stod(digits);
}

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

// Figures of the Chinese side, with 亿 and 万 applied. Month numbers (8月) come back as month names.
void ChineseFigures(const std::string& zh, std::vector<Figure>* figures, std::vector<std::string>* months) {
  const std::u32string s = Cps(zh);
  for (size_t i = 0; i < s.size();) {
    if (!IsDigit(s[i])) {
      ++i;
      continue;
    }
    std::string surface;
    double v = ReadNumber(s, &i, &surface);
    if (i < s.size() && s[i] == U'月' && v >= 1 && v <= 12 && v == std::floor(v)) {
      months->push_back(kMonths[static_cast<int>(v) - 1]);
      continue;
    }
    size_t unit = i;
    if (unit < s.size() && (s[unit] == U'余' || s[unit] == U'多'))
      ++unit;  // 5400余万元: "more than 54 million".
    const bool scaled = unit < s.size() && (s[unit] == U'亿' || s[unit] == U'万');
    if (unit < s.size() && s[unit] == U'亿')
      v *= 1e8;
    else if (unit < s.size() && s[unit] == U'万')
      v *= 1e4;
    const bool kilograms = scaled && s.compare(unit + 1, 2, U"公斤") == 0;
    figures->push_back({v, surface, kilograms ? v / 1000 : -1});
  }
}

const char* kSmallNumbers[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

bool IsLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Every value an English figure may denote: as written, and scaled by a following billion/million/thousand.
// House style spells out one to nine (and a sentence-initial ten), so those words count as figures too.
std::vector<double> EnglishValues(const std::string& en) {
  const std::u32string s = Cps(en);
  std::vector<double> out;
  for (size_t i = 0; i < s.size();) {
    if (IsLetter(s[i])) {
      size_t end = i;
      while (end < s.size() && IsLetter(s[end])) ++end;
      std::string word = EncodeUtf8(s.substr(i, end - i));
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (int n = 0; n < 10; ++n) {
        if (word == kSmallNumbers[n]) out.push_back(n + 1);
      }
      i = end;
      continue;
    }
    if (!IsDigit(s[i])) {
      ++i;
      continue;
    }
    std::string surface;
    double v = ReadNumber(s, &i, &surface);
    out.push_back(v);
    const std::string rest = EncodeUtf8(s.substr(i, 10));
    if (rest.rfind(" billion", 0) == 0) out.push_back(v * 1e9);
    if (rest.rfind(" million", 0) == 0) out.push_back(v * 1e6);
    if (rest.rfind(" thousand", 0) == 0) out.push_back(v * 1e3);
  }
  return out;
}

TEST(ContentTest, EveryFigureOfTheChineseIsInTheEnglish) {
  int checked = 0;
  for (const json& pair : Tm()) {
    const std::string id = pair["id"], zh = pair["zh"], en = pair["en"];
    std::vector<Figure> figures;
    std::vector<std::string> months;
    ChineseFigures(zh, &figures, &months);
    const std::vector<double> values = EnglishValues(en);
    for (const Figure& f : figures) {
      const bool found = std::any_of(values.begin(), values.end(), [&](double e) {
        const bool exact = std::fabs(e - f.value) <= 1e-9 * std::max(1.0, std::fabs(f.value));
        const bool as_tonnes = f.tonnes >= 0 && std::fabs(e - f.tonnes) <= 1e-9 * std::max(1.0, f.tonnes) &&
                               en.find(" tonnes") != std::string::npos;
        return exact || as_tonnes;
      });
      EXPECT_TRUE(found) << id << ": the figure " << f.surface << " (" << std::fixed << f.value
                         << ") is missing from the English:\n  " << zh << "\n  " << en;
      ++checked;
    }
    for (const std::string& month : months) {
      EXPECT_NE(en.find(month), std::string::npos) << id << ": month " << month << " missing: " << en;
    }
  }
  EXPECT_GT(checked, 300);
}

TEST(ContentTest, GlossaryTermsUseTheirRenderingInTheTm) {
  struct Term {
    std::string id;
    std::vector<std::string> zh_keys;
    std::vector<std::string> en_keys;
  };
  std::vector<Term> terms;
  for (const json& e : Glossary()) {
    Term t{e["id"], {Key(e["zh"])}, {Key(e["en"])}};
    for (const json& v : e["zh_variants"]) t.zh_keys.push_back(Key(v));
    for (const json& v : e["en_variants"]) t.en_keys.push_back(Key(v));
    terms.push_back(std::move(t));
  }
  int uses = 0;
  for (const json& pair : Tm()) {
    const std::string zh = Key(pair["zh"]), en = Key(pair["en"]);
    for (const Term& t : terms) {
      const bool used = std::any_of(t.zh_keys.begin(), t.zh_keys.end(), [&](const std::string& k) {
        return !k.empty() && zh.find(k) != std::string::npos;
      });
      if (!used) continue;
      ++uses;
      const bool rendered = std::any_of(t.en_keys.begin(), t.en_keys.end(), [&](const std::string& k) {
        return !k.empty() && en.find(k) != std::string::npos;
      });
      EXPECT_TRUE(rendered) << pair["id"].get<std::string>() << " contains glossary term " << t.id
                            << " but its English has none of its renderings:\n  "
                            << pair["en"].get<std::string>();
    }
  }
  EXPECT_GT(uses, 50);
}

// A rendering names one concept: if two headwords shared an English form, a reader of the English could not
// tell which was meant (the first edition had "Three Guarantees" for both 三保 and the national
// 两不愁三保障's "three guarantees", and "Three Zones" twice in one sentence).
TEST(ContentTest, NoTwoHeadwordsShareAnEnglishRendering) {
  std::map<std::string, std::string> owner;
  for (const json& e : Glossary()) {
    std::set<std::string> forms{Key(e["en"])};
    for (const json& v : e["en_variants"]) forms.insert(Key(v));
    for (const std::string& form : forms) {
      ASSERT_FALSE(form.empty()) << e["id"];
      auto [it, fresh] = owner.emplace(form, e["id"].get<std::string>());
      EXPECT_TRUE(fresh) << "\"" << form << "\" renders both " << it->second << " and "
                         << e["id"].get<std::string>();
    }
  }
}

TEST(ContentTest, AllTwentyFourReportGlossaryEntriesHaveBothDefinitions) {
  int report_entries = 0;
  for (const json& e : Glossary()) {
    if (e["kind"] != "report-glossary") continue;
    ++report_entries;
    EXPECT_FALSE(e["definition_zh"].get<std::string>().empty()) << e["id"];
    EXPECT_FALSE(e["definition_en"].get<std::string>().empty()) << e["id"];
    // The Chinese definition is the report's own words.
    EXPECT_NE(ReadData("report/yanshi-2021.zh.txt").find(e["definition_zh"].get<std::string>()),
              std::string::npos)
        << e["id"] << ": definition_zh is not the report's text";
  }
  EXPECT_EQ(report_entries, 24);
  EXPECT_GE(Glossary().size(), 140u);
}

TEST(ContentTest, EveryEntrySaysWhereItsRenderingComesFrom) {
  std::set<std::string> ids;
  for (const json& e : Glossary()) {
    const std::string id = e["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_FALSE(e["en"].get<std::string>().empty()) << id;
    const std::string status = e["rendering_status"];
    ASSERT_TRUE(status == "established" || status == "project") << id << ": " << status;
    if (status == "established") {
      ASSERT_TRUE(e["source"].is_object()) << id << " is established but names no source";
      EXPECT_FALSE(e["source"]["outlet"].get<std::string>().empty()) << id;
    } else {
      EXPECT_FALSE(e["note"].get<std::string>().empty())
          << id << " is the project's own rendering without a reason";
    }
  }
}

TEST(ContentTest, RepairsAreRecordedAgainstTheUntouchedSeed) {
  const std::string seed = ReadData("report/seed.zh.txt");
  const std::string cleaned = ReadData("report/yanshi-2021.zh.txt");
  std::istringstream rows(ReadData("report/repairs.tsv"));
  std::string row;
  int repairs = 0;
  while (std::getline(rows, row)) {
    if (row.empty() || row[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream cells(row);
    for (std::string c; std::getline(cells, c, '\t');) cols.push_back(c);
    ASSERT_EQ(cols.size(), 5u) << row;
    EXPECT_NE(seed.find(cols[2]), std::string::npos) << "original text not in the seed: " << row;
    if (cols[0] == "replace") {
      EXPECT_EQ(cleaned.find(cols[2]), std::string::npos) << "artifact still in the cleaned report: " << row;
    }
    ++repairs;
  }
  EXPECT_GE(repairs, 40);
  for (const char* artifact : {"**", "_{", " and ", "窞"}) {
    EXPECT_EQ(cleaned.find(artifact), std::string::npos) << artifact;
  }
}

}  // namespace
}  // namespace heluo
