#include "server/core/tm/placeables.h"

#include <algorithm>

namespace heluo {
namespace {

constexpr uint32_t kNumberToken = 0x00FFFFFE;  // Stands for any number when testing for placeables.

// Whether token i of `f` lies inside a recognised glossary term.
bool InTerm(const std::vector<TermHit>& hits, const Folded& f, size_t i) {
  return std::any_of(hits.begin(), hits.end(), [&](const TermHit& h) {
    return f.tokens[i].key_begin < h.key_end && f.tokens[i].key_end > h.key_begin;
  });
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string GroupThousands(const std::string& number) {
  const size_t dot = number.find('.');
  std::string whole = number.substr(0, dot), rest = dot == std::string::npos ? "" : number.substr(dot);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(whole[i]);
  }
  return out + rest;
}

// Replaces the first free occurrence of `from` in `target` (as a whole number) by `to`; false if absent.
bool SubstituteNumber(std::string* target, const std::string& from, const std::string& to, size_t* search_from) {
  const std::string plain = from;
  std::string stripped;
  for (char c : from) {
    if (c != ',') stripped.push_back(c);
  }
  for (const auto& [needle, replacement] :
       {std::pair{plain, to}, std::pair{GroupThousands(stripped), GroupThousands(to)}}) {
    for (size_t at = target->find(needle, *search_from); at != std::string::npos; at = target->find(needle, at + 1)) {
      const size_t end = at + needle.size();
      const bool left_ok = at == 0 || (!IsDigit((*target)[at - 1]) && (*target)[at - 1] != '.');
      const bool right_ok = end >= target->size() || !(IsDigit((*target)[end]) ||
                                                       ((*target)[end] == '.' && end + 1 < target->size() && IsDigit((*target)[end + 1])));
      if (left_ok && right_ok) {
        target->replace(at, needle.size(), replacement);
        *search_from = at + replacement.size();
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::vector<uint32_t> MaskNumbers(const Folded& f) {
  std::vector<uint32_t> out = f.ids;
  for (size_t i = 0; i < out.size(); ++i) {
    if (f.tokens[i].is_number) out[i] = kNumberToken;
  }
  return out;
}

void ApplyPlaceables(const Folded& q, const std::vector<uint32_t>& q_masked, const std::vector<TermHit>& q_terms,
                     const Folded& s, const std::string& target, const TermRecognizer* terms, TmMatch* m) {
  if (s.ids.empty() || s.ids.size() != q.ids.size() || MaskNumbers(s) != q_masked) return;
  // Differs only in numbers: placeable unless a differing number sits inside a glossary term.
  const std::vector<TermHit> s_terms = terms ? terms->Recognize(s.text, Language::kAny, true) : std::vector<TermHit>{};
  for (size_t i = 0; i < q.ids.size(); ++i) {
    if (q.ids[i] != s.ids[i] && (InTerm(q_terms, q, i) || InTerm(s_terms, s, i))) return;
  }
  m->placeable = true;
  m->substituted_target = target;
  size_t search_from = 0;
  for (size_t i = 0; i < q.ids.size(); ++i) {
    if (q.ids[i] == s.ids[i]) continue;
    NumberSubstitution sub{TokenText(s, i), TokenText(q, i), false};
    sub.applied = SubstituteNumber(&m->substituted_target, sub.stored, sub.query, &search_from);
    if (!sub.applied) search_from = 0;
    m->substitutions.push_back(std::move(sub));
  }
}

}  // namespace heluo
