#include "server/core/tm/postings.h"

#include <algorithm>
#include <tuple>

namespace heluo {

std::string GramKey(Gram g) { return EncodeU32(static_cast<uint32_t>(g >> 32)) + EncodeU32(static_cast<uint32_t>(g)); }

std::vector<Gram> DistinctGrams(const std::vector<uint32_t>& ids, bool with_end) {
  std::vector<Gram> grams;
  grams.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i + 1 < ids.size()) {
      grams.push_back((Gram{ids[i]} << 32) | ids[i + 1]);
    } else if (with_end) {
      grams.push_back((Gram{ids[i]} << 32) | kEndToken);
    }
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

std::string SourcePosting(const std::string& number, size_t length) {
  const uint16_t len = static_cast<uint16_t>(std::min<size_t>(length, 0xFFFF));
  return std::string{static_cast<char>(len >> 8), static_cast<char>(len & 0xFF)} + number;
}

uint32_t SourcePostingNumber(std::string_view posting) { return DecodeU32(posting.substr(2, 4)); }

uint64_t BigEndianValue(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

void SortPostings(std::vector<WaitingPosting>* waiting, std::vector<WaitingPosting>* sorted) {
  if (waiting->size() < 65536) {
    std::sort(waiting->begin(), waiting->end());
    return;
  }
  // Buckets in key order by the bigram's first token: one per code point below 0x20000 (Han, kana, Latin:
  // one-character tokens), one for the rare code points above, and 2^16 for the hashed word ids (top bit
  // set, uniform), so a bucket holds a few dozen postings of a staging transaction's millions.
  constexpr uint32_t kCodePoints = 0x20000, kBuckets = kCodePoints + 1 + (1u << 16);
  auto bucket = [](uint64_t gram) -> uint32_t {
    const uint32_t first = static_cast<uint32_t>(gram >> 32);
    if (first < kCodePoints) return first;
    if (first < 0x80000000u) return kCodePoints;
    return kCodePoints + 1 + ((first - 0x80000000u) >> 15);
  };
  std::vector<uint32_t> start(kBuckets + 1, 0);
  for (const WaitingPosting& w : *waiting) ++start[bucket(w.gram) + 1];
  for (uint32_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  sorted->resize(waiting->size());
  std::vector<uint32_t> at(start.begin(), start.end() - 1);
  for (const WaitingPosting& w : *waiting) (*sorted)[at[bucket(w.gram)]++] = w;
  for (uint32_t b = 0; b < kBuckets; ++b) {
    if (start[b + 1] - start[b] > 1) std::sort(sorted->begin() + start[b], sorted->begin() + start[b + 1]);
  }
  waiting->swap(*sorted);
  sorted->clear();
}

Result<AppendPastLast> AppendPastLast::Of(LmdbCursor& cursor) {
  Result<std::optional<std::string>> last = cursor.LastKey();
  if (!last.ok()) return last.status();
  AppendPastLast out;
  out.last_ = std::move(*last);
  return out;
}

unsigned AppendPastLast::FlagsFor(std::string_view key) {
  if (last_ && key <= *last_) return 0;
  last_ = std::string(key);
  return MDB_APPEND | MDB_APPENDDUP;
}

Status PutSortedPostings(LmdbCursor& cursor, const WaitingPosting* begin, const WaitingPosting* end,
                         size_t value_size) {
  Result<AppendPastLast> append = AppendPastLast::Of(cursor);
  if (!append.ok()) return append.status();
  std::string values;
  for (const WaitingPosting* p = begin; p != end;) {
    const uint64_t gram = p->gram;
    values.clear();
    for (; p != end && p->gram == gram; ++p) {
      for (size_t b = value_size; b-- > 0;) values.push_back(static_cast<char>(p->value >> (8 * b)));
    }
    const std::string key = GramKey(gram);
    HELUO_RETURN_IF_ERROR(cursor.PutMultiple(key, values, value_size, append->FlagsFor(key)));
  }
  return Status::Ok();
}

Status PostingBatch::Flush(LmdbTxn& txn, const Databases& dbs) {
  for (auto [waiting, dbi, size] : {std::tuple{&source_, dbs.src_grams, kSourcePostingBytes},
                                    std::tuple{&target_, dbs.tgt_grams, size_t{4}}}) {
    SortPostings(waiting, &sorted_);
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
    if (!cursor.ok()) return cursor.status();
    HELUO_RETURN_IF_ERROR(PutSortedPostings(*cursor, waiting->data(), waiting->data() + waiting->size(), size));
    waiting->clear();
  }
  numbers_.clear();
  return Status::Ok();
}

Status PostingBatch::Add(LmdbTxn& txn, const Databases& dbs, const std::string& number,
                         const std::vector<uint32_t>& source_ids, const std::vector<uint32_t>* target_ids) {
  numbers_.insert(DecodeU32(number));
  const std::vector<Gram> target_grams = target_ids ? DistinctGrams(*target_ids, true) : std::vector<Gram>{};
  return AddGrams(txn, dbs, number, source_ids.size(), DistinctGrams(source_ids, true),
                  target_ids ? &target_grams : nullptr);
}

Status PostingBatch::AddGrams(LmdbTxn& txn, const Databases& dbs, const std::string& number, size_t source_length,
                              const std::vector<Gram>& source_grams, const std::vector<Gram>* target_grams) {
  const uint64_t source_value = BigEndianValue(SourcePosting(number, source_length));
  for (Gram g : source_grams) source_.push_back({g, source_value});
  if (target_grams) {
    const uint64_t target_value = BigEndianValue(number);
    for (Gram g : *target_grams) target_.push_back({g, target_value});
  }
  return waiting() >= max_waiting_ ? Flush(txn, dbs) : Status::Ok();
}

}  // namespace heluo
