#include "server/core/text/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <memory>
#include <mutex>

namespace heluo {
namespace {

// Code-point ranges holding Han ideographs that may have a Simplified form.
constexpr std::pair<char32_t, char32_t> kHanRanges[] = {
    {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF},
};

bool IsDroppedQuote(char32_t c) {
  switch (c) {
    case U'"': case U'\u201C': case U'\u201D': case U'\u201E': case U'\u201F': case U'\u00AB':
    case U'\u00BB': case U'\u300C': case U'\u300D': case U'\u300E': case U'\u300F': case U'\u301D':
    case U'\u301E': case U'\u301F':
      return true;
    default:
      return false;
  }
}

// Canonical form of single quotes and CJK brackets; 0 when `c` is not one of them.
char32_t CanonicalPunctuation(char32_t c) {
  switch (c) {
    case U'\u2018': case U'\u2019': case U'\u201A': case U'\u201B': return U'\'';
    case U'\u3010': case U'\u3014': case U'\u3016': case U'\u3018': return U'[';
    case U'\u3011': case U'\u3015': case U'\u3017': case U'\u3019': return U']';
    default: return 0;
  }
}

// ASCII without ICU: the White_Space code points below 0x80 are tab to carriage return and the space.
bool IsSpace(char32_t c) {
  return c < 0x80 ? c == U' ' || (c >= 0x09 && c <= 0x0D) : u_isUWhiteSpace(static_cast<UChar32>(c));
}

// A fold_table_ entry: the folded form of a code point that NFKC leaves as one code point on its own, with
// the FoldKind bits that folding set, whether NFKC has a boundary before it, and whether it is one of the
// quotation marks the key drops.
constexpr uint32_t kFoldedMask = 0x1FFFFF;     // Bits 0-20: the folded code point.
constexpr int kFoldsShift = 21;                // Bits 21-25: FoldKind.
constexpr uint32_t kAlone = 1u << 26;          // The entry holds the character's fold when it is a chunk alone.
constexpr uint32_t kDropped = 1u << 27;        // ... and the key drops it.
constexpr uint32_t kBoundaryBefore = 1u << 28; // NFKC has a boundary before the character.
constexpr uint32_t kSpace = 1u << 29;          // The folded code point is White_Space.

}  // namespace

bool IsCjk(char32_t c) {
  if (c < 0x3000) return false;  // No Ideographic code point is below U+3006.
  if (c >= 0x4E00 && c <= 0x9FFF) return true;
  if (c >= 0x3000 && c <= 0x303F) return true;  // CJK symbols and punctuation.
  if (c >= 0xFF00 && c <= 0xFFEF) return true;  // Half- and full-width forms.
  if (c >= 0x3040 && c <= 0x30FF) return true;  // Kana.
  if (c >= 0xAC00 && c <= 0xD7AF) return true;  // Hangul.
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC);
}

Status DecodeUtf8(std::string_view text, std::u32string* out) {
  out->clear();
  out->reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      return Status::InvalidArgument("text is not valid UTF-8 (bad byte at offset " + std::to_string(at) + ")");
    }
    out->push_back(static_cast<char32_t>(c));
  }
  return Status::Ok();
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) {
    uint8_t buf[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }
  return out;
}

TextSpan NormalizedText::OriginalSpan(size_t key_begin, size_t key_end) const {
  TextSpan span;
  span.cp_begin = origin_begin[key_begin];
  span.cp_end = origin_end[key_end - 1];
  span.utf16_begin = utf16_offset[span.cp_begin];
  span.utf16_end = utf16_offset[span.cp_end];
  return span;
}

std::string NormalizedText::KeyUtf8() const { return EncodeUtf8(key); }

const Normalizer& Normalizer::Get() {
  static const Normalizer* instance = new Normalizer();  // Never destroyed: used until exit.
  return *instance;
}

Normalizer::Normalizer() {
  // Transliterate every Han code point in one call, one per line, and keep the one-to-one results. A
  // per-character call would cost ~9 µs each; one call over ~95k characters costs a few tens of ms.
  traditional_to_simplified_.assign(kTableLimit, 0);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> translit(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || translit == nullptr) return;  // No table: script folding is a no-op.
  icu::UnicodeString all;
  std::vector<char32_t> order;
  for (auto [lo, hi] : kHanRanges) {
    for (char32_t c = lo; c <= hi; ++c) {
      all.append(static_cast<UChar32>(c));
      all.append(static_cast<UChar>(u'\n'));
      order.push_back(c);
    }
  }
  translit->transliterate(all);
  size_t index = 0;
  int32_t i = 0;
  while (i < all.length() && index < order.size()) {
    int32_t line_end = all.indexOf(static_cast<UChar>(u'\n'), i);
    if (line_end < 0) break;
    const UChar32 first = all.char32At(i);
    if (line_end - i == U16_LENGTH(first) && static_cast<char32_t>(first) != order[index] && order[index] < kTableLimit) {
      traditional_to_simplified_[order[index]] = static_cast<char32_t>(first);
    }
    i = line_end + 1;
    ++index;
  }
  BuildFoldTable();
}

char32_t Normalizer::FoldOne(char32_t c, uint8_t* folds) const {
  if (char32_t p = CanonicalPunctuation(c)) {
    c = p;
    *folds |= kFoldPunctuation;
  }
  if (char32_t s = ToSimplified(c); s != c) {
    c = s;
    *folds |= kFoldScript;
  }
  if (char32_t lower = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT)); lower != c) {
    c = lower;
    *folds |= kFoldCase;
  }
  return c;
}

void Normalizer::BuildFoldTable() {
  // What Normalize's general path gives a character that is a chunk of its own (NFKC has a boundary
  // before the next one), for every BMP character where that is one code point with a boundary before it:
  // then folding costs Normalize one table lookup per character instead of several ICU calls, with the
  // general path's own result (FoldOne, the same NFKC).
  fold_table_.assign(kFoldTableLimit, 0);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return;  // No entry: every character takes the general path (which reports it).
  for (char32_t c = 0; c < kFoldTableLimit; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // Surrogates: never decoded from valid UTF-8.
    uint32_t entry = nfkc->hasBoundaryBefore(static_cast<UChar32>(c)) ? kBoundaryBefore : 0;
    if (entry != 0) {
      const icu::UnicodeString nf = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
      if (U_FAILURE(status)) return;
      const UChar32 one = nf.char32At(0);
      if (nf.countChar32() == 1 && nfkc->hasBoundaryBefore(one)) {
        uint8_t folds = static_cast<char32_t>(one) != c ? kFoldWidth : kFoldNone;
        const char32_t folded = IsDroppedQuote(static_cast<char32_t>(one)) ? static_cast<char32_t>(one)
                                                                           : FoldOne(static_cast<char32_t>(one), &folds);
        entry |= kAlone | static_cast<uint32_t>(folded) | static_cast<uint32_t>(folds) << kFoldsShift;
        if (IsDroppedQuote(static_cast<char32_t>(one))) entry |= kDropped;
        if (IsSpace(folded)) entry |= kSpace;
      }
    }
    fold_table_[c] = entry;
  }
}

char32_t Normalizer::ToSimplified(char32_t c) const {
  if (c >= traditional_to_simplified_.size()) return c;
  const char32_t s = traditional_to_simplified_[c];
  return s == 0 ? c : s;
}

Result<std::string> Normalizer::Key(std::string_view text) const {
  NormalizedText n;
  Status st = Normalize(text, &n);
  if (!st.ok()) return st;
  return n.KeyUtf8();
}

Status Normalizer::Normalize(std::string_view text, NormalizedText* out) const { return Fold(text, true, out); }

Status Normalizer::NormalizeWithoutTable(std::string_view text, NormalizedText* out) const {
  return Fold(text, false, out);
}

Status Normalizer::Fold(std::string_view text, bool use_table, NormalizedText* out) const {
  out->key.clear();
  out->origin_begin.clear();
  out->origin_end.clear();
  out->folds.clear();
  // Validation, decoding and the UTF-16 offsets in one pass over the bytes: the only UTF-8 check a text
  // needs (RecognizeTerms parses its text unchecked and relies on this one: request_traits.h).
  out->original.resize(text.size());
  out->utf16_offset.resize(text.size() + 1);
  {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t length = static_cast<int32_t>(text.size());
    char32_t* cp = out->original.data();
    uint32_t* u16 = out->utf16_offset.data();
    uint32_t units = 0;
    size_t count = 0;
    for (int32_t b = 0; b < length;) {
      UChar32 c = bytes[b];
      if (c < 0x80) {
        ++b;  // ASCII, most of an English text: no decoding.
      } else {
        const int32_t at = b;
        U8_NEXT(bytes, b, length, c);
        if (c < 0) {
          out->original.clear();
          out->utf16_offset.clear();
          return Status::InvalidArgument("text is not valid UTF-8 (bad byte at offset " + std::to_string(at) + ")");
        }
      }
      cp[count] = static_cast<char32_t>(c);
      u16[count++] = units;
      units += c > 0xFFFF ? 2 : 1;
    }
    u16[count] = units;
    out->original.resize(count);
    out->utf16_offset.resize(count + 1);
  }
  const std::u32string& cps = out->original;
  const size_t n = cps.size();
  out->key.reserve(n);
  out->origin_begin.reserve(n);
  out->origin_end.reserve(n);
  out->folds.reserve(n);

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return Status::Internal("ICU NFKC data is not available");
  const std::vector<uint32_t>& table = use_table ? fold_table_ : no_table_;
  auto boundary_before = [&](char32_t c) {
    return c < table.size() ? (table[c] & kBoundaryBefore) != 0 : nfkc->hasBoundaryBefore(static_cast<UChar32>(c));
  };

  // Pass 1: NFKC, script, case and punctuation, chunk by chunk. A chunk runs from one NFKC boundary to the
  // next, so combining sequences compose exactly as NFKC of the whole text would.
  struct Folded {
    char32_t c;
    uint32_t begin, end;
    uint8_t folds;
    bool space;
  };
  // Reused by the calls of one thread (a call's text is at most a few thousand characters): allocating it
  // anew was a tenth of a RecognizeTerms call. Pass 2 is done with it before the refold below recurses.
  thread_local std::vector<Folded> folded;
  struct Trim {  // A thread that once folded a huge text does not keep its buffer.
    std::vector<Folded>& v;
    ~Trim() {
      if (v.capacity() > (size_t{1} << 16)) std::vector<Folded>().swap(v);
    }
  } trim{folded};
  folded.clear();
  folded.reserve(n);
  // Set when dropping a quote or a whitespace run puts a character that NFKC would join to what precedes
  // it (a combining mark) next to a new neighbour: then the key is folded once more (below).
  bool joined = false;
  bool dropped = false;
  size_t i = 0;
  while (i < n) {
    const uint32_t entry = cps[i] < table.size() ? table[cps[i]] : 0;
    if ((entry & kAlone) != 0 && (i + 1 == n || boundary_before(cps[i + 1]))) {
      // A chunk of one character whose fold the table holds (the general path below, without ICU calls).
      if ((entry & kDropped) != 0) {
        dropped = true;
        ++i;
        continue;
      }
      dropped = false;  // The folded character has a boundary before it: nothing joins across a dropped quote.
      folded.push_back({static_cast<char32_t>(entry & kFoldedMask), static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1),
                        static_cast<uint8_t>((entry >> kFoldsShift) & 0x1F), (entry & kSpace) != 0});
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && !boundary_before(cps[j])) ++j;
    std::u32string piece;
    uint8_t width = kFoldNone;
    if (j == i + 1 && nfkc->isInert(static_cast<UChar32>(cps[i]))) {
      piece.push_back(cps[i]);
    } else {
      icu::UnicodeString src;
      for (size_t k = i; k < j; ++k) src.append(static_cast<UChar32>(cps[k]));
      icu::UnicodeString dst = nfkc->normalize(src, status);
      if (U_FAILURE(status)) return Status::Internal("ICU NFKC normalization failed");
      for (int32_t k = 0; k < dst.length(); k = dst.moveIndex32(k, 1)) {
        piece.push_back(static_cast<char32_t>(dst.char32At(k)));
      }
      if (piece != std::u32string_view(cps).substr(i, j - i)) width = kFoldWidth;
    }
    const bool one_to_one = piece.size() == j - i;
    for (size_t k = 0; k < piece.size(); ++k) {
      char32_t c = piece[k];
      uint8_t f = width;
      const uint32_t b = static_cast<uint32_t>(one_to_one ? i + k : i);
      const uint32_t e = static_cast<uint32_t>(one_to_one ? i + k + 1 : j);
      if (IsDroppedQuote(c)) {
        dropped = true;
        continue;
      }
      if (dropped && !folded.empty() && !nfkc->hasBoundaryBefore(static_cast<UChar32>(c))) joined = true;
      dropped = false;
      c = FoldOne(c, &f);
      folded.push_back({c, b, e, f, IsSpace(c)});
    }
    i = j;
  }

  // Pass 2: whitespace. A run is dropped at either end of the text or next to CJK; otherwise it becomes
  // one space. A neighbour is CJK if its original character is (before NFKC turned "，" into ",") or its
  // folded one is (NFKC turns "㊂" into "三"): judging on the original alone made folding the key again
  // drop spaces the first folding kept (found by the libFuzzer target; tests/fuzz/seeds/normalize-enclosed-han).
  for (size_t k = 0; k < folded.size();) {
    if (!folded[k].space) {
      out->key.push_back(folded[k].c);
      out->origin_begin.push_back(folded[k].begin);
      out->origin_end.push_back(folded[k].end);
      out->folds.push_back(folded[k].folds);
      ++k;
      continue;
    }
    size_t run_end = k;
    while (run_end < folded.size() && folded[run_end].space) ++run_end;
    const bool at_edge = k == 0 || run_end == folded.size();
    const bool next_to_cjk = !at_edge && (IsCjk(cps[folded[k - 1].end - 1]) || IsCjk(folded[k - 1].c) ||
                                           IsCjk(cps[folded[run_end].begin]) || IsCjk(folded[run_end].c));
    if (!at_edge && next_to_cjk && !nfkc->hasBoundaryBefore(static_cast<UChar32>(folded[run_end].c))) joined = true;
    if (!at_edge && !next_to_cjk) {
      const bool plain = run_end == k + 1 && cps[folded[k].begin] == U' ';
      out->key.push_back(U' ');
      out->origin_begin.push_back(folded[k].begin);
      out->origin_end.push_back(folded[run_end - 1].end);
      out->folds.push_back(plain ? kFoldNone : kFoldWhitespace);
    }
    k = run_end;
  }
  if (joined) {
    // Fold the key again (NFKC now composes across the gap) and map the offsets back through this fold, so
    // that folding a key gives the key (found by the libFuzzer target: "d“”\u0323" folded to "d\u0323", which
    // folds to "\u1E0D"; tests/fuzz/seeds/normalize-quote-combining).
    NormalizedText again;
    HELUO_RETURN_IF_ERROR(Fold(out->KeyUtf8(), use_table, &again));
    std::vector<uint32_t> begin(again.key.size()), end(again.key.size());
    std::vector<uint8_t> folds(again.key.size());
    for (size_t k = 0; k < again.key.size(); ++k) {
      begin[k] = out->origin_begin[again.origin_begin[k]];
      end[k] = out->origin_end[again.origin_end[k] - 1];
      folds[k] = again.folds[k];
      for (uint32_t m = again.origin_begin[k]; m < again.origin_end[k]; ++m) folds[k] |= out->folds[m];
    }
    out->key = std::move(again.key);
    out->origin_begin = std::move(begin);
    out->origin_end = std::move(end);
    out->folds = std::move(folds);
  }
  return Status::Ok();
}

uint8_t Normalizer::FoldDifference(const NormalizedText& a, const NormalizedText& b) {
  if (a.original == b.original) return kFoldNone;
  uint8_t diff = kFoldNone;
  // Text that folding dropped between key code points (and before the first / after the last).
  auto gap = [](const NormalizedText& t, size_t k) {
    const uint32_t from = k == 0 ? 0 : t.origin_end[k - 1];
    const uint32_t to = k == t.key.size() ? static_cast<uint32_t>(t.original.size()) : t.origin_begin[k];
    return std::u32string_view(t.original).substr(from, to > from ? to - from : 0);
  };
  auto gap_kind = [](std::u32string_view x, std::u32string_view y) {
    uint8_t kind = kFoldNone;
    for (std::u32string_view g : {x, y}) {
      for (char32_t c : g) kind |= static_cast<uint8_t>(IsSpace(c) ? kFoldWhitespace : kFoldPunctuation);
    }
    return kind;
  };
  for (size_t k = 0; k <= a.key.size(); ++k) {
    std::u32string_view ga = gap(a, k), gb = gap(b, k);
    if (ga != gb) diff |= gap_kind(ga, gb);
    if (k == a.key.size()) break;
    std::u32string_view ca = std::u32string_view(a.original).substr(a.origin_begin[k], a.origin_end[k] - a.origin_begin[k]);
    std::u32string_view cb = std::u32string_view(b.original).substr(b.origin_begin[k], b.origin_end[k] - b.origin_begin[k]);
    if (ca != cb) diff |= static_cast<uint8_t>(a.folds[k] | b.folds[k]);
  }
  return diff == kFoldNone ? static_cast<uint8_t>(kFoldWhitespace) : diff;  // Originals differ: at least the spacing did.
}

}  // namespace heluo
