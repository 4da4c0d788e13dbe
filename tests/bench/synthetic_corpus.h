// A synthetic Chinese TM for benchmarks: segments recombined from the clauses of the bundled report
// (split at ，；、：) with perturbations (changed figures, substituted characters), and English targets
// recombined the same way. Deterministic for a given seed, so runs compare.
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

 private:
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

}  // namespace heluo

#endif  // HELUO_TESTS_BENCH_SYNTHETIC_CORPUS_H_
