#include "server/core/tm/source_postings.h"

#include <algorithm>
#include <bit>
#include <vector>

namespace heluo {

Result<SourcePostings> SourcePostings::Build(const LmdbTxn& txn, const Databases& dbs,
                                             const std::function<bool(uint32_t)>& keep) {
  SourcePostings p;
  MDB_stat stat;
  if (int rc = mdb_stat(txn.get(), dbs.src_grams, &stat); rc != 0)
    return LmdbError(rc, "sizing the source postings");
  p.bytes_.reserve(stat.ms_entries * kSourcePostingBytes);  // Every posting, of every pair: an upper bound.
  std::vector<Gram> grams;
  p.list_start_.push_back(0);
  Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
  if (!c.ok()) return c.status();
  std::string_view k, v;
  Result<bool> more = c->Seek(MDB_FIRST, &k, &v);
  for (; more.ok() && *more; more = c->Seek(MDB_NEXT_NODUP, &k, &v)) {
    if (k.size() != 8) return Status::DataLoss("a source posting key is corrupt");
    const Gram gram = (uint64_t{DecodeU32(k.substr(0, 4))} << 32) | DecodeU32(k.substr(4, 4));
    const size_t before = p.bytes_.size();
    // A key with one posting has no page of duplicates: GET_MULTIPLE then leaves v as NEXT_NODUP set it.
    Result<bool> page = c->Seek(MDB_GET_MULTIPLE, &k, &v);
    for (; page.ok() && *page; page = c->Seek(MDB_NEXT_MULTIPLE, &k, &v)) {
      if (v.size() % kSourcePostingBytes != 0) return Status::DataLoss("a source posting is corrupt");
      const PostingPage postings(v);
      for (size_t i = 0; i < postings.size(); ++i) {
        if (!keep(postings.number(i))) continue;
        const char* at = v.data() + i * kSourcePostingBytes;
        p.bytes_.insert(p.bytes_.end(), at, at + kSourcePostingBytes);
      }
    }
    if (!page.ok()) return page.status();
    if (p.bytes_.size() == before) continue;  // Only staged or superseded pairs.
    if (grams.size() >= 0xFFFFFFFEu) return Status::ResourceExhausted("too many source bigrams for memory");
    grams.push_back(gram);
    p.list_start_.push_back(p.bytes_.size());
  }
  if (!more.ok()) return more.status();
  p.bytes_.shrink_to_fit();
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

std::string_view SourcePostings::List(Gram gram) const {
  if (slot_list_.empty()) return {};
  const size_t mask = slot_list_.size() - 1;
  for (size_t s = Slot(gram, mask);; s = (s + 1) & mask) {
    const uint32_t list = slot_list_[s];
    if (list == 0) return {};
    if (slot_gram_[s] == gram) {
      return std::string_view(bytes_.data() + list_start_[list - 1],
                              list_start_[list] - list_start_[list - 1]);
    }
  }
}

std::string_view SourcePostings::Window(std::string_view list, size_t from, size_t to) {
  const PostingPage page(list);
  // The first posting of length ≥ l: lengths ascend along a list.
  auto first_of = [&](size_t l) {
    size_t lo = 0, hi = page.size();
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (page.length(mid) < l) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  if (from > to) return {};
  const size_t begin = first_of(from), end = to >= 0xFFFF ? page.size() : first_of(to + 1);
  return list.substr(begin * kSourcePostingBytes, (end - std::min(begin, end)) * kSourcePostingBytes);
}

size_t SourcePostings::MemoryBytes() const {
  return slot_gram_.capacity() * sizeof(Gram) + slot_list_.capacity() * 4 + list_start_.capacity() * 8 +
         bytes_.capacity();
}

}  // namespace heluo
