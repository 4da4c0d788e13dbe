#include "server/core/text/normalizer.h"

#include <gtest/gtest.h>

#include "server/core/bundle.h"
#include "server/core/text/segmenter.h"

namespace heluo {
namespace {

std::string Key(std::string_view text) {
  Result<std::string> key = Normalizer::Get().Key(text);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return key.ok() ? *key : "";
}

NormalizedText Fold(std::string_view text) {
  NormalizedText n;
  Status st = Normalizer::Get().Normalize(text, &n);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return n;
}

TEST(NormalizerTest, FullWidthFoldsToHalfWidth) {
  EXPECT_EQ(Key("ＰＭ２．５"), "pm2.5");
  EXPECT_EQ(Key("增长５７．８％"), Key("增长57.8%"));
}

TEST(NormalizerTest, TraditionalFoldsToSimplified) {
  EXPECT_EQ(Key("三種心態"), "三种心态");
  EXPECT_EQ(Key("營商環境"), "营商环境");
  EXPECT_EQ(Key("黃河流域生態保護"), "黄河流域生态保护");
}

TEST(NormalizerTest, QuotationMarksAreDroppedAndBracketsCanonical) {
  EXPECT_EQ(Key("“三种心态”"), "三种心态");
  EXPECT_EQ(Key("「三种心态」"), "三种心态");
  EXPECT_EQ(Key("『六稳』"), "六稳");
  EXPECT_EQ(Key("\"1+X\" industrial layout"), "1+x industrial layout");
  EXPECT_EQ(Key("【通知】"), "[通知]");
  EXPECT_EQ(Key("Xi’s"), "xi's");
}

TEST(NormalizerTest, CaseFolds) {
  EXPECT_EQ(Key("Rural REVITALIZATION"), "rural revitalization");
}

TEST(NormalizerTest, WhitespaceNextToCjkIsDroppedElsewhereCollapsed) {
  EXPECT_EQ(Key("新增专利 227 件"), Key("新增专利227件"));
  EXPECT_EQ(Key("偃师区人民政府代区长 于晓峰"), "偃师区人民政府代区长于晓峰");
  EXPECT_EQ(Key("  green \t  development  "), "green development");
  EXPECT_EQ(Key("增长。 剩余"), "增长。剩余");
  EXPECT_EQ(Key("ideographic\u3000space"), "ideographic space");
}

// Found by the libFuzzer target: "㊂" (CIRCLED IDEOGRAPH THREE) is not CJK itself but folds to 三, so the
// spaces around it were kept, and folding the key again dropped them.
TEST(NormalizerTest, FoldingIsIdempotentWhenNfkcMakesCjk) {
  for (std::string_view text : {">+>\n \u3282\n>>/tx", "a \u3282 b", "x \u337B y", "1 \u2F00 2"}) {
    const std::string once = Key(text);
    EXPECT_EQ(Key(once), once) << text;
  }
  EXPECT_EQ(Key("a \u3282 b"), "a三b");
}

// Found by the libFuzzer target: dropping the quotes in "d“”\u0323" leaves d + COMBINING DOT BELOW, which NFKC
// composes to ḍ; the key must already be that, with its offsets still pointing into the original.
TEST(NormalizerTest, FoldingIsIdempotentWhenDroppedQuotesJoinACombiningMark) {
  for (std::string_view text : {"d\u201C\u201D\u0323r", "x \"\u0323", "\u304B \u3099", "a\u300C\u0301b"}) {
    const NormalizedText once = Fold(text);
    EXPECT_EQ(Key(once.KeyUtf8()), once.KeyUtf8()) << text;
    for (size_t k = 0; k < once.key.size(); ++k) {
      EXPECT_LT(once.origin_begin[k], once.origin_end[k]);
      EXPECT_LE(once.origin_end[k], once.original.size());
      if (k > 0) {
        EXPECT_GE(once.origin_begin[k], once.origin_begin[k - 1]);
      }
    }
  }
  const NormalizedText d = Fold("d\u201C\u201D\u0323r");
  EXPECT_EQ(d.KeyUtf8(), "\u1E0Dr");
  EXPECT_EQ(d.origin_begin[0], 0u);
  EXPECT_EQ(d.origin_end[0], 4u);  // ḍ comes from d, the two quotes and the mark.
}

TEST(NormalizerTest, NfkcComposesAcrossCombiningMarks) {
  EXPECT_EQ(Key("Cafe\u0301"), Key("Café"));
}

TEST(NormalizerTest, InvalidUtf8IsRejectedWithItsOffset) {
  NormalizedText n;
  Status st = Normalizer::Get().Normalize(std::string("abc\xff", 4), &n);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("offset 3"), std::string::npos) << st.message();
  st = Normalizer::Get().Normalize(std::string("\xe4\xb8", 2), &n);  // Truncated 3-byte sequence.
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
}

// Normalize folds most characters by one lookup in a table derived from ICU at start-up; the result must be
// the one folding every character through ICU gives: every BMP code point alone, between letters, between
// Han characters and spaces, before a combining mark and after a quote; then the whole report and glossary.
TEST(NormalizerTest, TheSingleCharacterTableFoldsAsIcuDoes) {
  auto same = [](const std::string& text) {
    NormalizedText fast, slow;
    const Status a = Normalizer::Get().Normalize(text, &fast);
    const Status b = Normalizer::Get().NormalizeWithoutTable(text, &slow);
    if (a.ok() != b.ok()) return testing::AssertionFailure() << "status differs";
    if (fast.key != slow.key || fast.origin_begin != slow.origin_begin || fast.origin_end != slow.origin_end ||
        fast.folds != slow.folds || fast.original != slow.original || fast.utf16_offset != slow.utf16_offset) {
      return testing::AssertionFailure() << "fold differs: " << fast.KeyUtf8() << " / " << slow.KeyUtf8();
    }
    return testing::AssertionSuccess();
  };
  size_t folded = 0;
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string one = EncodeUtf8(std::u32string(1, c));
    for (const std::string& text : {one, "a" + one + "b", "中 " + one + " 文", one + "\u0301x", "“" + one + "”", one + one}) {
      ASSERT_TRUE(same(text)) << "U+" << std::hex << static_cast<uint32_t>(c) << " in " << text;
    }
    if (Key(one) != one) ++folded;
  }
  EXPECT_GT(folded, 5000u);  // Full-width forms, Traditional characters, capitals, compatibility forms.
  const Result<std::vector<Segment>> report = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "x");
  ASSERT_TRUE(report.ok());
  for (const Segment& s : *report) {
    ASSERT_TRUE(same(s.source)) << s.source;
    ASSERT_TRUE(same(s.target)) << s.target;
  }
}

TEST(NormalizerTest, OffsetMapPointsIntoTheOriginalInCodePointsAndUtf16) {
  // "𠀀" (U+20000) is outside the BMP: one code point, two UTF-16 units.
  NormalizedText n = Fold("“𠀀 三種”心態");
  ASSERT_EQ(n.key, U"𠀀三种心态");
  // Key positions 1..3 ("三种心") come from original code points 3..6 ("三種”心").
  TextSpan span = n.OriginalSpan(1, 4);
  EXPECT_EQ(span.cp_begin, 3u);
  EXPECT_EQ(span.cp_end, 7u);
  EXPECT_EQ(span.utf16_begin, 4u);  // “ (1) + 𠀀 (2) + space (1).
  EXPECT_EQ(span.utf16_end, 8u);
  EXPECT_EQ(n.folds[2], kFoldScript);
  EXPECT_EQ(n.folds[1], kFoldNone);
}

TEST(NormalizerTest, FoldDifferenceNamesWhatDiffers) {
  auto diff = [](std::string_view a, std::string_view b) {
    return Normalizer::FoldDifference(Fold(a), Fold(b));
  };
  EXPECT_EQ(diff("三种心态", "三种心态"), kFoldNone);
  EXPECT_EQ(diff("三種心態", "三种心态"), kFoldScript);
  EXPECT_EQ(diff("增长５７％", "增长57%"), kFoldWidth);
  EXPECT_EQ(diff("“六稳”", "六稳"), kFoldPunctuation);
  EXPECT_EQ(diff("专利 227 件", "专利227件"), kFoldWhitespace);
  EXPECT_EQ(diff("Six Fronts", "six fronts"), kFoldCase);
}

TEST(SegmenterTest, SplitsAfterSentenceEndAndClosingQuotes) {
  Result<std::vector<std::string>> s = SplitSentences("刷新了“偃师速度”。其中“六稳”工作。”各位代表！\n名词解释");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 4u);
  EXPECT_EQ((*s)[0], "刷新了“偃师速度”。");
  EXPECT_EQ((*s)[1], "其中“六稳”工作。”");
  EXPECT_EQ((*s)[2], "各位代表！");
  EXPECT_EQ((*s)[3], "名词解释");
}

}  // namespace
}  // namespace heluo
