#include "server/core/qa/terminology_checker.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "server/core/qa/figure_check.h"

namespace heluo {

const char* TermIssueKindName(TermIssueKind kind) {
  switch (kind) {
    case TermIssueKind::kMissingRendering: return "MISSING_RENDERING";
    case TermIssueKind::kDeprecatedRendering: return "DEPRECATED_RENDERING";
    case TermIssueKind::kForbiddenRendering: return "FORBIDDEN_RENDERING";
    case TermIssueKind::kDoNotTranslateChanged: return "DO_NOT_TRANSLATE_CHANGED";
    case TermIssueKind::kCountMismatch: return "COUNT_MISMATCH";
    case TermIssueKind::kUntranslated: return "UNTRANSLATED";
    case TermIssueKind::kFigureMismatch: return "FIGURE_MISMATCH";
  }
  return "UNKNOWN";
}

namespace {

Status ReadSide(std::string_view text, const char* side, NormalizedText* out) {
  if (Status s = Normalizer::Get().Normalize(text, out); !s.ok()) return Status::InvalidArgument(std::string(side) + ": " + s.message());
  if (out->key.empty()) return Status::InvalidArgument(std::string(side) + " is empty: give the text to check");
  if (out->original.size() > static_cast<size_t>(kMaxCheckTextLength)) {
    return Status::InvalidArgument(std::string(side) + " is longer than " + std::to_string(kMaxCheckTextLength) +
                                   " characters; check it segment by segment");
  }
  return Status::Ok();
}

std::string Slice(const std::u32string& s, const TextSpan& span) {
  return EncodeUtf8(std::u32string_view(s).substr(span.cp_begin, span.cp_end - span.cp_begin));
}

TextSpan TargetSpan(const NormalizedText& target, const WordSequence& words, const WordMatch& m) {
  return target.OriginalSpan(words.key_begin[m.begin], words.key_end[m.end - 1]);
}

bool Overlaps(const WordMatch& a, const std::vector<WordMatch>& others) {
  return std::any_of(others.begin(), others.end(), [&](const WordMatch& o) { return a.begin < o.end && o.begin < a.end; });
}

bool Inside(const WordMatch& a, const std::vector<WordMatch>& others) {
  return std::any_of(others.begin(), others.end(), [&](const WordMatch& o) { return o.begin <= a.begin && a.end <= o.end; });
}

// Occurrences of `patterns` that do not overlap an accepted rendering of the term ("six fronts" inside
// "stability on six fronts" is the accepted rendering, not a deprecated short form) and do not lie inside
// an accepted rendering of another source term ("Three Zones" inside "One Pole, Three Zones" renders
// 一极三区, not the forbidden short form of 三区同建): a longer term wins over a shorter one inside it.
std::vector<WordMatch> Outside(const RenderingMatcher& matcher, const WordSequence& words,
                               const std::vector<RenderingPattern>& patterns, const std::vector<WordMatch>& accepted,
                               const std::vector<WordMatch>& others) {
  std::vector<WordMatch> out;
  if (patterns.empty()) return out;
  for (const WordMatch& m : matcher.Find(words, patterns)) {
    if (!Overlaps(m, accepted) && !Inside(m, others)) out.push_back(m);
  }
  return out;
}

struct TermOccurrences {
  const CheckEntry* entry;
  std::vector<const TermHit*> hits;
};

// `accepted`: the term's accepted renderings in the target, less those inside a longer rendering of another
// source term ("business environment" inside "Six Bests" business environment renders 六最营商环境, not
// 营商环境).
// `others`: the accepted renderings of the other source terms found in the target.
void CheckTerm(const TermOccurrences& term, const std::vector<WordMatch>& accepted,
               const std::vector<WordMatch>& others, const RenderingMatcher& matcher,
               const NormalizedText& target, const WordSequence& words, const TermCheckOptions& options,
               std::vector<TextSpan>* kept_source, std::vector<TermIssue>* issues) {
  const CheckEntry& e = *term.entry;
  auto issue_at = [&](TermIssueKind kind, IssueSeverity severity, const TermHit& hit) {
    TermIssue issue;
    issue.kind = kind;
    issue.severity = severity;
    issue.term_id = e.id;
    issue.expected = e.do_not_translate ? std::vector<std::string>{hit.surface} : e.expected;
    issue.source_text = hit.surface;
    issue.source_span = hit.span;
    return issue;
  };
  size_t next_hit = 0;  // Source occurrences are paired with target forms in order.
  auto hit_for_next = [&]() -> const TermHit& {
    const TermHit& h = *term.hits[std::min(next_hit, term.hits.size() - 1)];
    ++next_hit;
    return h;
  };
  if (e.do_not_translate) {
    const std::vector<WordMatch> kept = matcher.Find(words, e.source_forms);
    for (const WordMatch& m : kept) kept_source->push_back(TargetSpan(target, words, m));
    for (size_t i = kept.size(); i < term.hits.size(); ++i) {
      TermIssue issue = issue_at(TermIssueKind::kDoNotTranslateChanged, IssueSeverity::kError, *term.hits[i]);
      issue.message = "\"" + issue.source_text + "\" is not to be translated, but the target does not keep it";
      issues->push_back(std::move(issue));
    }
    return;
  }
  next_hit = accepted.size();
  size_t accounted = accepted.size();
  for (auto [kind, patterns] : {std::pair{TermIssueKind::kForbiddenRendering, &e.forbidden},
                                {TermIssueKind::kDeprecatedRendering, &e.deprecated}}) {
    for (const WordMatch& m : Outside(matcher, words, *patterns, accepted, others)) {
      const bool forbidden = kind == TermIssueKind::kForbiddenRendering;
      TermIssue issue = issue_at(kind, forbidden ? IssueSeverity::kError : IssueSeverity::kWarning, hit_for_next());
      issue.target_span = TargetSpan(target, words, m);
      issue.found = Slice(target.original, *issue.target_span);
      issue.message = "\"" + issue.found + "\" is a " + (forbidden ? "forbidden" : "deprecated") + " rendering of " +
                      issue.source_text + "; use \"" + e.expected[0] + "\"";
      issues->push_back(std::move(issue));
      ++accounted;
    }
  }
  if (accounted >= term.hits.size()) return;
  if (accounted == 0) {
    for (const TermHit* h : term.hits) {
      TermIssue issue = issue_at(TermIssueKind::kMissingRendering, IssueSeverity::kError, *h);
      issue.message = "the target has no rendering of " + issue.source_text + " (\"" + e.expected[0] + "\")";
      issues->push_back(std::move(issue));
    }
  } else if (options.check_counts) {
    for (size_t i = accounted; i < term.hits.size(); ++i) {
      TermIssue issue = issue_at(TermIssueKind::kCountMismatch, IssueSeverity::kWarning, *term.hits[i]);
      issue.message = issue.source_text + " occurs " + std::to_string(term.hits.size()) +
                      " times in the source, its renderings " + std::to_string(accounted) + " times in the target";
      issues->push_back(std::move(issue));
    }
  }
}

bool IsHan(char32_t c) { return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_IDEOGRAPHIC); }

void CheckUntranslated(const NormalizedText& target, const std::vector<TextSpan>& kept, std::vector<TermIssue>* issues) {
  const std::u32string& t = target.original;
  auto is_kept = [&](uint32_t i) {
    return std::any_of(kept.begin(), kept.end(), [&](const TextSpan& s) { return s.cp_begin <= i && i < s.cp_end; });
  };
  for (uint32_t i = 0; i < t.size();) {
    if (!IsHan(t[i]) || is_kept(i)) {
      ++i;
      continue;
    }
    uint32_t j = i;
    while (j < t.size() && IsHan(t[j]) && !is_kept(j)) ++j;
    TermIssue issue;
    issue.kind = TermIssueKind::kUntranslated;
    issue.severity = IssueSeverity::kError;
    issue.target_span = TextSpan{i, j, target.utf16_offset[i], target.utf16_offset[j]};
    issue.found = Slice(t, *issue.target_span);
    issue.message = "Chinese text left in the target: " + issue.found;
    issues->push_back(std::move(issue));
    i = j;
  }
}

Status CheckCollections(const TermCheckIndex* index, const std::vector<std::string>& collections) {
  if (!index) return Status::FailedPrecondition("the terminology check is not loaded yet");
  for (const std::string& name : collections) {
    if (!index->HasCollection(name)) {
      return Status::NotFound("unknown collection '" + name + "': it holds no glossary terms (heluo stats lists the collections)");
    }
  }
  return Status::Ok();
}

}  // namespace

Status TerminologyChecker::CheckCollections(const std::vector<std::string>& collections) const {
  return heluo::CheckCollections(Current().get(), collections);
}

Status TerminologyChecker::Rebuild() {
  std::vector<TermEntry> entries;
  Glossary glossary(const_cast<Store*>(store_));
  HELUO_RETURN_IF_ERROR(glossary.ForEach([&](const TermEntry& e) {
    entries.push_back(e);
    return true;
  }));
  Load(entries);
  return Status::Ok();
}

void TerminologyChecker::Load(const std::vector<TermEntry>& entries) {
  std::shared_ptr<const TermCheckIndex> index = TermCheckIndex::Build(entries);
  std::lock_guard<std::mutex> lock(mutex_);
  index_ = std::move(index);
}

std::shared_ptr<const TermCheckIndex> TerminologyChecker::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_;
}

Result<std::vector<TermIssue>> TerminologyChecker::Check(std::string_view source_text, std::string_view target_text,
                                                         const std::vector<std::string>& collections,
                                                         const TermCheckOptions& options) const {
  NormalizedText source, target;
  HELUO_RETURN_IF_ERROR(ReadSide(source_text, "source", &source));
  HELUO_RETURN_IF_ERROR(ReadSide(target_text, "target", &target));
  std::shared_ptr<const TermCheckIndex> index = Current();
  HELUO_RETURN_IF_ERROR(heluo::CheckCollections(index.get(), collections));
  // Collections are filtered before the longest-match selection, so a longer term of another collection
  // does not hide a shorter one of the collection asked for.
  std::vector<TermHit> all = recognizer_->Recognize(source, Language::kZh, /*overlapping=*/true);
  std::vector<TermHit> wanted;
  wanted.reserve(all.size());
  for (TermHit& h : all) {
    const CheckEntry* e = index->Find(h.term_id);
    if (e == nullptr) continue;
    if (!collections.empty() && std::find(collections.begin(), collections.end(), e->collection) == collections.end()) continue;
    wanted.push_back(std::move(h));
  }
  const std::vector<TermHit> hits = SelectLongest(std::move(wanted));

  std::vector<TermOccurrences> terms;  // In order of first occurrence.
  for (const TermHit& h : hits) {
    const CheckEntry* e = index->Find(h.term_id);
    auto it = std::find_if(terms.begin(), terms.end(), [&](const TermOccurrences& t) { return t.entry == e; });
    if (it == terms.end()) {
      terms.push_back({e, {}});
      it = terms.end() - 1;
    }
    it->hits.push_back(&h);
  }

  std::vector<TermIssue> issues;
  const WordSequence words = index->matcher().Read(target);
  std::vector<TextSpan> kept_source;  // Do-not-translate forms in the target: not "untranslated".
  std::vector<std::vector<WordMatch>> accepted(terms.size());
  for (size_t i = 0; i < terms.size(); ++i) accepted[i] = index->matcher().Find(words, terms[i].entry->accepted);
  for (size_t i = 0; i < terms.size(); ++i) {
    std::vector<WordMatch> own;
    for (const WordMatch& m : accepted[i]) {
      bool inside_longer = false;
      for (size_t j = 0; j < terms.size() && !inside_longer; ++j) {
        if (j == i) continue;
        for (const WordMatch& o : accepted[j]) {
          if (o.begin <= m.begin && m.end <= o.end && o.end - o.begin > m.end - m.begin) inside_longer = true;
        }
      }
      if (!inside_longer) own.push_back(m);
    }
    std::vector<WordMatch> others;
    for (size_t j = 0; j < terms.size(); ++j) {
      if (j != i) others.insert(others.end(), accepted[j].begin(), accepted[j].end());
    }
    CheckTerm(terms[i], own, others, index->matcher(), target, words, options, &kept_source, &issues);
  }
  if (options.check_untranslated) CheckUntranslated(target, kept_source, &issues);
  if (options.check_figures) CheckFigures(source, target, hits, &issues);
  return issues;
}

Status ReloadTerms(TermRecognizer& recognizer, TerminologyChecker& checker) {
  HELUO_RETURN_IF_ERROR(recognizer.Rebuild());
  return checker.Rebuild();
}

}  // namespace heluo
