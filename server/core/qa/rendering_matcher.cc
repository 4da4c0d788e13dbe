#include "server/core/qa/rendering_matcher.h"

#include <unicode/uchar.h>

#include <algorithm>

namespace heluo {
namespace {

// Case-insensitive, so that written (case-kept) words stem like folded ones.
bool EndsWith(const std::u32string& w, std::u32string_view suffix) {
  if (w.size() < suffix.size()) return false;
  const size_t at = w.size() - suffix.size();
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (static_cast<char32_t>(u_tolower(static_cast<UChar32>(w[at + i]))) != suffix[i]) return false;
  }
  return true;
}

// Folds simple English inflection so that "policies", "policy", "policy's" and "businesses"/"business"
// meet. Both sides go through it, so a stem need not be a word ("houses" and "house" both give "house").
void Stem(std::u32string* w) {
  if (w->size() <= 3) return;
  if (EndsWith(*w, U"ies")) {
    w->resize(w->size() - 3);
    w->push_back(U'y');
  } else if (EndsWith(*w, U"s") && !EndsWith(*w, U"ss") && !EndsWith(*w, U"us") && !EndsWith(*w, U"is")) {
    w->pop_back();
  }
  // boxes → boxe → box, churches → church, businesses → business (and box, church, business unchanged).
  for (std::u32string_view e : {U"xe", U"ze", U"che", U"she", U"sse"}) {
    if (EndsWith(*w, e)) {
      w->pop_back();
      break;
    }
  }
}

bool IsWordChar(char32_t c) { return !IsCjk(c) && u_isalnum(static_cast<UChar32>(c)); }
bool IsHan(char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC); }

struct RawWord {
  uint32_t begin, end;  // In the key.
};

// Splits a folded key into words; a possessive "'s" after a word is dropped with it.
std::vector<RawWord> SplitWords(const std::u32string& key) {
  std::vector<RawWord> out;
  size_t i = 0;
  while (i < key.size()) {
    const char32_t c = key[i];
    if (IsWordChar(c)) {
      size_t j = i;
      while (j < key.size() && IsWordChar(key[j])) ++j;
      if (key[i] == U's' && j == i + 1 && i >= 2 && key[i - 1] == U'\'' && IsWordChar(key[i - 2]) && !out.empty() &&
          out.back().end == i - 1) {
        i = j;  // Possessive: people's → people.
        continue;
      }
      out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
      i = j;
    } else if (IsHan(c) || c == U'+' || c == U'&') {
      out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
    } else {
      ++i;
    }
  }
  return out;
}

bool IsArticle(std::u32string_view w) { return w == U"the" || w == U"a" || w == U"an"; }

// The word as written in the original text, for case-sensitive patterns, stemmed like its folded form.
std::u32string ExactWord(const NormalizedText& text, const RawWord& w) {
  const TextSpan span = text.OriginalSpan(w.begin, w.end);
  std::u32string exact = text.original.substr(span.cp_begin, span.cp_end - span.cp_begin);
  Stem(&exact);
  return exact;
}

}  // namespace

bool RenderingMatcher::Compile(std::string_view form, bool case_sensitive, RenderingPattern* out) {
  NormalizedText text;
  if (!Normalizer::Get().Normalize(form, &text).ok()) return false;
  std::vector<RawWord> words = SplitWords(text.key);
  auto word_at = [&](size_t i) { return std::u32string_view(text.key).substr(words[i].begin, words[i].end - words[i].begin); };
  size_t first = 0, last = words.size();
  while (first < last && IsArticle(word_at(first))) ++first;
  while (last > first && IsArticle(word_at(last - 1))) --last;
  if (first == last) return false;
  out->form = std::string(form);
  out->case_sensitive = case_sensitive;
  any_case_sensitive_ |= case_sensitive;
  for (size_t i = first; i < last; ++i) {
    std::u32string stem(word_at(i));
    Stem(&stem);
    auto [it, fresh] = ids_.emplace(stem, static_cast<uint32_t>(ids_.size() + 1));
    out->ids.push_back(it->second);
    out->exact.push_back(case_sensitive ? ExactWord(text, words[i]) : std::u32string());
  }
  return true;
}

WordSequence RenderingMatcher::Read(const NormalizedText& text) const {
  WordSequence out;
  const std::vector<RawWord> words = SplitWords(text.key);
  out.ids.reserve(words.size());
  std::u32string stem;
  for (const RawWord& w : words) {
    stem.assign(text.key, w.begin, w.end - w.begin);
    Stem(&stem);
    auto it = ids_.find(stem);
    out.ids.push_back(it == ids_.end() ? 0 : it->second);
    out.key_begin.push_back(w.begin);
    out.key_end.push_back(w.end);
  }
  out.exact.resize(words.size());
  // Written forms matter only to case-sensitive patterns, and only for words some pattern has.
  for (size_t i = 0; i < words.size() && any_case_sensitive_; ++i) {
    if (out.ids[i] != 0) out.exact[i] = ExactWord(text, words[i]);
  }
  return out;
}

std::vector<WordMatch> RenderingMatcher::Find(const WordSequence& words,
                                              const std::vector<RenderingPattern>& patterns) const {
  std::vector<WordMatch> all;
  const size_t n = words.ids.size();
  for (size_t p = 0; p < patterns.size(); ++p) {
    const RenderingPattern& pat = patterns[p];
    const size_t m = pat.ids.size();
    if (m == 0 || m > n) continue;
    for (size_t i = 0; i + m <= n; ++i) {
      if (words.ids[i] != pat.ids[0]) continue;
      bool same = std::equal(pat.ids.begin(), pat.ids.end(), words.ids.begin() + static_cast<long>(i));
      if (same && pat.case_sensitive) {
        for (size_t k = 0; k < m && same; ++k) same = words.exact[i + k] == pat.exact[k];
      }
      if (same) all.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + m), static_cast<int>(p)});
    }
  }
  std::sort(all.begin(), all.end(), [](const WordMatch& a, const WordMatch& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<WordMatch> chosen;
  for (const WordMatch& m : all) {
    if (!chosen.empty() && m.begin < chosen.back().end) continue;
    chosen.push_back(m);
  }
  return chosen;
}

}  // namespace heluo
