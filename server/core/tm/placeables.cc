#include "server/core/tm/placeables.h"

#include <algorithm>

#include "server/core/text/counted_noun.h"
#include "server/core/text/figures.h"

namespace heluo {
namespace {

constexpr uint32_t kFigureToken = 0x00FFFFFE;  // Stands for any figure when testing for placeables.

bool IsMagnitudeId(const Folded& f, size_t i) {
  const uint32_t id = f.ids[i];
  if (id == U'万' || id == U'亿') return true;
  if (id == U'百') return i + 1 < f.ids.size() && f.ids[i + 1] == U'万';
  if (id != U'千') return false;
  if (i + 1 >= f.ids.size()) return true;
  const uint32_t next = f.ids[i + 1];  // 千米, 千克, 千瓦, 千伏 are units (text/figures.h reads them alike).
  return !(next == U'米' || next == U'克' || next == U'瓦' || next == U'伏');
}

// Whether key range [begin, end) overlaps a recognised term.
bool InTerm(const std::vector<TermHit>& hits, uint32_t begin, uint32_t end) {
  return std::any_of(hits.begin(), hits.end(), [&](const TermHit& h) { return begin < h.key_end && end > h.key_begin; });
}

std::vector<Figure> Substitutable(std::vector<Figure> all) {
  all.erase(std::remove_if(all.begin(), all.end(), [](const Figure& f) { return f.words; }), all.end());
  return all;
}

std::string Slice(std::u32string_view s, uint32_t begin, uint32_t end) { return EncodeUtf8(s.substr(begin, end - begin)); }

// Whether the copies of the figure sf[i] (the same value and kind more than once in the stored source) are
// aligned in order, each copy with its own rendering, and the English writes the other aligned figures in
// the same order relative to them: then the k-th copy is the k-th English rendering. A translation that
// moved a clause ("…for eight enterprises" last) breaks the order of some other figure and is refused.
bool InOrder(const std::vector<Figure>& sf, const std::vector<Figure>& tf, const std::vector<int>& aligned,
             size_t i) {
  std::vector<size_t> copies;
  for (size_t j = 0; j < sf.size(); ++j) {
    if (sf[j].value == sf[i].value && sf[j].kind == sf[i].kind) copies.push_back(j);
  }
  int renderings = 0;
  for (const Figure& o : tf) renderings += !o.words && Renders(o, sf[i]);
  if (renderings != static_cast<int>(copies.size())) return false;
  for (size_t c = 0; c < copies.size(); ++c) {
    if (aligned[copies[c]] < 0 || tf[static_cast<size_t>(aligned[copies[c]])].words ||
        (c > 0 && aligned[copies[c]] <= aligned[copies[c - 1]]) || sf[copies[c]].unit != sf[i].unit) {
      return false;
    }
  }
  for (size_t j = 0; j < sf.size(); ++j) {
    if (aligned[j] < 0 || std::find(copies.begin(), copies.end(), j) != copies.end()) continue;
    const auto before_in_source = std::count_if(copies.begin(), copies.end(), [&](size_t c) { return c < j; });
    const auto before_in_target =
        std::count_if(copies.begin(), copies.end(), [&](size_t c) { return aligned[c] < aligned[j]; });
    if (before_in_source != before_in_target) return false;
  }
  return true;
}

}  // namespace

std::vector<uint32_t> MaskFigures(const Folded& f) {
  std::vector<uint32_t> out;
  out.reserve(f.ids.size());
  for (size_t i = 0; i < f.ids.size(); ++i) {
    if (!f.tokens[i].is_number) {
      out.push_back(f.ids[i]);
      continue;
    }
    out.push_back(kFigureToken);
    if (i + 1 < f.ids.size() && (f.ids[i + 1] == U'余' || f.ids[i + 1] == U'多')) out.push_back(f.ids[++i]);
    while (i + 1 < f.ids.size() && IsMagnitudeId(f, i + 1)) ++i;
  }
  return out;
}

void ApplyPlaceables(const Folded& q, const std::vector<uint32_t>& q_masked, const std::vector<TermHit>& q_terms,
                     const Folded& s, const std::string& target, const TermRecognizer* terms, TmMatch* m) {
  if (s.ids.empty() || MaskFigures(s) != q_masked) return;
  const std::vector<Figure> qf = Substitutable(ParseChineseFigures(q.text.key));
  const std::vector<Figure> sf = Substitutable(ParseChineseFigures(s.text.key));
  if (qf.size() != sf.size()) return;
  // Differs only in figures: placeable unless a differing figure sits inside a glossary term.
  std::vector<size_t> differing;
  for (size_t i = 0; i < qf.size(); ++i) {
    if (qf[i].kind != sf[i].kind) return;
    if (qf[i].value == sf[i].value) continue;  // 2.2亿 and 22000万 are the same figure.
    differing.push_back(i);
  }
  if (!differing.empty()) {
    const std::vector<TermHit> s_terms = terms ? terms->Recognize(s.text, Language::kAny, true) : std::vector<TermHit>{};
    for (size_t i : differing) {
      if (InTerm(q_terms, qf[i].begin, qf[i].end) || InTerm(s_terms, sf[i].begin, sf[i].end)) return;
    }
  }

  std::u32string t;
  if (!DecodeUtf8(target, &t).ok()) return;
  const std::vector<Figure> tf = ParseEnglishFigures(t);
  const std::vector<int> aligned = AlignFigures(sf, tf);
  std::vector<bool> used(tf.size(), false);
  for (int k : aligned) {
    if (k >= 0) used[static_cast<size_t>(k)] = true;
  }

  struct Edit {
    uint32_t begin, end;
    std::u32string text;
  };
  std::vector<Edit> edits;
  bool all_applied = true;
  for (size_t i : differing) {
    NumberSubstitution sub;
    sub.stored = Slice(s.text.key, sf[i].number_begin, sf[i].number_end);
    sub.query = Slice(q.text.key, qf[i].number_begin, qf[i].number_end);
    const std::string stored_figure = Slice(s.text.key, sf[i].begin, sf[i].end);
    const bool repeated = std::any_of(sf.begin(), sf.end(), [&](const Figure& o) {
      const size_t j = static_cast<size_t>(&o - sf.data());
      return j != i && o.value == sf[i].value && o.kind == sf[i].kind && !(qf[j].value == qf[i].value);
    });
    const bool stale_copy = std::any_of(tf.begin(), tf.end(), [&](const Figure& o) {
      return static_cast<int>(&o - tf.data()) != aligned[i] && !used[static_cast<size_t>(&o - tf.data())] &&
             !o.words && Renders(o, sf[i]);
    });
    const bool repeated_unclear = repeated && !InOrder(sf, tf, aligned, i);
    if (repeated_unclear) {
      sub.reason = "the stored source has " + stored_figure +
                   " more than once and not every one changes the same way, and the English does not write them in the same "
                   "order among its other figures, so which English figure to rewrite is unclear";
    } else if (aligned[i] < 0) {
      sub.reason = "the stored target has no figure for " + stored_figure + " (" + DescribeInEnglish(sf[i]) + ")";
    } else if (stale_copy) {
      sub.reason = "the stored target writes " + stored_figure + " more than once";
    } else {
      const Figure& like = tf[static_cast<size_t>(aligned[i])];
      sub.stored_rendering = Slice(t, like.number_begin, like.magnitude_end);
      std::string why_not;
      // "one station" → "two stations": the noun changes with the count, where its plural is certain.
      std::optional<NounEdit> noun;
      if (like.spelled && !like.sentence_start && like.value == Decimal::FromInt(1) && qf[i].value.Compare(Decimal::FromInt(1)) > 0) {
        noun = PluralOfCountedNoun(t, like.number_end);
      }
      std::optional<std::u32string> text = RenderLike(like, qf[i], &why_not, noun.has_value());
      if (!text) {
        sub.reason = "the stored target writes " + stored_figure + " as \"" + sub.stored_rendering + "\", " +
                     (why_not.empty() ? std::string("which heluo does not rewrite") : why_not);
      } else {
        sub.applied = true;
        sub.query_rendering = EncodeUtf8(*text);
        edits.push_back(Edit{like.number_begin, like.magnitude_end, std::move(*text)});
        if (noun) {
          sub.query_rendering += Slice(t, like.magnitude_end, noun->begin) + EncodeUtf8(noun->plural);
          edits.push_back(Edit{noun->begin, noun->end, std::move(noun->plural)});
        }
      }
    }
    all_applied &= sub.applied;
    m->substitutions.push_back(std::move(sub));
  }
  if (!all_applied) return;
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  for (const Edit& e : edits) t.replace(e.begin, e.end - e.begin, e.text);
  m->placeable = true;
  m->substituted_target = EncodeUtf8(t);
}

}  // namespace heluo
