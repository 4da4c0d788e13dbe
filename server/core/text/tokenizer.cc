#include "server/core/text/tokenizer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <xxhash.h>

#include <memory>

namespace heluo {
namespace {

bool IsDigitChar(char32_t c) { return c >= U'0' && c <= U'9'; }

// Each thread clones the root word iterator once: creating one from the locale data costs ~100 µs.
icu::BreakIterator* WordIterator() {
  static const std::unique_ptr<icu::BreakIterator> root = [] {
    UErrorCode status = U_ZERO_ERROR;
    return std::unique_ptr<icu::BreakIterator>(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  }();
  thread_local std::unique_ptr<icu::BreakIterator> mine(root ? root->clone() : nullptr);
  return mine.get();
}

uint32_t IdOf(std::u32string_view token) {
  if (token.size() == 1) return static_cast<uint32_t>(token[0]);
  return 0x80000000u | (XXH32(token.data(), token.size() * sizeof(char32_t), 0) & 0x7FFFFFFFu);
}

void AddToken(const std::u32string& key, uint32_t b, uint32_t e, std::vector<Token>* out) {
  Token t;
  t.key_begin = b;
  t.key_end = e;
  std::u32string_view view = std::u32string_view(key).substr(b, e - b);
  t.id = IdOf(view);
  t.is_number = IsDigitChar(view.front()) && IsDigitChar(view.back());
  for (char32_t c : view) {
    if (!IsDigitChar(c) && c != U'.' && c != U',') t.is_number = false;
  }
  out->push_back(t);
}

// Non-CJK run [b, e) of the key: ICU word boundaries; every non-space piece is a token.
void TokenizeRun(const std::u32string& key, uint32_t b, uint32_t e, std::vector<Token>* out) {
  icu::BreakIterator* it = WordIterator();
  icu::UnicodeString run;
  std::vector<uint32_t> key_pos;  // UTF-16 index in run → key position.
  for (uint32_t k = b; k < e; ++k) {
    const int32_t before = run.length();
    run.append(static_cast<UChar32>(key[k]));
    for (int32_t u = before; u < run.length(); ++u) key_pos.push_back(k);
  }
  key_pos.push_back(e);
  auto emit = [&](uint32_t from, uint32_t to) {
    while (from < to && u_isUWhiteSpace(static_cast<UChar32>(key[from]))) ++from;
    while (to > from && u_isUWhiteSpace(static_cast<UChar32>(key[to - 1]))) --to;
    if (from < to) AddToken(key, from, to, out);
  };
  if (it == nullptr) {
    emit(b, e);
    return;
  }
  it->setText(run);
  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    emit(key_pos[static_cast<size_t>(start)], key_pos[static_cast<size_t>(end)]);
  }
}

}  // namespace

std::vector<Token> Tokenize(const NormalizedText& text) {
  std::vector<Token> out;
  const std::u32string& key = text.key;
  out.reserve(key.size());
  uint32_t run_start = 0;
  bool in_run = false;
  for (uint32_t k = 0; k < key.size(); ++k) {
    const bool cjk = IsCjk(key[k]);
    if (cjk) {
      if (in_run) TokenizeRun(key, run_start, k, &out);
      in_run = false;
      AddToken(key, k, k + 1, &out);
    } else if (!in_run) {
      in_run = true;
      run_start = k;
    }
  }
  if (in_run) TokenizeRun(key, run_start, static_cast<uint32_t>(key.size()), &out);
  return out;
}

std::vector<uint32_t> TokenIds(const std::vector<Token>& tokens) {
  std::vector<uint32_t> ids;
  ids.reserve(tokens.size());
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

}  // namespace heluo
