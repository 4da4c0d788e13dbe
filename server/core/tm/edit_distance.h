// Edit distance over token sequences: the one fuzzy scorer of heluo.
//
// EditDistance() is Myers' bit-parallel algorithm in Hyyrö's multi-block form for global (whole string
// against whole string) Levenshtein distance: O(⌈m/64⌉·n) word operations for pattern length m and text
// length n, with an early exit once the distance provably exceeds `max_distance`. Align() is the plain
// O(m·n) dynamic program with traceback, used only on the few matches returned, to report which spans
// differ. FuzzyScore() turns a distance into the 0–100 score.
//
// Thread-safety: pure functions.
#ifndef HELUO_SERVER_CORE_TM_EDIT_DISTANCE_H_
#define HELUO_SERVER_CORE_TM_EDIT_DISTANCE_H_

#include <cstdint>
#include <span>
#include <vector>

namespace heluo {

// Levenshtein distance between `a` and `b`, or any value > max_distance when it exceeds max_distance.
int EditDistance(std::span<const uint32_t> a, std::span<const uint32_t> b, int max_distance);

// EditDistance() with the pattern's bit masks built once, to measure many texts against one query.
class EditDistancePattern {
 public:
  explicit EditDistancePattern(std::span<const uint32_t> pattern);
  // EditDistance(pattern, text, max_distance).
  int Distance(std::span<const uint32_t> text, int max_distance) const;

 private:
  const uint64_t* Row(uint32_t symbol) const;  // The masks of `symbol`; all zero if not in the pattern.
  // Row() without hashing for the CJK Unified Ideographs (a Chinese token's id is its code point): most of
  // the symbols a Chinese scan meets.
  const uint64_t* FastRow(uint32_t symbol) const {
    const uint32_t d = symbol - kDirectFirst;
    return d < kDirectSize ? peq_.data() + size_t{direct_[d]} * blocks_ : Row(symbol);
  }
  static constexpr uint32_t kDirectFirst = 0x4E00, kDirectSize = 0xA000 - 0x4E00;
  std::vector<uint16_t> direct_;  // Row of kDirectFirst + i; 0 (the zero row) when absent.

  size_t m_ = 0, blocks_ = 0;
  // Open addressing from symbol to its row in peq_ (row + 1; 0 marks a free slot). Row 0 is all zero.
  std::vector<uint32_t> slot_symbol_, slot_row_;
  int hash_shift_ = 64;
  std::vector<uint64_t> peq_;  // blocks_ words per row: bit i set where the pattern has the row's symbol.
};

// floor(100 × (1 − distance / max(|a|, |b|))); 100 for two empty sequences.
int FuzzyScore(int distance, size_t len_a, size_t len_b);
// The largest distance that still scores at least `min_score` for sequences whose longer one has `longer`
// tokens: floor(longer × (100 − min_score) / 100).
int MaxDistanceFor(int min_score, size_t longer);

// A maximal run of differences: tokens [a_begin, a_end) of `a` were replaced by [b_begin, b_end) of `b`
// (an insertion or deletion has one side empty).
struct DiffRange {
  uint32_t a_begin, a_end, b_begin, b_end;
};
std::vector<DiffRange> Align(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_EDIT_DISTANCE_H_
