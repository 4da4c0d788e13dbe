// Synthetic Chinese TMs for benchmarks and property tests, deterministic for a given seed so runs compare.
//
// SyntheticCorpus: segments recombined from the clauses of the bundled report (split at ，；、：) with
// perturbations (changed figures, substituted characters), cut to a given length; English targets
// recombined the same way.
//
// NearDuplicateCorpus (issue 19): the harder shape, where thousands of segments share whole clauses with
// each query. A segment is 1–5 whole clauses of the report (its sources split at "，") joined by "，", a
// third of them with their figures changed; queries are stored segments as they are, stored segments with
// 1–6 character edits, and fresh recombinations, a third each.
#ifndef HELUO_TESTS_BENCH_SYNTHETIC_CORPUS_H_
#define HELUO_TESTS_BENCH_SYNTHETIC_CORPUS_H_

#include <random>
#include <string>
#include <vector>

#include "server/core/bundle.h"
#include "server/core/text/normalizer.h"

namespace heluo {

class SyntheticCorpus {
 public:
  explicit SyntheticCorpus(uint32_t seed) : rng_(seed) {
    Result<std::vector<Segment>> tm = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "bench");
    for (const Segment& s : *tm) {
      Split(s.source, U"，；、：。", &zh_clauses_);
      Split(s.target, U",;", &en_clauses_);
    }
  }

  // A source of about `chars` code points.
  std::string Source(size_t chars) {
    std::u32string out;
    while (out.size() < chars) {
      if (!out.empty()) out.push_back(U'，');
      out += zh_clauses_[rng_() % zh_clauses_.size()];
    }
    out.resize(chars);
    Perturb(&out);
    out.push_back(U'。');
    return EncodeUtf8(out);
  }

  std::string Target() {
    std::u32string out;
    const int n = 2 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < n; ++i) out += (i ? U"," : U"") + en_clauses_[rng_() % en_clauses_.size()];
    return EncodeUtf8(out) + ".";
  }

  // A query near an existing source: a few characters changed.
  std::string Near(const std::string& source) {
    std::u32string s;
    (void)DecodeUtf8(source, &s);
    Perturb(&s);
    return EncodeUtf8(s);
  }

  size_t Uniform(size_t n) { return rng_() % n; }

  static void Split(const std::string& text, std::u32string_view seps, std::vector<std::u32string>* out) {
    std::u32string s;
    if (!DecodeUtf8(text, &s).ok()) return;
    std::u32string cur;
    for (char32_t c : s) {
      if (seps.find(c) != std::u32string_view::npos) {
        if (cur.size() >= 4) out->push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (cur.size() >= 4) out->push_back(cur);
  }

  void Perturb(std::u32string* s) {
    const int edits = static_cast<int>(rng_() % 4);
    for (int e = 0; e < edits && !s->empty(); ++e) {
      char32_t& c = (*s)[rng_() % s->size()];
      if (c >= U'0' && c <= U'9') {
        c = U'0' + static_cast<char32_t>(rng_() % 10);
      } else {
        const std::u32string& donor = zh_clauses_[rng_() % zh_clauses_.size()];
        c = donor[rng_() % donor.size()];
      }
    }
  }

  std::mt19937 rng_;
  std::vector<std::u32string> zh_clauses_;
  std::vector<std::u32string> en_clauses_;
};

class NearDuplicateCorpus {
 public:
  explicit NearDuplicateCorpus(uint32_t seed) : rng_(seed), targets_(seed + 1) {
    Result<std::vector<Segment>> tm = ParseTmJsonl(EmbeddedBundle().tm_jsonl, "bench");
    for (const Segment& s : *tm) {
      std::u32string text, clause;
      if (!DecodeUtf8(s.source, &text).ok()) continue;
      for (char32_t c : text) {
        if (c == U'，') {
          if (!clause.empty()) clauses_.push_back(clause);
          clause.clear();
        } else {
          clause.push_back(c);
        }
      }
      if (!clause.empty()) clauses_.push_back(clause);
    }
  }

  // 1–5 whole clauses joined by "，"; a third of them with every figure changed.
  std::string Source() {
    std::u32string out;
    const int n = 1 + static_cast<int>(rng_() % 5);
    for (int i = 0; i < n; ++i) {
      if (i) out.push_back(U'，');
      out += clauses_[rng_() % clauses_.size()];
    }
    if (rng_() % 3 == 0) {
      for (char32_t& c : out) {
        if (c >= U'0' && c <= U'9') c = U'0' + static_cast<char32_t>(rng_() % 10);
      }
    }
    return EncodeUtf8(out);
  }

  std::string Target() { return targets_.Target(); }

  // Query i of a run over stored sources `stored`: the stored segment itself, it with 1–6 character edits
  // (substitution, insertion, deletion of a character from the report), or a fresh recombination.
  std::string Query(const std::vector<std::string>& stored) {
    const int kind = static_cast<int>(rng_() % 3);
    if (kind == 2) return Source();
    const std::string& picked = stored[rng_() % stored.size()];
    if (kind == 0) return picked;
    std::u32string s;
    (void)DecodeUtf8(picked, &s);
    const int edits = 1 + static_cast<int>(rng_() % 6);
    for (int e = 0; e < edits && s.size() > 1; ++e) {
      const std::u32string& donor = clauses_[rng_() % clauses_.size()];
      const char32_t c = donor[rng_() % donor.size()];
      const size_t at = rng_() % s.size();
      switch (rng_() % 3) {
        case 0: s[at] = c; break;
        case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        default: s.erase(s.begin() + static_cast<std::ptrdiff_t>(at)); break;
      }
    }
    return EncodeUtf8(s);
  }

  size_t clause_count() const { return clauses_.size(); }

 private:
  std::mt19937 rng_;
  SyntheticCorpus targets_;
  std::vector<std::u32string> clauses_;
};

}  // namespace heluo

#endif  // HELUO_TESTS_BENCH_SYNTHETIC_CORPUS_H_
