// Sentence segmentation for Chinese text, the rule the bundled TM was aligned with: a segment ends after
// 。！？ (full-width or ASCII ! ?) and any closing quotation marks or brackets that follow (”’」』）).
// A line break always ends a segment; blank pieces are dropped. Used by pre-translation of whole
// documents and by the content tests that check the TM covers the report.
#ifndef HELUO_SERVER_CORE_TEXT_SEGMENTER_H_
#define HELUO_SERVER_CORE_TEXT_SEGMENTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"

namespace heluo {

// The segments of `text` in order, as UTF-8 substrings. INVALID_ARGUMENT for invalid UTF-8.
Result<std::vector<std::string>> SplitSentences(std::string_view text);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TEXT_SEGMENTER_H_
