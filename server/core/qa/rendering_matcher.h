// RenderingMatcher: finds a glossary rendering in a translation the way a reviewer reads it.
//
// Both the rendering and the target are folded by the one Normalizer (NFKC, case, Traditional script,
// double quotes dropped, single quotes unified) and read as words: runs of letters and digits, each Han
// character a word of its own, "+" and "&" words too; hyphens, dashes, quotes, commas and other
// punctuation only separate words ("community-level" ≡ "community level"). Each word is reduced to a
// stem for simple inflection (plural -s/-es/-ies, possessive 's) and interned, so matching a pattern is a
// comparison of small integers. Articles (a, an, the) at the edges of a rendering are dropped, so
// "the three mindsets" is found in "adopt three mindsets" and "the Three Mindsets'". Case-sensitive
// patterns compare the words as written, inflection still folded.
//
// Compile() interns a pattern's words and is not thread-safe; once every pattern is compiled the matcher is
// immutable and Read()/Find() may run on any thread.
#ifndef HELUO_SERVER_CORE_QA_RENDERING_MATCHER_H_
#define HELUO_SERVER_CORE_QA_RENDERING_MATCHER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/text/normalizer.h"

namespace heluo {

// A text as words: interned stems (0 for a word no pattern has), the stems as written (for
// case-sensitive patterns) and each word's extent in the folded key.
struct WordSequence {
  std::vector<uint32_t> ids;
  std::vector<std::u32string> exact;
  std::vector<uint32_t> key_begin, key_end;
};

struct RenderingPattern {
  std::string form;  // As stored in the entry.
  std::vector<uint32_t> ids;
  std::vector<std::u32string> exact;
  bool case_sensitive = false;
};

// An occurrence of a pattern: words [begin, end) of the WordSequence.
struct WordMatch {
  uint32_t begin = 0, end = 0;
  int pattern = 0;  // Index into the patterns searched.
};

class RenderingMatcher {
 public:
  // A pattern for `form`; false when the form has no words once edge articles are dropped.
  bool Compile(std::string_view form, bool case_sensitive, RenderingPattern* out);

  // The words of a folded text. Words no pattern has get id 0 and are never matched.
  WordSequence Read(const NormalizedText& text) const;

  // Non-overlapping occurrences of any of `patterns` in `words`, leftmost first, the longest at one start.
  std::vector<WordMatch> Find(const WordSequence& words, const std::vector<RenderingPattern>& patterns) const;

 private:
  std::unordered_map<std::u32string, uint32_t> ids_;
  bool any_case_sensitive_ = false;  // Read() keeps written forms only when some pattern needs them.
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_QA_RENDERING_MATCHER_H_
