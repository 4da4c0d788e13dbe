#include "server/core/tm/source_postings.h"

#include <algorithm>
#include <bit>
#include <vector>

namespace heluo {

Result<SourcePostings> SourcePostings::Build(const LmdbTxn& txn, const Databases& dbs,
                                             const std::function<uint32_t(uint32_t)>& id_of) {
  SourcePostings p;
  MDB_stat stat;
  if (int rc = mdb_stat(txn.get(), dbs.src_grams, &stat); rc != 0)
    return LmdbError(rc, "sizing the source postings");
  p.numbers_.reserve(stat.ms_entries);
  p.lengths_.reserve(stat.ms_entries);  // Every posting, of every pair: an upper bound.
  std::vector<Gram> grams;
  p.list_start_.push_back(0);
  Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
  if (!c.ok()) return c.status();
  std::string_view k, v;
  Result<bool> more = c->Seek(MDB_FIRST, &k, &v);
  for (; more.ok() && *more; more = c->Seek(MDB_NEXT_NODUP, &k, &v)) {
    if (k.size() != 8) return Status::DataLoss("a source posting key is corrupt");
    const Gram gram = (uint64_t{DecodeU32(k.substr(0, 4))} << 32) | DecodeU32(k.substr(4, 4));
    const size_t before = p.numbers_.size();
    // A key with one posting has no page of duplicates: GET_MULTIPLE then leaves v as NEXT_NODUP set it.
    Result<bool> page = c->Seek(MDB_GET_MULTIPLE, &k, &v);
    for (; page.ok() && *page; page = c->Seek(MDB_NEXT_MULTIPLE, &k, &v)) {
      if (v.size() % kSourcePostingBytes != 0) return Status::DataLoss("a source posting is corrupt");
      const PostingPage postings(v);
      for (size_t i = 0; i < postings.size(); ++i) {
        const uint32_t id = id_of(postings.number(i));
        if (id == kLeftOut) continue;
        p.numbers_.push_back(id);
        p.lengths_.push_back(postings.length(i));
      }
    }
    if (!page.ok()) return page.status();
    if (p.numbers_.size() == before) continue;  // Only staged or superseded pairs.
    if (grams.size() >= 0xFFFFFFFEu) return Status::ResourceExhausted("too many source bigrams for memory");
    grams.push_back(gram);
    p.list_start_.push_back(p.numbers_.size());
  }
  if (!more.ok()) return more.status();
  p.numbers_.shrink_to_fit();
  p.lengths_.shrink_to_fit();
  // At most half full, so a probe for an absent bigram (most of a fresh query's) ends within a few slots.
  const size_t slots = std::bit_ceil(std::max<size_t>(16, grams.size() * 2));
  p.slot_gram_.assign(slots, 0);
  p.slot_list_.assign(slots, 0);
  for (size_t i = 0; i < grams.size(); ++i) {
    size_t s = Slot(grams[i], slots - 1);
    while (p.slot_list_[s] != 0) s = (s + 1) & (slots - 1);
    p.slot_gram_[s] = grams[i];
    p.slot_list_[s] = static_cast<uint32_t>(i + 1);
  }
  return p;
}

PostingRun SourcePostings::List(Gram gram) const {
  if (slot_list_.empty()) return {};
  const size_t mask = slot_list_.size() - 1;
  for (size_t s = Slot(gram, mask);; s = (s + 1) & mask) {
    const uint32_t list = slot_list_[s];
    if (list == 0) return {};
    if (slot_gram_[s] == gram) {
      const size_t begin = list_start_[list - 1];
      return PostingRun{numbers_.data() + begin, lengths_.data() + begin, list_start_[list] - begin};
    }
  }
}

PostingRun SourcePostings::Window(const PostingRun& list, size_t from, size_t to) {
  if (from > to) return {};
  const uint16_t* lengths = list.lengths;
  const size_t cap = 0xFFFF;  // Lengths are capped: from beyond it finds only the capped ones.
  const uint16_t* begin = std::lower_bound(lengths, lengths + list.size(), std::min(from, cap));
  const uint16_t* end =
      to >= cap ? lengths + list.size() : std::upper_bound(begin, lengths + list.size(), to);
  return list.Sub(static_cast<size_t>(begin - lengths), static_cast<size_t>(end - begin));
}

size_t SourcePostings::MemoryBytes() const {
  return slot_gram_.capacity() * sizeof(Gram) + slot_list_.capacity() * 4 + list_start_.capacity() * 8 +
         numbers_.capacity() * 4 + lengths_.capacity() * 2;
}

}  // namespace heluo
