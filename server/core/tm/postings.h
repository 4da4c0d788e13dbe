// Postings: the token-bigram index of the translation memory (src_grams, tgt_grams in store.h).
//
// A bigram is two token ids; every sequence ends with kEndToken, so every token starts a bigram and a
// one-token sequence has one. A source posting is (token count, segment number), both big-endian, so each
// bigram's list is sorted by length and a lookup reads only the part inside its length window; a target
// posting is the segment number alone (concordance needs no lengths).
//
// PostingBatch gathers the postings of a bulk write and writes them key by key, sorted, one cursor
// operation per page (MDB_MULTIPLE): one put per posting at random places was over half of an import's time.
#ifndef HELUO_SERVER_CORE_TM_POSTINGS_H_
#define HELUO_SERVER_CORE_TM_POSTINGS_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "server/core/status.h"
#include "server/core/store/store.h"

namespace heluo {

using Gram = uint64_t;  // Two token ids: (first << 32) | second.

inline constexpr uint32_t kEndToken = 0x00FFFFFF;  // Not a code point, not a hashed id: ends every sequence.
inline constexpr size_t kSourcePostingBytes = 6;

std::string GramKey(Gram g);

// Distinct token bigrams of `ids`, sorted; with_end adds (last, end token), so every token starts a bigram
// and a one-token sequence has one.
std::vector<Gram> DistinctGrams(const std::vector<uint32_t>& ids, bool with_end);

// A source posting: the segment's token count (capped at 65535), then its 4-byte number.
std::string SourcePosting(const std::string& number, size_t length);
uint32_t SourcePostingNumber(std::string_view posting);

// Up to 8 bytes read as a big-endian number: comparing such numbers orders them as LMDB orders the bytes.
uint64_t BigEndianValue(std::string_view bytes);

// One page of source postings (MDB_GET_MULTIPLE), decoded in place.
class PostingPage {
 public:
  explicit PostingPage(std::string_view page)
      : p_(reinterpret_cast<const uint8_t*>(page.data())), size_(page.size() / kSourcePostingBytes) {}
  size_t size() const { return size_; }
  std::string_view bytes() const { return {reinterpret_cast<const char*>(p_), size_ * kSourcePostingBytes}; }
  uint16_t length(size_t i) const {
    const uint8_t* be = p_ + i * kSourcePostingBytes;
    return static_cast<uint16_t>((be[0] << 8) | be[1]);
  }
  uint32_t number(size_t i) const {
    uint32_t be;
    std::memcpy(&be, p_ + i * kSourcePostingBytes + 2, 4);
    return std::endian::native == std::endian::big ? be : __builtin_bswap32(be);
  }

 private:
  const uint8_t* p_;
  size_t size_;
};

// A posting waiting to be written: its bigram and its value, a source posting (6 bytes) or a target one (the
// segment number, 4 bytes) read as a big-endian number, so that comparing numbers orders them as LMDB orders
// the bytes.
struct WaitingPosting {
  uint64_t gram = 0;
  uint64_t value = 0;
  auto operator<=>(const WaitingPosting&) const = default;
};

// Sorts `postings` (as std::sort would: key order, and within a key the order LMDB keeps duplicates in),
// large ones by a counting pass on the bigram's first token and a sort of each small bucket: one std::sort
// of a staging transaction's millions of postings was the import writer's top item in perf
// (docs/performance.md). `buffer` is scratch space, kept by the caller to reuse its memory.
void SortPostings(std::vector<WaitingPosting>* postings, std::vector<WaitingPosting>* buffer);

// Puts of ascending keys through one cursor: a key past the database's last key is appended (MDB_APPEND
// skips the search from the root and the key comparisons on the way down, the writer's top items when an
// import fills a fresh index); a key at or before it is put the ordinary way. Not for a key put twice in a
// row as new (the second is an ordinary put: a duplicate of a DUPSORT key).
class AppendPastLast {
 public:
  static Result<AppendPastLast> Of(LmdbCursor& cursor);
  // MDB_APPEND | MDB_APPENDDUP when `key` is past every key written so far, else 0.
  unsigned FlagsFor(std::string_view key);

 private:
  std::optional<std::string> last_;
};

// Writes postings sorted as SortPostings leaves them to a gram table through `cursor`, whose values are the
// last `value_size` bytes of each posting's value: one MDB_MULTIPLE put per bigram.
Status PutSortedPostings(LmdbCursor& cursor, const WaitingPosting* begin, const WaitingPosting* end,
                         size_t value_size);

// Gram postings gathered during a bulk write (an import), written sorted by Flush. Postings wait in memory
// (at most max_waiting, about 32 MB by default) until Flush, which Add calls when the batch is full; the
// translation memory flushes before it replaces a pair whose postings are still waiting, and whoever made
// the batch flushes it before the transaction commits. Lookups in the same transaction do not see waiting
// postings. Not thread-safe: one batch belongs to one write transaction.
class PostingBatch {
 public:
  static constexpr size_t kMaxWaiting = size_t{1} << 21;
  explicit PostingBatch(size_t max_waiting = kMaxWaiting) : max_waiting_(max_waiting) {}
  size_t waiting() const { return source_.size() + target_.size(); }
  // Whether postings of segment `number` wait here.
  bool Holds(uint32_t number) const { return numbers_.count(number) > 0; }

  // Queues the source postings of pair `number` (4-byte key) and its target postings when given; flushes
  // when full.
  Status Add(LmdbTxn& txn, const Databases& dbs, const std::string& number, const std::vector<uint32_t>& source_ids,
             const std::vector<uint32_t>* target_ids);
  // Queues postings already computed (DistinctGrams(..., true) of each side) of pair `number`, which must
  // not be replaced while they wait (Holds does not know it): an import's staged pairs.
  Status AddGrams(LmdbTxn& txn, const Databases& dbs, const std::string& number, size_t source_length,
                  const std::vector<Gram>& source_grams, const std::vector<Gram>* target_grams);
  // Writes every waiting posting and empties the batch.
  Status Flush(LmdbTxn& txn, const Databases& dbs);

 private:
  size_t max_waiting_;
  using Waiting = WaitingPosting;
  std::vector<Waiting> source_, target_;
  std::vector<Waiting> sorted_;  // SortPostings' buffer.
  std::unordered_set<uint32_t> numbers_;  // Segment numbers with waiting postings.
};

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_POSTINGS_H_
