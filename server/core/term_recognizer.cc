#include "server/core/term_recognizer.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "server/core/page_token.h"

namespace heluo {

// The automaton: goto transitions, failure links, and for each state the patterns ending there (through
// output links, so matches reached only via failure links are found too). Built with a map of edges per
// state, then frozen: every state's edges in one contiguous sorted array, and the root's — taken for
// nearly every character of a text, the root having thousands of edges — in a table indexed by code point
// for the BMP's common range (Latin, punctuation, CJK), so recognition does no pointer chasing.
class TermAutomaton {
 public:
  struct Pattern {
    std::u32string key;
    std::string term_id;
    std::string form;
    Language language;
  };

  explicit TermAutomaton(std::vector<Pattern> patterns) : patterns_(std::move(patterns)) {
    states_.emplace_back();
    for (size_t p = 0; p < patterns_.size(); ++p) {
      int s = 0;
      for (char32_t c : patterns_[p].key) {
        int next = BuildChild(s, c);
        if (next < 0) {
          next = static_cast<int>(states_.size());
          states_.emplace_back();
          states_[static_cast<size_t>(s)].edges.emplace(c, next);
        }
        s = next;
      }
      states_[static_cast<size_t>(s)].outputs.push_back(static_cast<int>(p));
    }
    // Breadth-first failure links.
    std::vector<int> queue;
    for (auto& [c, child] : states_[0].edges) {
      states_[static_cast<size_t>(child)].fail = 0;
      queue.push_back(child);
    }
    for (size_t qi = 0; qi < queue.size(); ++qi) {
      const int s = queue[qi];
      for (auto& [c, child] : states_[static_cast<size_t>(s)].edges) {
        int f = states_[static_cast<size_t>(s)].fail;
        while (f > 0 && BuildChild(f, c) < 0) f = states_[static_cast<size_t>(f)].fail;
        const int target = BuildChild(f, c);
        states_[static_cast<size_t>(child)].fail = (target >= 0 && target != child) ? target : 0;
        const int fail = states_[static_cast<size_t>(child)].fail;
        states_[static_cast<size_t>(child)].output_link =
            states_[static_cast<size_t>(fail)].outputs.empty() ? states_[static_cast<size_t>(fail)].output_link : fail;
        queue.push_back(child);
      }
    }
    Freeze();
  }

  // Calls fn(pattern index, end) for every occurrence ending at key position `end` (exclusive).
  template <typename Fn>
  void Scan(const std::u32string& key, Fn&& fn) const {
    int s = 0;
    for (size_t i = 0; i < key.size(); ++i) {
      while (s > 0 && Child(s, key[i]) < 0) s = states_[static_cast<size_t>(s)].fail;
      const int next = Child(s, key[i]);
      s = next < 0 ? 0 : next;
      for (int o = s; o > 0; o = states_[static_cast<size_t>(o)].output_link) {
        for (int p : states_[static_cast<size_t>(o)].outputs) fn(static_cast<uint32_t>(p), i + 1);
        if (states_[static_cast<size_t>(o)].output_link == o) break;
      }
    }
  }

  size_t size() const { return patterns_.size(); }
  const Pattern& pattern(uint32_t p) const { return patterns_[p]; }

 private:
  struct State {
    std::map<char32_t, int> edges;
    int fail = 0;
    int output_link = 0;  // Nearest state on the failure chain with outputs (0: none).
    std::vector<int> outputs;
  };
  // Code points below this have the root's edges in root_edges_ (160 KiB): ASCII to the end of the CJK
  // Unified Ideographs block.
  static constexpr char32_t kRootTable = 0xA000;

  int BuildChild(int s, char32_t c) const {
    const auto& edges = states_[static_cast<size_t>(s)].edges;
    auto it = edges.find(c);
    return it == edges.end() ? -1 : it->second;
  }
  void Freeze() {
    root_edges_.assign(kRootTable, -1);
    edge_begin_.reserve(states_.size() + 1);
    for (State& state : states_) {
      edge_begin_.push_back(static_cast<uint32_t>(edge_chars_.size()));
      for (const auto& [c, child] : state.edges) {  // In code point order.
        edge_chars_.push_back(c);
        edge_targets_.push_back(child);
        if (&state == &states_[0] && c < kRootTable) root_edges_[c] = child;
      }
      state.edges.clear();
    }
    edge_begin_.push_back(static_cast<uint32_t>(edge_chars_.size()));
  }
  int Child(int s, char32_t c) const {
    if (s == 0 && c < kRootTable) return root_edges_[c];
    const auto begin = edge_chars_.begin() + edge_begin_[static_cast<size_t>(s)];
    const auto end = edge_chars_.begin() + edge_begin_[static_cast<size_t>(s) + 1];
    const auto it = end - begin <= 8 ? std::find(begin, end, c) : std::lower_bound(begin, end, c);
    return it == end || *it != c ? -1 : edge_targets_[static_cast<size_t>(it - edge_chars_.begin())];
  }
  std::vector<Pattern> patterns_;
  std::vector<State> states_;
  // The frozen edges: state s's are edge_chars_[edge_begin_[s] .. edge_begin_[s + 1]), sorted.
  std::vector<uint32_t> edge_begin_;
  std::vector<char32_t> edge_chars_;
  std::vector<int> edge_targets_;
  std::vector<int> root_edges_;
};

namespace {

// The closing mark of an opening quotation mark, or 0.
char32_t CloserOf(char32_t c) {
  switch (c) {
    case U'“': return U'”';
    case U'「': return U'」';
    case U'『': return U'』';
    case U'"': return U'"';
    default: return 0;
  }
}

// Folding drops quotation marks, so a hit on 1+X产业布局 in “1+X”产业布局 starts after the opening mark.
// Widen the span to take in an opening mark whose closing mark is inside the span or right after it, so
// the surface a CAT tool replaces is the whole quoted term.
void IncludeQuotes(const std::u32string& original, TextSpan* span) {
  if (span->cp_begin == 0) return;
  const char32_t closer = CloserOf(original[span->cp_begin - 1]);
  if (closer == 0) return;
  const std::u32string_view inside = std::u32string_view(original).substr(span->cp_begin, span->cp_end - span->cp_begin);
  if (inside.find(closer) != std::u32string_view::npos) {
    span->cp_begin -= 1;
  } else if (span->cp_end < original.size() && original[span->cp_end] == closer) {
    span->cp_begin -= 1;
    span->cp_end += 1;
  }
}

bool IsWordChar(char32_t c) {
  return !IsCjk(c) && (u_isalnum(static_cast<UChar32>(c)) || c == U'_');
}

}  // namespace

TermRecognizer::~TermRecognizer() = default;

Status TermRecognizer::Rebuild() {
  std::vector<TermAutomaton::Pattern> patterns;
  Glossary glossary(const_cast<Store*>(store_));
  std::string token;
  do {
    Result<TermPage> page = glossary.List(kMaxPageSize, token);
    if (!page.ok()) return page.status();
    for (const TermEntry& e : page->entries) {
      auto add = [&](const std::string& form, Language lang) {
        NormalizedText folded;
        if (!Normalizer::Get().Normalize(form, &folded).ok() || folded.key.empty()) return;
        patterns.push_back({folded.key, e.id, form, lang});
      };
      add(e.zh, Language::kZh);
      for (const std::string& v : e.zh_variants) add(v, Language::kZh);
      add(e.en, Language::kEn);
      for (const std::string& v : e.en_variants) add(v, Language::kEn);
    }
    token = page->next_page_token;
  } while (!token.empty());
  auto automaton = std::make_shared<const TermAutomaton>(std::move(patterns));
  std::lock_guard<std::mutex> lock(mutex_);
  automaton_ = std::move(automaton);
  return Status::Ok();
}

std::shared_ptr<const TermAutomaton> TermRecognizer::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return automaton_;
}

size_t TermRecognizer::pattern_count() const {
  std::shared_ptr<const TermAutomaton> a = Current();
  return a ? a->size() : 0;
}

Result<std::vector<TermHit>> TermRecognizer::Recognize(std::string_view text, Language language,
                                                       bool overlapping) const {
  // A code point takes at most 4 bytes: longer texts are refused before folding (and before the buffers
  // below grow for them).
  if (text.size() > 4 * static_cast<size_t>(kMaxRecognizeLength)) {
    return Status::InvalidArgument("text is longer than " + std::to_string(kMaxRecognizeLength) + " characters");
  }
  // Reused by the calls of one thread (at most 4 × kMaxRecognizeLength code points): six arrays allocated
  // and freed per call were a tenth of a long text's recognition. No hit refers to it.
  thread_local NormalizedText folded;
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(text, &folded));
  if (folded.key.empty()) return Status::InvalidArgument("text is empty: give a segment to scan for terms");
  if (folded.original.size() > static_cast<size_t>(kMaxRecognizeLength)) {
    return Status::InvalidArgument("text is longer than " + std::to_string(kMaxRecognizeLength) + " characters");
  }
  return Recognize(folded, language, overlapping);
}

std::vector<TermHit> TermRecognizer::Recognize(const NormalizedText& text, Language language,
                                               bool overlapping) const {
  std::vector<TermHit> hits;
  std::shared_ptr<const TermAutomaton> automaton = Current();
  if (!automaton) return hits;
  const std::u32string& key = text.key;
  // Occurrences are chosen on their key spans first and only the chosen ones become TermHits: a text
  // scanned for leftmost-longest hits meets about as many shorter terms inside longer ones as it keeps, and
  // each TermHit costs its strings.
  std::vector<KeySpan> found;
  automaton->Scan(key, [&](uint32_t index, size_t end) {
    const TermAutomaton::Pattern& p = automaton->pattern(index);
    if (language != Language::kAny && p.language != language) return;
    const size_t begin = end - p.key.size();
    // Word boundaries for forms that start or end with a letter or digit.
    if (IsWordChar(p.key.front()) && begin > 0 && IsWordChar(key[begin - 1])) return;
    if (IsWordChar(p.key.back()) && end < key.size() && IsWordChar(key[end])) return;
    found.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), index});
  });
  // Leftmost first; at one start, longest first; then by term id for a stable order.
  std::sort(found.begin(), found.end(), [&](const KeySpan& a, const KeySpan& b) {
    if (a.key_begin != b.key_begin) return a.key_begin < b.key_begin;
    if (a.key_end != b.key_end) return a.key_end > b.key_end;
    const TermAutomaton::Pattern& pa = automaton->pattern(a.pattern);
    const TermAutomaton::Pattern& pb = automaton->pattern(b.pattern);
    if (pa.term_id != pb.term_id) return pa.term_id < pb.term_id;
    return pa.form < pb.form;
  });
  // The same entry can match through two forms with the same folded key: keep one hit per entry and span.
  found.erase(std::unique(found.begin(), found.end(),
                          [&](const KeySpan& a, const KeySpan& b) {
                            return a.key_begin == b.key_begin && a.key_end == b.key_end &&
                                   automaton->pattern(a.pattern).term_id == automaton->pattern(b.pattern).term_id;
                          }),
              found.end());
  if (!overlapping) found = SelectLongest(std::move(found));
  hits.reserve(found.size());
  for (const KeySpan& f : found) {
    const TermAutomaton::Pattern& p = automaton->pattern(f.pattern);
    TermHit hit;
    hit.term_id = p.term_id;
    hit.language = p.language;
    hit.form = p.form;
    hit.pattern = f.pattern;
    hit.key_begin = f.key_begin;
    hit.key_end = f.key_end;
    hit.span = text.OriginalSpan(f.key_begin, f.key_end);
    IncludeQuotes(text.original, &hit.span);
    hit.span.utf16_begin = text.utf16_offset[hit.span.cp_begin];
    hit.span.utf16_end = text.utf16_offset[hit.span.cp_end];
    hit.surface = EncodeUtf8(std::u32string_view(text.original).substr(hit.span.cp_begin, hit.span.cp_end - hit.span.cp_begin));
    hit.folded = hit.surface != p.form;
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace heluo
