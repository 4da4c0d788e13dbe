#include "server/core/text/counted_noun.h"
#include "server/core/text/figures.h"

#include <gtest/gtest.h>

#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

std::vector<Figure> Zh(const std::string& text) {
  Result<std::string> key = Normalizer::Get().Key(text);
  EXPECT_TRUE(key.ok());
  std::u32string k;
  EXPECT_TRUE(DecodeUtf8(*key, &k).ok());
  return ParseChineseFigures(k);
}

std::vector<Figure> En(const std::string& text) {
  std::u32string t;
  EXPECT_TRUE(DecodeUtf8(text, &t).ok());
  return ParseEnglishFigures(t);
}

std::string V(const Figure& f) { return f.value.ToString(); }

Decimal D(const char* s) { return *Decimal::Parse(s); }

TEST(DecimalTest, IsExactAndPrintsAsFewDecimalsAsNeeded) {
  EXPECT_EQ(D("17.8").Shifted(8).ToString(), "1780000000");
  EXPECT_EQ(D("17.8").Shifted(8), D("1780000000"));
  EXPECT_EQ(D("2.2").Shifted(8), D("22000").Shifted(4));
  EXPECT_EQ(D("0.5").Shifted(4).ToString(), "5000");
  EXPECT_EQ(D("180").Shifted(8).Shifted(-9).ToString(), "18");
  EXPECT_EQ(D("8141").Shifted(4).Shifted(-6).ToString(), "81.41");
  EXPECT_EQ(D("12,200").ToGroupedString(), "12,200");
  EXPECT_EQ(D("1234567.25").ToGroupedString(), "1,234,567.25");
  EXPECT_EQ(D("0.05").ToString(), "0.05");
  EXPECT_EQ(D("0.10"), D("0.1"));
  EXPECT_LT(D("999").Compare(D("1000")), 0);
  EXPECT_GT(D("1.5").Compare(D("1.25")), 0);
  EXPECT_EQ(D("000").Compare(Decimal()), 0);
  EXPECT_FALSE(Decimal::Parse("1.").has_value());
  EXPECT_FALSE(Decimal::Parse("abc").has_value());
  EXPECT_FALSE(Decimal::Parse("").has_value());
}

TEST(FiguresTest, ChineseMagnitudesAreExact) {
  for (auto [text, value] : std::vector<std::pair<std::string, std::string>>{
           {"0.5万", "5000"},
           {"1.2万亿", "1200000000000"},
           {"10亿", "1000000000"},
           {"100亿", "10000000000"},
           {"2432.7亿元", "243270000000"},
           {"5400余万元", "54000000"},
           {"178亿元", "17800000000"},
           {"8141万元", "81410000"},
           {"3千元", "3000"},
           {"１２６个", "126"},
           {"12,200亩", "12200"},
           {"3百万", "3000000"}}) {
    const std::vector<Figure> f = Zh(text);
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(V(f[0]), value) << text;
  }
  const Figure more = Zh("5400余万元")[0];
  EXPECT_EQ(more.approx, Approximation::kMoreThan);
  EXPECT_EQ(more.unit, "yuan");
  EXPECT_EQ(more.magnitude, 4);
  EXPECT_EQ(more.written.ToString(), "5400");
  EXPECT_EQ(Zh("12,200亩")[0].grouped, true);
  EXPECT_EQ(Zh("2.2亿")[0].value, Zh("22000万")[0].value);
}

TEST(FiguresTest, ChineseUnitsCountersAndKinds) {
  EXPECT_EQ(Zh("3亿美元")[0].unit, "usd");
  EXPECT_EQ(Zh("1.5万亩")[0].unit, "mu");
  EXPECT_EQ(Zh("2.98亿公斤")[0].unit, "kg");
  EXPECT_EQ(Zh("5千克")[0].unit, "kg");
  EXPECT_EQ(Zh("3千克")[0].magnitude, 0);  // 千克 is a unit, not 千 + 克.
  EXPECT_EQ(Zh("30万吨")[0].unit, "t");
  EXPECT_EQ(Zh("12公里")[0].unit, "km");
  EXPECT_EQ(Zh("8千米")[0].unit, "km");
  EXPECT_EQ(Zh("10千伏")[0].unit, "kv");
  EXPECT_EQ(Zh("10千伏")[0].magnitude, 0);
  EXPECT_EQ(Zh("5000平方米")[0].unit, "m2");
  EXPECT_EQ(Zh("20平方公里")[0].unit, "km2");
  for (std::string counter : {"人", "个", "家", "件", "户", "座", "条", "所", "项", "名"}) {
    const std::vector<Figure> f = Zh("新增35" + counter + "。");
    ASSERT_EQ(f.size(), 1u) << counter;
    EXPECT_EQ(f[0].counter, counter);
    EXPECT_EQ(f[0].unit, "");
  }
  EXPECT_EQ(Zh("3个月")[0].counter, "个月");
  EXPECT_EQ(Zh("3个月")[0].kind, FigureKind::kNumber);
  EXPECT_EQ(Zh("增长57.8%")[0].kind, FigureKind::kPercent);
  EXPECT_EQ(Zh("增长57.8％")[0].kind, FigureKind::kPercent);  // Full-width percent sign.
  EXPECT_EQ(V(Zh("增长57.8%")[0]), "57.8");
  EXPECT_EQ(Zh("提高2个百分点")[0].kind, FigureKind::kPercentagePoints);
  EXPECT_EQ(Zh("2021年")[0].kind, FigureKind::kYear);
  EXPECT_EQ(Zh("5年")[0].kind, FigureKind::kNumber);
  EXPECT_EQ(Zh("5年")[0].counter, "年");
  EXPECT_EQ(Zh("5月")[0].kind, FigureKind::kMonth);
  EXPECT_EQ(Zh("13月")[0].kind, FigureKind::kNumber);
  const Figure end_of_august = Zh("8月底前完成")[0];
  EXPECT_EQ(end_of_august.kind, FigureKind::kMonth);
  EXPECT_TRUE(end_of_august.month_end);
  EXPECT_TRUE(Zh("6月底前")[0].month_end);
  const std::vector<Figure> date = Zh("2021年4月28日");
  ASSERT_EQ(date.size(), 3u);
  EXPECT_EQ(date[0].kind, FigureKind::kYear);
  EXPECT_EQ(date[1].kind, FigureKind::kMonth);
  EXPECT_EQ(date[2].kind, FigureKind::kDay);
  EXPECT_EQ(Zh("第8届")[0].kind, FigureKind::kOrdinal);
  EXPECT_EQ(Zh("第8届")[0].begin, 0u);  // 第 belongs to the figure.
}

TEST(FiguresTest, ChineseApproximations) {
  EXPECT_EQ(Zh("30000余名")[0].approx, Approximation::kMoreThan);
  EXPECT_EQ(Zh("10多个")[0].approx, Approximation::kMoreThan);
  EXPECT_EQ(Zh("5万余人")[0].approx, Approximation::kMoreThan);
  EXPECT_EQ(V(Zh("5万余人")[0]), "50000");
  EXPECT_EQ(Zh("近3万人")[0].approx, Approximation::kNearly);
  EXPECT_EQ(Zh("近3万人")[0].begin, 0u);
  EXPECT_EQ(Zh("约5亿元")[0].approx, Approximation::kAbout);
  EXPECT_EQ(Zh("5亿元左右")[0].approx, Approximation::kAbout);
  EXPECT_EQ(Zh("500亩以上")[0].approx, Approximation::kOrMore);
  EXPECT_EQ(Zh("3%以内")[0].approx, Approximation::kWithin);
  EXPECT_EQ(Zh("超过8%")[0].approx, Approximation::kMoreThan);
}

TEST(FiguresTest, ChineseRangesAndRatios) {
  std::vector<Figure> r = Zh("5—8万元");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(V(r[0]), "50000");  // The first end takes 万 and 元 from the second.
  EXPECT_EQ(r[0].unit, "yuan");
  EXPECT_TRUE(r[0].in_range && r[1].in_range);
  r = Zh("3至5年");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].counter, "年");
  EXPECT_EQ(V(r[0]), "3");
  r = Zh("2021—2030年");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].kind, FigureKind::kYear);
  EXPECT_EQ(r[1].kind, FigureKind::kYear);
  EXPECT_EQ(V(r[1]), "2030");
  r = Zh("2021—2030");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(V(r[0]), "2021");
  r = Zh("三次产业结构调整为5.1：53.9：41。");
  ASSERT_EQ(r.size(), 4u);  // 三 (words) and the three parts of the ratio.
  EXPECT_TRUE(r[0].words);
  EXPECT_EQ(V(r[1]), "5.1");
  EXPECT_EQ(V(r[2]), "53.9");
  EXPECT_EQ(V(r[3]), "41");
  EXPECT_FALSE(r[2].in_range);
}

TEST(FiguresTest, ChineseNumeralsAreRecognisedAsWords) {
  std::vector<Figure> f = Zh("一百二十六个");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].words);
  EXPECT_EQ(V(f[0]), "126");
  EXPECT_EQ(f[0].counter, "个");
  f = Zh("实现五连增");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(V(f[0]), "5");
  f = Zh("十大产业");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(V(f[0]), "10");
  f = Zh("第八届");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FigureKind::kOrdinal);
  EXPECT_EQ(V(f[0]), "8");
  EXPECT_EQ(V(Zh("二〇二一年")[0]), "2021");
  EXPECT_EQ(V(Zh("一万")[0]), "10000");
  EXPECT_FALSE(Zh("“十三五”")[0].has_value);  // A name, not a number.
  EXPECT_TRUE(Zh("一般公共预算进一步统一").empty());
  EXPECT_TRUE(Zh("万安山百园").empty());
}

TEST(FiguresTest, EnglishAmountsUnitsAndKinds) {
  std::vector<Figure> f = En("completing 17.8 billion yuan of investment");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(V(f[0]), "17800000000");
  EXPECT_EQ(f[0].unit, "yuan");
  EXPECT_EQ(f[0].magnitude, 9);
  f = En("81.41 million yuan");
  EXPECT_EQ(V(f[0]), "81410000");
  f = En("US$220 million");
  EXPECT_EQ(V(f[0]), "220000000");
  EXPECT_EQ(f[0].unit, "usd");
  EXPECT_EQ(f[0].begin, 0u);
  EXPECT_EQ(f[0].number_begin, 3u);
  f = En("220 million US dollars");
  EXPECT_EQ(f[0].unit, "usd");
  f = En("12,200 mu");
  EXPECT_EQ(V(f[0]), "12200");
  EXPECT_TRUE(f[0].grouped);
  EXPECT_EQ(f[0].unit, "mu");
  EXPECT_EQ(En("298 million kilograms")[0].unit, "kg");
  EXPECT_EQ(V(En("1.2 trillion yuan")[0]), "1200000000000");
  EXPECT_EQ(En("up 8 percent")[0].kind, FigureKind::kPercent);
  EXPECT_EQ(V(En("up 8 percent")[0]), "8");
  EXPECT_EQ(En("57.8%")[0].kind, FigureKind::kPercent);
  EXPECT_EQ(En("2 percentage points")[0].kind, FigureKind::kPercentagePoints);
  EXPECT_EQ(En("more than 54 million yuan")[0].approx, Approximation::kMoreThan);
  f = En("in May, by the end of June");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(V(f[0]), "5");
  EXPECT_FALSE(f[0].month_end);
  EXPECT_EQ(f[1].kind, FigureKind::kMonth);
  EXPECT_TRUE(f[1].month_end);
  EXPECT_TRUE(En("we may grow").empty());  // Not the month.
  f = En("on April 28, 2021");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1].kind, FigureKind::kDay);
  EXPECT_EQ(V(f[2]), "2021");
  EXPECT_EQ(En("the 8th session")[0].kind, FigureKind::kOrdinal);
  EXPECT_EQ(V(En("the 8th session")[0]), "8");
  f = En("the eighth session of three");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f[0].words);
  EXPECT_EQ(f[0].kind, FigureKind::kOrdinal);
  EXPECT_EQ(V(f[1]), "3");
  f = En("5-8 million yuan");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(V(f[0]), "5000000");
  EXPECT_EQ(En("5.1:53.9:41").size(), 3u);
  EXPECT_EQ(En("2021-2030").size(), 2u);
  EXPECT_EQ(En("The year ended.").size(), 0u);
  EXPECT_EQ(V(En("It rose 3.5.")[0]), "3.5");  // The full stop is not a decimal point.
}

// Whether the first English figure renders the first Chinese one.
bool renders(const std::string& en, const std::string& zh) { return Renders(En(en)[0], Zh(zh)[0]); }

TEST(FiguresTest, RendersComparesValueKindAndUnit) {
  EXPECT_TRUE(renders("17.8 billion yuan", "178亿元"));
  EXPECT_TRUE(renders("81.41 million yuan", "8141万元"));
  EXPECT_TRUE(renders("5,000 yuan", "0.5万元"));
  EXPECT_TRUE(renders("1.2 trillion", "1.2万亿"));
  EXPECT_TRUE(renders("1 billion", "10亿"));
  EXPECT_TRUE(renders("10 billion", "100亿"));
  EXPECT_TRUE(renders("243.27 billion yuan", "2432.7亿元"));
  EXPECT_TRUE(renders("more than 54 million yuan", "5400余万元"));
  EXPECT_TRUE(renders("300 million US dollars", "3亿美元"));
  EXPECT_TRUE(renders("US$220 million", "2.2亿美元"));
  EXPECT_TRUE(renders("12,200 mu", "1.22万亩"));
  EXPECT_TRUE(renders("298 million kilograms", "2.98亿公斤"));
  EXPECT_TRUE(renders("298,000 tonnes", "2.98亿公斤"));
  EXPECT_FALSE(renders("298 million tonnes", "2.98亿公斤"));
  EXPECT_TRUE(renders("8 percent", "8%"));
  EXPECT_TRUE(renders("57.8%", "57.8%"));
  EXPECT_TRUE(renders("May", "5月"));
  EXPECT_TRUE(renders("the end of June", "6月底前"));
  EXPECT_TRUE(renders("8th", "第8届"));
  EXPECT_TRUE(renders("eighth", "第八届"));
  EXPECT_TRUE(renders("the 100th anniversary", "建党100周年"));
  EXPECT_TRUE(renders("2021", "2021年"));
  EXPECT_TRUE(renders("126", "一百二十六"));
  EXPECT_FALSE(renders("17.8 billion yuan", "17.8亿元"));  // 1.78 billion.
  EXPECT_FALSE(renders("300 million yuan", "3亿美元"));      // Different currency.
  EXPECT_FALSE(renders("8 percent", "8个"));
  EXPECT_FALSE(renders("8", "8%"));
  EXPECT_FALSE(renders("2 percent", "2个百分点"));
  EXPECT_FALSE(renders("June", "5月"));
  // A Chinese count aligns with the spelled-out English count of equal value, as with digits.
  EXPECT_TRUE(renders("two new projects", "2个"));
  EXPECT_TRUE(renders("three schools", "3所"));
  EXPECT_TRUE(renders("Five enterprises", "5家"));
  EXPECT_TRUE(renders("ten industries", "10个"));
  EXPECT_FALSE(renders("two new projects", "3个"));
  EXPECT_FALSE(renders("five percent more", "5%"));  // Percents, units and dates stay figures.
  EXPECT_FALSE(renders("five tonnes more", "5吨"));
  EXPECT_FALSE(renders("five days later", "5日"));
}

// `en` with its first figure rewritten for the Chinese figure, or "(none: <why>)".
std::string RewriteOrWhy(const std::string& en, const std::string& zh) {
  std::u32string t;
  EXPECT_TRUE(DecodeUtf8(en, &t).ok());
  const std::vector<Figure> f = ParseEnglishFigures(t);
  EXPECT_FALSE(f.empty()) << en;
  std::string why;
  std::optional<std::u32string> r = RenderLike(f[0], Zh(zh)[0], &why);
  if (!r) return "(none: " + why + ")";
  t.replace(f[0].number_begin, f[0].magnitude_end - f[0].number_begin, *r);
  return EncodeUtf8(t);
}

std::string Rewrite(const std::string& en, const std::string& zh) {
  const std::string r = RewriteOrWhy(en, zh);
  return r.rfind("(none", 0) == 0 ? "(none)" : r;
}

TEST(FiguresTest, RenderLikeKeepsTheTargetsStyle) {
  EXPECT_EQ(Rewrite("17.8 billion yuan", "180亿元"), "18 billion yuan");
  EXPECT_EQ(Rewrite("81.41 million yuan", "9000万元"), "90 million yuan");
  EXPECT_EQ(Rewrite("81.41 million yuan", "1.2亿元"), "120 million yuan");
  EXPECT_EQ(Rewrite("81.41 million yuan", "12亿元"), "1.2 billion yuan");  // 1,200 million reads badly.
  EXPECT_EQ(Rewrite("17.8 billion yuan", "1.2万亿元"), "1.2 trillion yuan");
  EXPECT_EQ(Rewrite("17.8 billion yuan", "5亿元"), "500 million yuan");
  EXPECT_EQ(Rewrite("17.8 billion yuan", "0.5万元"), "5,000 yuan");
  EXPECT_EQ(Rewrite("44,000 yuan", "5.5万元"), "55,000 yuan");
  EXPECT_EQ(Rewrite("15,000 mu", "150万亩"), "1.5 million mu");
  EXPECT_EQ(Rewrite("US$220 million", "2.5亿美元"), "US$250 million");
  EXPECT_EQ(Rewrite("1,400 jobs", "1500个"), "1,500 jobs");
  EXPECT_EQ(Rewrite("1400 jobs", "1500个"), "1500 jobs");
  EXPECT_EQ(Rewrite("130 key projects", "131个"), "131 key projects");
  EXPECT_EQ(Rewrite("up 57.8 percent", "60%"), "up 60 percent");
  EXPECT_EQ(Rewrite("up 57.8%", "6.25%"), "up 6.25%");
  EXPECT_EQ(Rewrite("by the end of June", "8月底前"), "by the end of August");
  EXPECT_EQ(Rewrite("the 8th session", "第9届"), "the 9th session");
  EXPECT_EQ(Rewrite("the 21st time", "第22次"), "the 22nd time");
  EXPECT_EQ(Rewrite("the 8th session", "第12届"), "the 12th session");
  EXPECT_EQ(Rewrite("in 2021", "2022年"), "in 2022");
  EXPECT_EQ(Rewrite("298,000 tonnes", "3.5亿公斤"), "350,000 tonnes");  // 公斤 in 万/亿 are tonnes.
  EXPECT_EQ(Rewrite("more than 54 million yuan", "6000余万元"), "more than 60 million yuan");
  EXPECT_EQ(Rewrite("the eighth session", "第9届"), "(none)");  // Ordinal words are never rewritten.
}

// The house style spells out one to nine in running text (data/tm/CONVENTIONS.md, "Small numbers").
TEST(FiguresTest, EnglishCountWordsInRunningTextAreFigures) {
  std::vector<Figure> f = En("added two new projects and three schools");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f[0].spelled);
  EXPECT_FALSE(f[0].words);
  EXPECT_FALSE(f[0].sentence_start);
  EXPECT_EQ(f[0].kind, FigureKind::kNumber);
  EXPECT_EQ(V(f[0]), "2");
  EXPECT_EQ(f[0].number_begin, 6u);
  EXPECT_EQ(f[0].number_end, 9u);
  EXPECT_EQ(f[0].magnitude_end, 9u);
  EXPECT_EQ(V(f[1]), "3");
  EXPECT_EQ(f[1].number_begin, 27u);
  f = En("Ten towns (subdistricts) joined. Six units, including one case imported");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(f[0].spelled);
  EXPECT_TRUE(f[0].sentence_start);
  EXPECT_EQ(V(f[0]), "10");
  EXPECT_TRUE(f[1].spelled);
  EXPECT_TRUE(f[1].sentence_start);
  EXPECT_TRUE(f[2].spelled);
  EXPECT_FALSE(f[2].sentence_start);
  EXPECT_EQ(V(f[2]), "1");
  EXPECT_TRUE(En("within SIX months")[0].words);  // Capitals mid-sentence: not running text.
  EXPECT_EQ(En("more than five schools")[0].approx, Approximation::kMoreThan);
  f = En("add two or more towns");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].spelled);
  EXPECT_EQ(f[0].approx, Approximation::kOrMore);
  EXPECT_TRUE(En("foster two Luoyang-level enterprises")[0].spelled);
  EXPECT_TRUE(En("expand four \"Leyangju\" centers")[0].spelled);
  EXPECT_FALSE(En("we cracked one \"tough nut\" after another")[0].spelled);
  EXPECT_FALSE(En("\"one or more towns\"")[0].spelled);  // Quoted.
}

// Whether the figure was read from a word rather than digits.
bool IsLetterFigure(const Figure& f, const std::string& text) {
  return f.number_begin < text.size() && std::isalpha(static_cast<unsigned char>(text[f.number_begin]));
}

TEST(FiguresTest, NumberWordsThatAreNotCountsStayWords) {
  for (const char* text :
       {"one of the best", "no one was left", "\"one-stop\" services", "a five-year transition period",
        "the Two Centennial Goals", "the 14th Five-Year Plan", "the \"Three Ones\" for",
        "barriers, one in the north", "add two or more", "one hundred days",
        "\"one hall, one window, one network\"", "each one counts", "the first five", "the first time",
        "Two Rivers", "\"Six Yanshis\" and"}) {
    for (const Figure& f : En(text)) {
      EXPECT_FALSE(f.spelled) << text;
      EXPECT_TRUE(f.words || !IsLetterFigure(f, text)) << text;  // Recognised, never rewritten.
    }
  }
  EXPECT_TRUE(En("the first time")[0].words);  // An ordinal word.
  EXPECT_EQ(En("the first time")[0].kind, FigureKind::kOrdinal);
}

TEST(FiguresTest, CountWordsAreRewrittenInTheTargetsStyle) {
  EXPECT_EQ(RewriteOrWhy("added two new projects", "5个"), "added five new projects");
  EXPECT_EQ(RewriteOrWhy("Two county hospitals", "9家"), "Nine county hospitals");
  EXPECT_EQ(RewriteOrWhy("for ten industries", "3个"), "for three industries");
  // From 10 the house style writes digits, grouped from 1,000.
  EXPECT_EQ(RewriteOrWhy("added two new projects", "12个"), "added 12 new projects");
  EXPECT_EQ(RewriteOrWhy("added two new projects", "1300个"), "added 1,300 new projects");
  EXPECT_EQ(RewriteOrWhy("for ten industries", "10个"), "for 10 industries");
  // No sentence starts with a numeral: the house style's recast, noun and verb unchanged.
  EXPECT_EQ(RewriteOrWhy("Six units joined", "12个"), "A total of 12 units joined");
  EXPECT_EQ(RewriteOrWhy("Ten towns were named", "1300个"), "A total of 1,300 towns were named");
  EXPECT_EQ(RewriteOrWhy("Ten towns were named", "9个"), "Nine towns were named");
  // One and more than one need the noun to change: not attempted here (tm/placeables makes the noun
  // plural where text/counted_noun.h is certain of it, and says so with `noun_made_plural`).
  const std::string to_plural = RewriteOrWhy("built one city reading room", "2个");
  EXPECT_NE(to_plural.find("(none: "), std::string::npos) << to_plural;
  EXPECT_NE(to_plural.find("singular and plural"), std::string::npos) << to_plural;
  EXPECT_NE(RewriteOrWhy("built two rooms", "1个").find("singular and plural"), std::string::npos);
  EXPECT_EQ(RewriteOrWhy("one case imported", "1个"), "one case imported");
  std::u32string one = U"built one room.";
  std::string why;
  EXPECT_EQ(RenderLike(ParseEnglishFigures(one)[0], Zh("3个")[0], &why, true), U"three");
  EXPECT_FALSE(RenderLike(ParseEnglishFigures(U"built two rooms.")[0], Zh("1个")[0], &why, true));
}

// The counted noun's plural, or "(none)" where it is not certain.
std::string Plural(const std::string& en) {
  std::u32string t;
  EXPECT_TRUE(DecodeUtf8(en, &t).ok());
  const size_t one = t.find(U"one");
  std::optional<NounEdit> e = PluralOfCountedNoun(t, static_cast<uint32_t>(one + 3));
  if (!e) return "(none)";
  t.replace(e->begin, e->end - e->begin, e->plural);
  return EncodeUtf8(t);
}

TEST(CountedNounTest, RegularPluralsOfAPlainNounPhrase) {
  const std::pair<const char*, const char*> cases[] = {
      {"built one city reading room, two stations", "built one city reading rooms, two stations"},
      {"handled one motion of the congress", "handled one motions of the congress"},
      {"cut to one working day;", "cut to one working days;"},
      {"create one public e-commerce brand.", "create one public e-commerce brands."},
      {"foster one enterprise with sales", "foster one enterprises with sales"},
      {"adopt one policy.", "adopt one policies."},
      {"add one bench and", "add one benches and"},
      {"add one new city service station and one room.", "add one new city service stations and one room."},
  };
  for (const auto& [en, plural] : cases) EXPECT_EQ(Plural(en), plural) << en;
}

TEST(CountedNounTest, NothingWhereThePluralOrThePhraseIsUncertain) {
  for (const char* en : {
           // The phrase is the subject of a singular verb, or is a clause, not a noun phrase.
           "one case imported from Wuhan was cured;", "one case was cured.",
           "one enterprise in the district was listed.", "one factory made steel.", "one factory producing steel.",
           "one firm ranks first.", "one firm leading the way.",
           // Irregular or no plural.
           "one child.", "one person.", "one leaf.", "one life.", "one hero.", "one bus.", "one chairman.",
           "one series.", "one equipment.", "one index.", "one training.",
           // Names, quotations, possessives, a phrase cut off, nothing after "one".
           "one Luoyang company.", "one \"tough nut\" after", "one city's plan.", "built one room", "only one.",
           // Too long to be sure.
           "one very large new public city service room."}) {
    EXPECT_EQ(Plural(en), "(none)") << en;
  }
}

TEST(FiguresTest, DescribeInEnglish) {
  EXPECT_EQ(DescribeInEnglish(Zh("178亿元")[0]), "17.8 billion");
  EXPECT_EQ(DescribeInEnglish(Zh("0.5万")[0]), "5,000");
  EXPECT_EQ(DescribeInEnglish(Zh("8月")[0]), "August");
  EXPECT_EQ(DescribeInEnglish(Zh("57.8%")[0]), "57.8%");
}

}  // namespace
}  // namespace heluo
