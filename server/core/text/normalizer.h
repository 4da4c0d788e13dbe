// Normalizer: the one text-folding function of heluo, used alike to index stored text and to read queries.
//
// Normalize() turns a UTF-8 text into a matching key (a sequence of code points) plus an offset map from
// every key code point back to the code points and UTF-16 code units of the caller's original text. The
// key is never stored as "the text": stored text is kept as given, and the key is only for matching.
//
// Folding, in order, per character:
//   1. NFKC (full-width → half-width, compatibility forms, composed accents);
//   2. Traditional → Simplified Chinese (a code-point table built once from ICU's "Traditional-Simplified"
//      transliterator, so folding costs a table lookup, not a transliteration);
//   3. Unicode default case folding;
//   4. punctuation: double quotation marks of every kind (" “ ” „ « » 「 」 『 』 〝 〞) are dropped, single
//      quotes become ', CJK lenticular/tortoise-shell brackets become [ ];
//   5. whitespace: dropped where it touches a CJK character or CJK punctuation (新增专利 227 件 ≡
//      新增专利227件), otherwise a run becomes one space; leading and trailing whitespace is dropped.
// Each key code point records which of these changed it (FoldKind), so a match that needed folding can be
// penalised while an exact match stays exact.
//
// Thread-safety: Normalizer is immutable after construction; Get() returns a process-wide instance that is
// safe to use from any thread.
#ifndef HELUO_SERVER_CORE_TEXT_NORMALIZER_H_
#define HELUO_SERVER_CORE_TEXT_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/status.h"

namespace heluo {

// Bit flags naming what folding changed.
enum FoldKind : uint8_t {
  kFoldNone = 0,
  kFoldWidth = 1 << 0,        // NFKC changed the character (full-width, compatibility form).
  kFoldScript = 1 << 1,       // Traditional → Simplified.
  kFoldCase = 1 << 2,         // Case folding.
  kFoldPunctuation = 1 << 3,  // Quotation marks or brackets canonicalised.
  kFoldWhitespace = 1 << 4,   // Whitespace dropped or collapsed.
};

// A span of the caller's original text, in code points and in UTF-16 code units. End is exclusive.
struct TextSpan {
  uint32_t cp_begin = 0;
  uint32_t cp_end = 0;
  uint32_t utf16_begin = 0;
  uint32_t utf16_end = 0;
};

// The folded key of a text and the map back to the original.
struct NormalizedText {
  std::u32string key;                 // Folded code points.
  std::vector<uint32_t> origin_begin; // Per key code point: first original code point it came from.
  std::vector<uint32_t> origin_end;   // Per key code point: one past the last original code point.
  std::vector<uint8_t> folds;         // Per key code point: FoldKind bits that changed it.
  std::u32string original;            // The original text as code points.
  std::vector<uint32_t> utf16_offset; // Per original code point i: its UTF-16 offset; size original+1.

  // The original span covered by key code points [key_begin, key_end). REQUIRES: key_begin < key_end <= size.
  TextSpan OriginalSpan(size_t key_begin, size_t key_end) const;
  // The key as UTF-8.
  std::string KeyUtf8() const;
};

class Normalizer {
 public:
  // The process-wide instance (built on first use: about 30 ms to derive the script table from ICU).
  static const Normalizer& Get();

  // Folds `text`. Fails with INVALID_ARGUMENT, naming the byte offset, if `text` is not valid UTF-8.
  Status Normalize(std::string_view text, NormalizedText* out) const;

  // Normalize without the table of single-character folds (every character through ICU): the same result,
  // slower; for tests showing that the table changes nothing.
  Status NormalizeWithoutTable(std::string_view text, NormalizedText* out) const;

  // Convenience: the folded key as UTF-8, or the error for invalid UTF-8.
  Result<std::string> Key(std::string_view text) const;

  // Which kinds of folding explain the difference between two texts with equal keys (kFoldNone when the
  // originals are identical). Whitespace and quotation marks that folding dropped are compared too.
  // REQUIRES: a.key == b.key.
  static uint8_t FoldDifference(const NormalizedText& a, const NormalizedText& b);

  // Simplified form of one code point (itself when it has none).
  char32_t ToSimplified(char32_t c) const;

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

 private:
  Normalizer();
  Status Fold(std::string_view text, bool use_table, NormalizedText* out) const;
  void BuildFoldTable();
  // Steps 2-4 of the folding (punctuation, script, case) of one code point NFKC has already folded.
  char32_t FoldOne(char32_t c, uint8_t* folds) const;
  // Simplified form of every code point below kTableLimit (0 = unchanged): a direct lookup per character.
  static constexpr char32_t kTableLimit = 0x30000;
  std::vector<char32_t> traditional_to_simplified_;
  // The fold of every BMP code point that is a chunk of its own, with what Normalize needs to know about it
  // (normalizer.cc), so that common text is folded by table lookups.
  static constexpr char32_t kFoldTableLimit = 0x10000;
  std::vector<uint32_t> fold_table_;
  std::vector<uint32_t> no_table_;  // Empty: NormalizeWithoutTable.
};

// Validates UTF-8 and decodes it to code points. INVALID_ARGUMENT names the first bad byte offset.
Status DecodeUtf8(std::string_view text, std::u32string* out);
// Encodes code points as UTF-8. REQUIRES: every element is a Unicode scalar value.
std::string EncodeUtf8(std::u32string_view text);
// True for Han ideographs, kana, hangul, CJK symbols and punctuation, and full-width forms.
bool IsCjk(char32_t c);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_NORMALIZER_H_
