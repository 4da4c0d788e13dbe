#include "server/core/tm/edit_distance.h"

#include <algorithm>
#include <bit>

namespace heluo {

int FuzzyScore(int distance, size_t len_a, size_t len_b) {
  const size_t longer = std::max(len_a, len_b);
  if (longer == 0) return 100;
  return static_cast<int>((100 * (static_cast<int64_t>(longer) - distance)) / static_cast<int64_t>(longer));
}

int MaxDistanceFor(int min_score, size_t longer) {
  return static_cast<int>((static_cast<int64_t>(longer) * (100 - min_score)) / 100);
}

int EditDistance(std::span<const uint32_t> a, std::span<const uint32_t> b, int max_distance) {
  return EditDistancePattern(a).Distance(b, max_distance);
}

EditDistancePattern::EditDistancePattern(std::span<const uint32_t> pattern)
    : m_(pattern.size()), blocks_((pattern.size() + 63) / 64) {
  size_t slots = 16;
  while (slots < 2 * m_) slots *= 2;
  hash_shift_ = 64 - std::countr_zero(slots);
  slot_symbol_.assign(slots, 0);
  slot_row_.assign(slots, 0);
  peq_.assign(blocks_, 0);  // Row 0: symbols absent from the pattern.
  direct_.assign(kDirectSize, 0);
  for (size_t i = 0; i < m_; ++i) {
    size_t s = (pattern[i] * uint64_t{0x9E3779B97F4A7C15}) >> hash_shift_;
    while (slot_row_[s] != 0 && slot_symbol_[s] != pattern[i]) s = (s + 1) & (slots - 1);
    if (slot_row_[s] == 0) {
      slot_symbol_[s] = pattern[i];
      slot_row_[s] = static_cast<uint32_t>(peq_.size() / blocks_);
      peq_.resize(peq_.size() + blocks_, 0);
    }
    peq_[slot_row_[s] * blocks_ + i / 64] |= uint64_t{1} << (i % 64);
    if (pattern[i] - kDirectFirst < kDirectSize) direct_[pattern[i] - kDirectFirst] = static_cast<uint16_t>(slot_row_[s]);
  }
}

const uint64_t* EditDistancePattern::Row(uint32_t symbol) const {
  const size_t mask = slot_row_.size() - 1;
  for (size_t s = (symbol * uint64_t{0x9E3779B97F4A7C15}) >> hash_shift_;; s = (s + 1) & mask) {
    if (slot_row_[s] == 0) return peq_.data();
    if (slot_symbol_[s] == symbol) return &peq_[slot_row_[s] * blocks_];
  }
}

int EditDistancePattern::Distance(std::span<const uint32_t> b, int max_distance) const {
  // The pattern is vertical, `b` the text (horizontal).
  const size_t m = m_, n = b.size(), blocks = blocks_;
  if (m == 0) return static_cast<int>(n);
  if (n == 0) return static_cast<int>(m);
  const int diff = static_cast<int>(m > n ? m - n : n - m);
  if (diff > max_distance) return max_distance + 1;

  constexpr size_t kStackBlocks = 4;  // Patterns of up to 256 tokens need no allocation.
  uint64_t stack_pv[kStackBlocks], stack_mv[kStackBlocks];
  std::vector<uint64_t> heap;
  uint64_t* pv = stack_pv;
  uint64_t* mv = stack_mv;
  if (blocks > kStackBlocks) {
    heap.resize(2 * blocks);
    pv = heap.data();
    mv = heap.data() + blocks;
  }
  std::fill(pv, pv + blocks, ~uint64_t{0});
  std::fill(mv, mv + blocks, uint64_t{0});
  const uint64_t last_high = uint64_t{1} << ((m - 1) % 64);
  int score = static_cast<int>(m);
  for (size_t j = 0; j < n; ++j) {
    const uint64_t* eq_row = FastRow(b[j]);
    int hin = 1;  // Global distance: row 0 grows by one per text symbol.
    for (size_t k = 0; k < blocks; ++k) {
      uint64_t eq = eq_row[k];
      const uint64_t pvk = pv[k], mvk = mv[k];
      const uint64_t xv = eq | mvk;
      if (hin < 0) eq |= 1;
      const uint64_t xh = (((eq & pvk) + pvk) ^ pvk) | eq;
      uint64_t ph = mvk | ~(xh | pvk);
      uint64_t mh = pvk & xh;
      const uint64_t high = k + 1 == blocks ? last_high : uint64_t{1} << 63;
      const int hout = (ph & high) ? 1 : ((mh & high) ? -1 : 0);
      ph <<= 1;
      mh <<= 1;
      if (hin < 0) {
        mh |= 1;
      } else if (hin > 0) {
        ph |= 1;
      }
      pv[k] = mh | ~(xv | ph);
      mv[k] = ph & xv;
      hin = hout;
    }
    score += hin;
    // D[m][n] >= D[m][j+1] - (n - j - 1): stop once even all-matches cannot bring it under the bound.
    if (score - static_cast<int>(n - j - 1) > max_distance) return max_distance + 1;
  }
  return score;
}

std::vector<DiffRange> Align(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t m = a.size(), n = b.size();
  std::vector<uint32_t> d((m + 1) * (n + 1));
  auto at = [&](size_t i, size_t j) -> uint32_t& { return d[i * (n + 1) + j]; };
  for (size_t i = 0; i <= m; ++i) at(i, 0) = static_cast<uint32_t>(i);
  for (size_t j = 0; j <= n; ++j) at(0, j) = static_cast<uint32_t>(j);
  for (size_t i = 1; i <= m; ++i) {
    for (size_t j = 1; j <= n; ++j) {
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0u : 1u)});
    }
  }
  // Trace back from the end, marking which positions of a and b are matched.
  std::vector<bool> a_matched(m, false), b_matched(n, false);
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // Matched (i, j), from the end.
  size_t i = m, j = n;
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1] && at(i, j) == at(i - 1, j - 1)) {
      pairs.emplace_back(static_cast<uint32_t>(i - 1), static_cast<uint32_t>(j - 1));
      --i;
      --j;
    } else if (at(i, j) == at(i - 1, j - 1) + 1) {
      --i;
      --j;
    } else if (at(i, j) == at(i - 1, j) + 1) {
      --i;
    } else {
      --j;
    }
  }
  std::reverse(pairs.begin(), pairs.end());
  // Gaps between consecutive matched pairs are the differing ranges.
  std::vector<DiffRange> out;
  uint32_t pa = 0, pb = 0;
  pairs.emplace_back(static_cast<uint32_t>(m), static_cast<uint32_t>(n));  // Sentinel.
  for (auto [ma, mb] : pairs) {
    if (ma > pa || mb > pb) out.push_back(DiffRange{pa, ma, pb, mb});
    pa = ma + 1;
    pb = mb + 1;
  }
  return out;
}

}  // namespace heluo
