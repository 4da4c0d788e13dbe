// Tokenizer: splits a folded key into the units fuzzy matching counts edits in — one token per CJK
// character, and ICU word-break tokens (words, numbers) for everything else; whitespace is not a token.
// A token is a 32-bit id: the code point itself for one-character tokens, and a hash with the top bit set
// for longer ones (two different words share an id with probability ~2^-31; see docs/matching.md).
//
// Thread-safety: Tokenize() may be called from any thread (each thread keeps its own ICU break iterator).
#ifndef HELUO_SERVER_CORE_TEXT_TOKENIZER_H_
#define HELUO_SERVER_CORE_TEXT_TOKENIZER_H_

#include <cstdint>
#include <vector>

#include "server/core/text/normalizer.h"

namespace heluo {

struct Token {
  uint32_t id = 0;
  uint32_t key_begin = 0;  // Position in NormalizedText::key.
  uint32_t key_end = 0;
  bool is_number = false;  // Digits, possibly with '.' or ',' between them: a placeable.
};

std::vector<Token> Tokenize(const NormalizedText& text);
// Only the ids.
std::vector<uint32_t> TokenIds(const std::vector<Token>& tokens);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_TOKENIZER_H_
