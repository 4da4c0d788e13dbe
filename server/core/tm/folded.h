// Folded: one side of a segment (or a query) as matching sees it — the folded key with its offset map
// (text/normalizer.h), its tokens and their ids (text/tokenizer.h). Indexing, lookup, placeables and
// concordance all fold through here, so they agree on what a token is.
#ifndef HELUO_SERVER_CORE_TM_FOLDED_H_
#define HELUO_SERVER_CORE_TM_FOLDED_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"
#include "server/core/text/normalizer.h"
#include "server/core/text/tokenizer.h"

namespace heluo {

struct Folded {
  NormalizedText text;
  std::vector<Token> tokens;
  std::vector<uint32_t> ids;
};

// Folds and tokenizes `s` (valid UTF-8) into `out`.
Status Fold(std::string_view s, Folded* out);

// The folded text of token i, UTF-8.
std::string TokenText(const Folded& f, size_t i);

// INVALID_ARGUMENT naming `what` when the original text is longer than kMaxSegmentLength.
Status CheckLength(const NormalizedText& t, std::string_view what);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_FOLDED_H_
