// Placeables: a fuzzy match whose source differs from the query only in figures (outside glossary terms)
// gets its target with the query's figures put in, converted the way the target writes them (text/figures.h:
// 178亿元 → 180亿元 turns "17.8 billion yuan" into "18 billion yuan"). A match is placeable only when every
// differing figure was found in the target and rewritten; otherwise each substitution says why it could
// not be carried over and no substituted target is offered, so a stale figure is never presented as new.
// Figures inside a recognised term (六稳, “9+2”) are part of the term, never placeables.
#ifndef HELUO_SERVER_CORE_TM_PLACEABLES_H_
#define HELUO_SERVER_CORE_TM_PLACEABLES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "server/core/term_recognizer.h"
#include "server/core/tm/folded.h"
#include "server/core/tm/match.h"

namespace heluo {

// The token ids of `f` with each number and the Chinese magnitude after it (亿, 万亿, 万, 千) replaced by
// one id that stands for any figure, so 2.2亿 and 22000万 mask alike. Cheap: the lookup runs it on every
// candidate before reading figures.
std::vector<uint32_t> MaskFigures(const Folded& f);

// When `stored` (a matched source) differs from `query` only in figures outside the terms recognised in
// either, fills match->substitutions and, when every one was carried over, sets match->placeable and
// substituted_target (from `target`). `terms` may be null. `query_masked` is MaskFigures(query) and
// `query_terms` the terms recognised in it, computed once per lookup.
void ApplyPlaceables(const Folded& query, const std::vector<uint32_t>& query_masked,
                     const std::vector<TermHit>& query_terms, const Folded& stored, const std::string& target,
                     const TermRecognizer* terms, TmMatch* match);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_PLACEABLES_H_
