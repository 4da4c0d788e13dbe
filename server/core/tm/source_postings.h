// SourcePostings: an in-memory copy of the source postings (src_grams) of the segments in one SourceArray, so
// that fuzzy lookup sizes and reads a query's posting lists without LMDB (issue 19 goal 1). From LMDB each
// list cost a B-tree descent to size it, another to seek its length window, and a cursor step and a cold
// 4 KiB page per ~680 postings; here a list is a hash probe and a binary search in contiguous,
// huge-page-backed arrays.
//
// The copy holds exactly the postings of the array's entries, in LMDB's order (by length, then number), each
// under the segment's ENTRY in the array instead of its number: the array is ordered by (length, number) too,
// so along a list the entries ascend and a lookup's counters (one per entry) are met in ascending order, and
// a candidate needs no look-up of its entry. Postings of staged pairs (above the visibility limit) and
// leftovers of superseded pairs that the collection after an import's flip has not removed yet have no entry
// and are left out. They never yielded a candidate (verification dropped a number without an entry), so a
// lookup finds the same candidates either way.
//
// Thread-safety: immutable after Build.
#ifndef HELUO_SERVER_CORE_TM_SOURCE_POSTINGS_H_
#define HELUO_SERVER_CORE_TM_SOURCE_POSTINGS_H_

#include <cstdint>
#include <functional>

#include "server/core/status.h"
#include "server/core/store/store.h"
#include "server/core/tm/huge_page_allocator.h"
#include "server/core/tm/postings.h"

namespace heluo {

// Some postings of one list, in its order: the ids of the segments (Build's id_of of their numbers) and their
// lengths (capped at 65535) side by side, in native byte order. Counting reads the ids alone; admitting, the
// lengths too.
struct PostingRun {
  const uint32_t* numbers = nullptr;
  const uint16_t* lengths = nullptr;
  size_t count = 0;

  size_t size() const { return count; }
  uint32_t number(size_t i) const { return numbers[i]; }
  uint16_t length(size_t i) const { return lengths[i]; }
  bool empty() const { return count == 0; }
  PostingRun Sub(size_t from, size_t n) const { return PostingRun{numbers + from, lengths + from, n}; }
};

class SourcePostings {
 public:
  static constexpr uint32_t kLeftOut = 0xFFFFFFFF;

  // Copies the postings of src_grams as `txn` sees them, each under id_of(its segment number), leaving out
  // those whose id is kLeftOut. REQUIRES: id_of keeps the order of the numbers of segments of equal length.
  static Result<SourcePostings> Build(const LmdbTxn& txn, const Databases& dbs,
                                      const std::function<uint32_t(uint32_t)>& id_of);

  // The list of `gram`, sorted by (length, number) as in LMDB; empty if none.
  PostingRun List(Gram gram) const;
  // The postings of `list` whose length lies in [from, to].
  static PostingRun Window(const PostingRun& list, size_t from, size_t to);

  size_t lists() const { return list_start_.empty() ? 0 : list_start_.size() - 1; }
  size_t postings() const { return numbers_.size(); }
  size_t MemoryBytes() const;

 private:
  static size_t Slot(Gram gram, size_t mask) {
    return static_cast<size_t>((gram * uint64_t{0x9E3779B97F4A7C15}) >> 20) & mask;
  }

  // Open addressing, linear probing: slot → gram and list index + 1 (0: empty slot).
  HugePageVector<Gram> slot_gram_;
  HugePageVector<uint32_t> slot_list_;
  HugePageVector<uint64_t> list_start_;  // lists() + 1 offsets into numbers_ and lengths_.
  HugePageVector<uint32_t> numbers_;
  HugePageVector<uint16_t> lengths_;
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_SOURCE_POSTINGS_H_
