// Figure check: every Arabic-numeral figure of the Chinese source, outside glossary terms (“9+2”, 755
// are names, not amounts), must be rendered by a figure of the English target (text/figures.h: 178亿元 is
// "17.8 billion yuan", not "1.78 billion"; 2.98亿公斤 may be "298,000 tonnes"), aligned as placeables
// align them. Codes (PM2.5, G20) must be kept as written. Chinese numerals (十大, 五连增) are left out: they are mostly names and idioms, and the
// house style spells many of them out.
#ifndef HELUO_SERVER_CORE_QA_FIGURE_CHECK_H_
#define HELUO_SERVER_CORE_QA_FIGURE_CHECK_H_

#include <vector>

#include "server/core/qa/term_issue.h"
#include "server/core/term_recognizer.h"
#include "server/core/text/normalizer.h"

namespace heluo {

// Appends a FIGURE_MISMATCH for every source figure no target figure renders.
void CheckFigures(const NormalizedText& source, const NormalizedText& target, const std::vector<TermHit>& source_terms,
                  std::vector<TermIssue>* issues);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_FIGURE_CHECK_H_
