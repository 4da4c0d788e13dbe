// TermRecognizer: finds every glossary term occurring in a text, with its span in the caller's original text.
//
// An Aho–Corasick automaton over the folded forms (headword, rendering and variants) of every entry, so one
// pass over the folded text finds all occurrences whatever the number of terms: O(text + hits). Terms with
// digits and symbols ("9+2", 1+X产业布局) are ordinary patterns, found before any number masking. Forms
// that begin or end with a letter or digit must sit on word boundaries ("six fronts" is not found inside
// "sixty fronts"); CJK forms match anywhere. Rebuild() reloads the terms after the glossary changes.
//
// Thread-safety: Recognize() may run on any thread concurrently with Rebuild(); each call sees one
// complete automaton.
#ifndef HELUO_SERVER_CORE_TERM_RECOGNIZER_H_
#define HELUO_SERVER_CORE_TERM_RECOGNIZER_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/core/glossary.h"
#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/text/normalizer.h"

namespace heluo {

struct TermHit {
  std::string term_id;
  Language language = Language::kZh;  // Which side of the entry the matched form belongs to.
  std::string form;                   // The entry's form that matched, as stored.
  std::string surface;                // The matched text, exactly as in the caller's text.
  TextSpan span;                      // In the caller's text, code points and UTF-16 units.
  uint32_t key_begin = 0, key_end = 0;  // In the folded key.
  bool folded = false;                // The surface differs from the form (width, script, case, quotes...).
  // The matched form's number in the automaton the call used: two hits of one call on the same form of the
  // same entry have the same number (a packed answer sends what they share once).
  uint32_t pattern = 0;
};

// An occurrence of pattern `pattern` at key code points [key_begin, key_end), before it becomes a TermHit.
struct KeySpan {
  uint32_t key_begin = 0, key_end = 0;
  uint32_t pattern = 0;
};

class TermAutomaton;

// Leftmost-longest, non-overlapping selection from hits ordered as Recognize(overlapping=true) orders
// them: a longer term wins over a shorter one inside it (四个一批 over 一批); two entries sharing the same
// span are both kept.
// Hit is TermHit or KeySpan (anything with key_begin and key_end).
template <typename Hit>
std::vector<Hit> SelectLongest(std::vector<Hit> hits) {
  std::vector<Hit> chosen;
  uint32_t covered_until = 0;
  for (Hit& h : hits) {
    if (!chosen.empty() && h.key_begin < covered_until) {
      // Same span, different entry (two entries share a form): keep both, they are equally leftmost-longest.
      if (h.key_begin == chosen.back().key_begin && h.key_end == chosen.back().key_end) chosen.push_back(std::move(h));
      continue;
    }
    covered_until = h.key_end;
    chosen.push_back(std::move(h));
  }
  return chosen;
}

inline constexpr int kMaxRecognizeLength = 5000;  // Code points.

class TermRecognizer {
 public:
  explicit TermRecognizer(const Store* store) : store_(store) {}
  ~TermRecognizer();

  // Loads every term from the store and swaps in a new automaton.
  Status Rebuild();

  // Hits in `text`, ordered by start. Leftmost-longest and non-overlapping unless `overlapping`.
  // `language` kAny matches forms of both languages.
  std::vector<TermHit> Recognize(const NormalizedText& text, Language language, bool overlapping) const;
  // Folds `text` and recognises terms in it. INVALID_ARGUMENT for invalid UTF-8, blank text, or text over
  // kMaxRecognizeLength code points.
  Result<std::vector<TermHit>> Recognize(std::string_view text, Language language, bool overlapping) const;

  size_t pattern_count() const;

 private:
  std::shared_ptr<const TermAutomaton> Current() const;
  const Store* store_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TermAutomaton> automaton_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TERM_RECOGNIZER_H_
