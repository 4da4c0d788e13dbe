// The mechanical rules of the TM's house style (data/tm/CONVENTIONS.md, "House style"), checked on every
// pair: a failure names the segment and the rule. Meaning and register are for reviewers; these are the
// rules a machine can hold the whole TM to.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/content_data.h"

namespace heluo {
namespace {

using nlohmann::json;

bool Alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool Digit(char c) { return c >= '0' && c <= '9'; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The word after position `b` (spaces skipped, trailing punctuation dropped) and the word before `a`.
std::string WordAfter(const std::string& en, size_t b) {
  while (b < en.size() && en[b] == ' ') ++b;
  size_t e = b;
  while (e < en.size() && en[e] != ' ') ++e;
  std::string w = en.substr(b, e - b);
  while (!w.empty() && std::strchr(".,;:", w.back()) != nullptr) w.pop_back();
  return w;
}
std::string WordBefore(const std::string& en, size_t a) {
  while (a > 0 && en[a - 1] == ' ') --a;
  size_t s = a;
  while (s > 0 && en[s - 1] != ' ') --s;
  return en.substr(s, a - s);
}

// One to nine are words in running text. Figures stay figures with units and percentages ("5 percent",
// "10 kV"), in names and labels ("No. 1", "Phase I", "5G", "PM2.5", "\"1+X\"", "\"9+2\""), in dates, and
// in the numbers of the 名词解释 headword lines ("1. ...").
std::vector<std::string> SmallNumeralsInRunningText(const std::string& en, bool glossary_section) {
  static const std::set<std::string> kUnits = {"percent", "percentage", "km",       "kV",  "mu",
                                               "million", "billion",    "thousand", "yuan"};
  static const std::set<std::string> kBefore = {"No.",    "Phase",     "Grade",   "January",  "February",
                                                "March",  "April",     "May",     "June",     "July",
                                                "August", "September", "October", "November", "December"};
  std::vector<std::string> out;
  for (size_t i = 0; i < en.size();) {
    if (!Digit(en[i])) {
      ++i;
      continue;
    }
    const size_t a = i;
    size_t b = i;
    while (b < en.size() && Digit(en[b])) ++b;
    while (b + 1 < en.size() && (en[b] == '.' || en[b] == ',') && Digit(en[b + 1])) {
      ++b;
      while (b < en.size() && Digit(en[b])) ++b;
    }
    i = b;
    if (b - a != 1 || en[a] == '0') continue;
    const char prev = a > 0 ? en[a - 1] : '\0', next = b < en.size() ? en[b] : '\0';
    if (prev != '\0' && (Alnum(prev) || std::strchr(".,+$/-(:\"", prev) != nullptr)) continue;
    if (next != '\0' && (Alnum(next) || std::strchr("+:%\"", next) != nullptr)) continue;
    if (next == '-' && !(b + 1 < en.size() && std::islower(static_cast<unsigned char>(en[b + 1])))) continue;
    if (kUnits.count(WordAfter(en, b)) > 0 || kBefore.count(WordBefore(en, a)) > 0) continue;
    if (glossary_section && a == 0 && next == '.') continue;
    out.push_back(en.substr(a > 20 ? a - 20 : 0, 40));
  }
  return out;
}

TEST(ContentStyleTest, OneToNineAreSpelledOutInRunningText) {
  for (const json& pair : content::Tm()) {
    for (const std::string& at : SmallNumeralsInRunningText(pair["en"], pair["section"] == "G")) {
      ADD_FAILURE() << pair["id"].get<std::string>() << ": write one to nine as words: ..." << at << "...";
    }
  }
}

TEST(ContentStyleTest, NoSentenceStartsWithANumeral) {
  static const std::regex kStart(R"((^|[.!?] )([0-9]))");
  for (const json& pair : content::Tm()) {
    const std::string en = pair["en"];
    for (auto m = std::sregex_iterator(en.begin(), en.end(), kStart); m != std::sregex_iterator(); ++m) {
      const size_t at = static_cast<size_t>(m->position(2));
      if (pair["section"] == "G" && at == 0 && std::regex_search(en, std::regex(R"(^[0-9]+\. )"))) continue;
      if (at >= 4 && en.compare(at - 4, 4, "No. ") == 0) continue;
      ADD_FAILURE() << pair["id"].get<std::string>()
                    << ": a sentence starts with a numeral: " << en.substr(at, 40);
    }
  }
}

// American style, one rule: a comma or period that follows quoted words goes inside the closing quotation
// mark; colons and semicolons stay outside.
TEST(ContentStyleTest, CommasAndPeriodsGoInsideClosingQuotes) {
  for (const json& pair : content::Tm()) {
    const std::string en = pair["en"];
    int quotes = 0;
    for (size_t i = 0; i < en.size(); ++i) {
      if (en[i] != '"') continue;
      ++quotes;
      if (quotes % 2 == 0 && i + 1 < en.size() && (en[i + 1] == ',' || en[i + 1] == '.')) {
        ADD_FAILURE() << pair["id"].get<std::string>()
                      << ": punctuation outside a closing quote: " << en.substr(i > 30 ? i - 30 : 0, 40);
      }
    }
    EXPECT_EQ(quotes % 2, 0) << pair["id"].get<std::string>() << " has an unpaired quotation mark";
  }
}

// A quoted phrase as the quotation rule compares it: the folding key, without the comma or period that house
// style puts inside the closing quotation mark.
std::string QuotedKey(std::string phrase) {
  while (!phrase.empty() && (phrase.back() == ',' || phrase.back() == '.')) phrase.pop_back();
  return content::Key(phrase);
}
// The phrases the TM English may put in quotation marks: the glossary's renderings (whole, or the quoted part
// of one, e.g. "Yanshi speed") and the names and quotations listed in CONVENTIONS.md's "Quotation marks"
// section.
std::set<std::string> QuotablePhrases() {
  std::set<std::string> out;
  auto add_quoted_parts = [&out](const std::string& text) {
    for (size_t open = text.find('"'); open != std::string::npos; open = text.find('"', open + 1)) {
      const size_t close = text.find('"', open + 1);
      if (close == std::string::npos) break;
      out.insert(QuotedKey(text.substr(open + 1, close - open - 1)));
      open = close;
    }
  };
  for (const json& e : content::Glossary()) {
    out.insert(QuotedKey(e["en"]));
    add_quoted_parts(e["en"]);
    for (const json& v : e["en_variants"]) {
      out.insert(QuotedKey(v));
      add_quoted_parts(v);
    }
  }
  const std::string conventions = content::ReadData("tm/CONVENTIONS.md");
  const size_t section = conventions.find("\n## Quotation marks");
  EXPECT_NE(section, std::string::npos) << "CONVENTIONS.md has no \"Quotation marks\" section";
  if (section == std::string::npos) return out;
  const size_t end = conventions.find("\n## ", section + 1);
  std::istringstream lines(conventions.substr(section, end == std::string::npos ? end : end - section));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("- ", 0) == 0) add_quoted_parts(line);
  }
  return out;
}

// Scare quotes make a translation look unsure of itself. A quoted phrase must be a slogan or label the
// glossary holds, or a name or quotation CONVENTIONS.md lists; metaphors and ordinary words go unquoted.
TEST(ContentStyleTest, QuotedPhrasesAreSlogansOrNames) {
  const std::set<std::string> quotable = QuotablePhrases();
  int quoted = 0;
  for (const json& pair : content::Tm()) {
    const std::string en = pair["en"];
    for (size_t open = en.find('"'); open != std::string::npos; open = en.find('"', open + 1)) {
      const size_t close = en.find('"', open + 1);
      if (close == std::string::npos) break;
      const std::string phrase = en.substr(open + 1, close - open - 1);
      ++quoted;
      EXPECT_TRUE(quotable.count(QuotedKey(phrase)) > 0)
          << pair["id"].get<std::string>() << ": \"" << phrase
          << "\" is in quotation marks but is neither a glossary rendering nor a name or quotation listed in "
             "data/tm/CONVENTIONS.md; drop the quotation marks";
      open = close;
    }
  }
  EXPECT_GT(quoted, 0);
}

// A coined label is put in quotation marks when the report introduces it, and runs unquoted after that, as
// in the State Council's English reports. The 名词解释 section (G) restates every label as its headword, so
// only the body counts.
TEST(ContentStyleTest, AQuotedPhraseIsQuotedOnceInTheBody) {
  std::map<std::string, std::string> first;
  for (const json& pair : content::Tm()) {
    if (pair["section"] == "G") continue;
    const std::string en = pair["en"], id = pair["id"];
    for (size_t open = en.find('"'); open != std::string::npos; open = en.find('"', open + 1)) {
      const size_t close = en.find('"', open + 1);
      if (close == std::string::npos) break;
      const std::string phrase = en.substr(open + 1, close - open - 1);
      auto [it, fresh] = first.emplace(QuotedKey(phrase), id);
      EXPECT_TRUE(fresh) << id << ": \"" << phrase << "\" was already introduced in quotation marks in "
                         << it->second << "; write it without them here";
      open = close;
    }
  }
}

TEST(ContentStyleTest, NoBannedPhrasing) {
  static const std::map<std::string, std::string> kBanned = {
      {"dollar", "amounts in US dollars are written US$220 million"},
      {"kilogram", "large weights are in tonnes (2.98亿公斤 is 298,000 tonnes)"},
      {"a batch of", "\"a number of\""},
      {"garbage", "垃圾 is \"waste\""},
      {"mangshan mountain", "no tautology: Mount Mang"},
      {"yanshi expressway", "洛偃快速 is an express road"},
      {"yan-deng", "偃登 is Yanshi-Dengfeng"},
      {"shuian", "Shui'an, with the apostrophe"},
      {"jianlong micro-nano", "the registered name is Luoyang Jalon Micro-Nano New Materials"},
      {"four clean-ups", "清四乱: evokes the 1960s 四清 movement"},
      {"three guarantees", "三保: collides with the national \"three guarantees\" of 两不愁三保障"},
      {"four consciousnesses", "the official long form of 四个意识"},
      {"four confidences", "the official long form of 四个自信"},
      {"two safeguards", "the official long form of 两个维护"},
      {"six stabilities", "stability on six fronts"},
      {"six guarantees", "security in six areas"},
  };
  for (const json& pair : content::Tm()) {
    const std::string en = Lower(pair["en"]);
    for (const auto& [phrase, rule] : kBanned) {
      EXPECT_EQ(en.find(phrase), std::string::npos)
          << pair["id"].get<std::string>() << " has \"" << phrase << "\": " << rule;
    }
  }
}

TEST(ContentStyleTest, FellowDeputiesIsFollowedByAComma) {
  int salutations = 0;
  for (const json& pair : content::Tm()) {
    const std::string en = pair["en"];
    for (size_t at = en.find("Fellow Deputies"); at != std::string::npos;
         at = en.find("Fellow Deputies", at + 1)) {
      ++salutations;
      EXPECT_EQ(en.compare(at, 16, "Fellow Deputies,"), 0) << pair["id"].get<std::string>() << ": " << en;
    }
  }
  EXPECT_GE(salutations, 5);
}

TEST(ContentStyleTest, GrossRegionalProductIsSpelledOutAtMostOncePerSection) {
  std::map<std::string, std::vector<std::string>> spelled;
  for (const json& pair : content::Tm()) {
    if (Lower(pair["en"]).find("gross regional product (grp)") != std::string::npos) {
      spelled[pair["section"]].push_back(pair["id"]);
    }
  }
  for (const auto& [section, ids] : spelled) {
    EXPECT_EQ(ids.size(), 1u) << "section " << section << " spells out GRP in " << ids.size()
                              << " segments, from " << ids[0] << "; write \"GRP\" after the first";
  }
}

}  // namespace
}  // namespace heluo
