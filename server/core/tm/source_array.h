// SourceArray: every stored source's token ids in one contiguous in-memory array, so fuzzy lookup can
// verify candidates, and scan a whole length window on both cores, without one random LMDB read per
// segment (issue 19).
//
// An array is an immutable copy of the visible src_tokens of ONE committed snapshot (those below the
// visibility limit: an import's staged records are left out), tagged with that snapshot's source
// generation: the id of the last write transaction that changed the visible src_tokens, which every such
// writer records in the same transaction (MarkSourceTokensChanged; an import's flip is one). A lookup uses an
// array only when its generation equals the generation its own read transaction sees, i.e. when src_tokens is
// byte for byte what the array copied; otherwise it reads LMDB as before. So a reader never sees a mix of
// two snapshots, and a write (or an aborted one, or a staged import that has not committed) can never
// leak in: the array is a pure function of committed src_tokens. docs/matching.md has the memory cost.
//
// Entries are ordered by (token count, segment number), so a length window is one contiguous range.
//
// Thread-safety: SourceArray is immutable; SourceArrayCache may be used from any thread.
#ifndef HELUO_SERVER_CORE_TM_SOURCE_ARRAY_H_
#define HELUO_SERVER_CORE_TM_SOURCE_ARRAY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/tm/huge_page_allocator.h"
#include "server/core/tm/source_postings.h"

namespace heluo {

// Records, in write transaction `txn`, that it changes the visible src_tokens. Every such writer calls it
// (staging an import does not: its records are above the visibility limit; the flip does).
Status MarkSourceTokensChanged(LmdbTxn& txn, const Databases& dbs);
// The source generation `txn` sees (0 if src_tokens was never changed by this version of heluo).
Result<uint64_t> SourceTokensGeneration(const LmdbTxn& txn, const Databases& dbs);

// A 128-bit set of a token sequence's hashed tokens (two words): a query token whose bit a segment lacks
// is not in it, and the other way round. 128 bits keep a 30-token segment's set about 20% full.
struct TokenSet {
  uint64_t w[2] = {0, 0};
  void Add(uint32_t id) {
    const uint64_t h = id * uint64_t{0x9E3779B97F4A7C15};
    w[h >> 63] |= uint64_t{1} << ((h >> 57) & 63);
  }
  static int Bit(uint32_t id) {
    return static_cast<int>((id * uint64_t{0x9E3779B97F4A7C15}) >> 57);
  }  // 0..127.
};

class SourceArray {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFF;

  // Copies src_tokens as `txn` sees it.
  static Result<std::shared_ptr<const SourceArray>> Build(const LmdbTxn& txn, const Databases& dbs);

  uint64_t generation() const { return generation_; }
  size_t size() const { return numbers_.size(); }
  uint32_t number(size_t e) const { return numbers_[e]; }
  uint32_t tag(size_t e) const { return tags_[e]; }
  const TokenSet& signature(size_t e) const { return signatures_[e]; }
  size_t length(size_t e) const { return offsets_[e + 1] - offsets_[e]; }
  std::span<const uint32_t> tokens(size_t e) const {
    return std::span<const uint32_t>(tokens_.data() + offsets_[e], offsets_[e + 1] - offsets_[e]);
  }
  // The entries whose length lies in [min_length, max_length]: [first, second).
  std::pair<size_t, size_t> LengthRange(size_t min_length, size_t max_length) const;
  // The entry of segment `number`, or kAbsent.
  uint32_t EntryOf(uint32_t number) const { return number < entry_of_.size() ? entry_of_[number] : kAbsent; }
  // Cache hints for verifying candidates met in random order: each of these is a likely cache miss, so a
  // verification loop asks for them a few candidates ahead.
  void PrefetchEntryOf(uint32_t number) const {
    if (number < entry_of_.size()) __builtin_prefetch(entry_of_.data() + number);
  }
  void PrefetchEntry(size_t e) const {
    __builtin_prefetch(offsets_.data() + e);
    __builtin_prefetch(signatures_.data() + e);
    __builtin_prefetch(tags_.data() + e);
    __builtin_prefetch(numbers_.data() + e);
  }
  void PrefetchTokens(size_t e) const { __builtin_prefetch(tokens_.data() + offsets_[e]); }
  // The source postings of exactly these entries, in memory (source_postings.h).
  const SourcePostings& postings() const { return postings_; }
  size_t MemoryBytes() const;

 private:
  uint64_t generation_ = 0;
  // Read at random places by verification: on huge pages (huge_page_allocator.h).
  HugePageVector<uint32_t> tokens_;
  HugePageVector<uint32_t> offsets_;  // size() + 1: entry e's tokens are [offsets_[e], offsets_[e + 1]).
  HugePageVector<uint32_t> numbers_, tags_;
  HugePageVector<TokenSet> signatures_;  // The entry's tokens.
  HugePageVector<uint32_t> entry_of_;    // Segment number → entry (kAbsent for none).
  std::vector<uint32_t> length_start_;   // Length l → first entry of length ≥ l; one past the longest.
  SourcePostings postings_;
};

// The array of the latest committed snapshot, rebuilt after writes. A store of up to sync_limit segments
// is copied by the lookup that needs it (milliseconds); a larger one in a background thread while lookups
// read LMDB, so a write never stalls lookups for the seconds a copy of a million segments takes.
class SourceArrayCache {
 public:
  SourceArrayCache(const Store* store, size_t sync_limit) : store_(store), sync_limit_(sync_limit) {}
  ~SourceArrayCache();
  SourceArrayCache(const SourceArrayCache&) = delete;
  SourceArrayCache& operator=(const SourceArrayCache&) = delete;

  // The array for `txn`'s snapshot, or null when there is none yet (the caller reads LMDB).
  std::shared_ptr<const SourceArray> For(const LmdbTxn& txn);
  // Makes the array of the latest committed snapshot, waiting for it (at start-up, in benchmarks).
  Status Warm();

 private:
  void Publish(std::shared_ptr<const SourceArray> array);

  const Store* store_;
  const size_t sync_limit_;
  std::mutex mu_;
  std::shared_ptr<const SourceArray> current_;
  bool building_ = false;
  std::thread builder_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_SOURCE_ARRAY_H_
