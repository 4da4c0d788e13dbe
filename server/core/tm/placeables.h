// Placeables: a fuzzy match whose source differs from the query only in numbers (outside glossary terms)
// gets its target with the query's numbers put in. Numbers inside a recognised term (六稳, “9+2”) are part
// of the term, never placeables.
#ifndef HELUO_SERVER_CORE_TM_PLACEABLES_H_
#define HELUO_SERVER_CORE_TM_PLACEABLES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "server/core/term_recognizer.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/match.h"

namespace heluo {

// The token ids of `f` with every number token replaced by one id that stands for any number.
std::vector<uint32_t> MaskNumbers(const Folded& f);

// When `stored` (a matched source) differs from `query` only in numbers outside the terms recognised in
// either, sets match->placeable, substituted_target (from `target`) and substitutions. `terms` may be null.
// `query_masked` is MaskNumbers(query) and `query_terms` the terms recognised in it, computed once per lookup.
void ApplyPlaceables(const Folded& query, const std::vector<uint32_t>& query_masked,
                     const std::vector<TermHit>& query_terms, const Folded& stored, const std::string& target,
                     const TermRecognizer* terms, TmMatch* match);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_PLACEABLES_H_
