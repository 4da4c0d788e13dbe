#include "server/core/tm/source_array.h"

#include <algorithm>
#include <cstring>

#include "server/core/tm/segment.h"

namespace heluo {
namespace {

constexpr const char* kSourceGenerationKey = "src_tokens_txn";

}  // namespace

Status MarkSourceTokensChanged(LmdbTxn& txn, const Databases& dbs) {
  // A write transaction's id is the one it commits under, so the mark names this snapshot exactly.
  return txn.Put(dbs.meta, kSourceGenerationKey, EncodeU64(mdb_txn_id(txn.get())));
}

Result<uint64_t> SourceTokensGeneration(const LmdbTxn& txn, const Databases& dbs) {
  Result<std::optional<std::string_view>> v = txn.Get(dbs.meta, kSourceGenerationKey);
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->size() != 8) return uint64_t{0};
  return DecodeU64(**v);
}

Result<std::shared_ptr<const SourceArray>> SourceArray::Build(const LmdbTxn& txn, const Databases& dbs) {
  auto a = std::make_shared<SourceArray>();
  Result<uint64_t> generation = SourceTokensGeneration(txn, dbs);
  if (!generation.ok()) return generation.status();
  a->generation_ = *generation;
  // Numbers at or above the visibility limit are staged by an import (tm/staging.h): not in the array, so
  // staging leaves the visible sources, and with them the generation, as they were until the flip.
  Result<std::optional<std::string_view>> next_number = txn.Get(dbs.meta, kNextSegmentKey);
  if (!next_number.ok()) return next_number.status();
  const uint32_t limit = next_number->has_value() ? DecodeU32(**next_number) : 1;
  // Two passes over src_tokens: lengths first, so every entry can go straight to its place in length order.
  std::vector<uint32_t> count_of_length;
  size_t entries = 0, total = 0;
  uint32_t max_number = 0;
  HELUO_RETURN_IF_ERROR(
      ScanRecords(txn, dbs.src_tokens, "", [&](std::string_view key, std::string_view value) -> Result<bool> {
        if (key.size() != 4 || value.size() < 4 || value.size() % 4 != 0)
          return Status::DataLoss("a source token record is corrupt");
        if (DecodeU32(key) >= limit) return false;  // Keys in number order: the rest is staged too.
        const size_t length = (value.size() - 4) / 4;
        if (count_of_length.size() <= length) count_of_length.resize(length + 1, 0);
        ++count_of_length[length];
        ++entries;
        total += length;
        max_number = std::max(max_number, DecodeU32(key));
        return true;
      }));
  if (total > 0xFFFFFFFFu) return Status::ResourceExhausted("too many source tokens for the in-memory array");
  a->length_start_.assign(count_of_length.size() + 1, 0);
  for (size_t l = 0; l < count_of_length.size(); ++l)
    a->length_start_[l + 1] = a->length_start_[l] + count_of_length[l];
  a->numbers_.resize(entries);
  a->tags_.resize(entries);
  a->signatures_.resize(entries);
  a->offsets_.resize(entries + 1);
  a->tokens_.resize(total);
  a->entry_of_.assign(entries == 0 ? 0 : size_t{max_number} + 1, kAbsent);
  // Token offsets follow entry order: the entries of length l start after all shorter ones.
  std::vector<uint32_t> next_entry(a->length_start_.begin(), a->length_start_.end() - 1);
  std::vector<size_t> token_start(count_of_length.size() + 1, 0);
  for (size_t l = 0; l < count_of_length.size(); ++l)
    token_start[l + 1] = token_start[l] + size_t{count_of_length[l]} * l;
  HELUO_RETURN_IF_ERROR(
      ScanRecords(txn, dbs.src_tokens, "", [&](std::string_view key, std::string_view value) -> Result<bool> {
        if (DecodeU32(key) >= limit) return false;
        const size_t length = (value.size() - 4) / 4;
        if (length >= count_of_length.size())
          return Status::Internal("src_tokens changed within one read transaction");
        const uint32_t e = next_entry[length]++;
        const uint32_t number = DecodeU32(key);
        a->numbers_[e] = number;
        a->tags_[e] = DecodeU32(value.substr(0, 4));
        a->entry_of_[number] = e;
        const size_t at = token_start[length] + size_t{e - a->length_start_[length]} * length;
        a->offsets_[e] = static_cast<uint32_t>(at);
        uint32_t* out = a->tokens_.data() + at;
        std::memcpy(out, value.data() + 4, length * 4);
        TokenSet sig;
        for (size_t i = 0; i < length; ++i) sig.Add(out[i]);
        a->signatures_[e] = sig;
        return true;
      }));
  a->offsets_[entries] = static_cast<uint32_t>(total);
  Result<SourcePostings> postings =
      SourcePostings::Build(txn, dbs, [&](uint32_t number) { return a->EntryOf(number); });
  if (!postings.ok()) return postings.status();
  a->postings_ = std::move(*postings);
  return std::shared_ptr<const SourceArray>(std::move(a));
}

std::pair<size_t, size_t> SourceArray::LengthRange(size_t min_length, size_t max_length) const {
  const size_t longest = length_start_.size() - 1;  // length_start_[longest] == size().
  auto start = [&](size_t l) -> size_t { return l >= longest ? size() : length_start_[l]; };
  if (length_start_.empty() || min_length > max_length) return {0, 0};
  return {start(min_length), start(max_length + 1)};
}

size_t SourceArray::MemoryBytes() const {
  return tokens_.capacity() * 4 + offsets_.capacity() * 4 + numbers_.capacity() * 4 + tags_.capacity() * 4 +
         signatures_.capacity() * sizeof(TokenSet) + entry_of_.capacity() * 4 + length_start_.capacity() * 4 + postings_.MemoryBytes();
}

SourceArrayCache::~SourceArrayCache() {
  if (builder_.joinable()) builder_.join();
}

void SourceArrayCache::Publish(std::shared_ptr<const SourceArray> array) {
  // Generations only grow, so a slower build of an older snapshot never replaces a newer array.
  if (!current_ || array->generation() > current_->generation()) current_ = std::move(array);
}

std::shared_ptr<const SourceArray> SourceArrayCache::For(const LmdbTxn& txn) {
  Result<uint64_t> generation = SourceTokensGeneration(txn, store_->dbs());
  if (!generation.ok()) return nullptr;
  std::unique_lock lock(mu_);
  if (current_ && current_->generation() == *generation) return current_;
  if (current_ && current_->generation() > *generation) return nullptr;  // An older snapshot: read LMDB.
  MDB_stat stat;
  if (mdb_stat(txn.get(), store_->dbs().src_tokens, &stat) != 0) return nullptr;
  if (stat.ms_entries <= sync_limit_) {
    Result<std::shared_ptr<const SourceArray>> built = SourceArray::Build(txn, store_->dbs());
    if (!built.ok()) return nullptr;
    Publish(*built);
    return *built;
  }
  if (!building_) {
    building_ = true;
    if (builder_.joinable()) builder_.join();  // The previous build has finished (building_ was false).
    builder_ = std::thread([this] {
      std::shared_ptr<const SourceArray> built;
      (void)store_->Read([&](const LmdbTxn& t) -> Status {
        Result<std::shared_ptr<const SourceArray>> r = SourceArray::Build(t, store_->dbs());
        if (r.ok()) built = std::move(*r);
        return r.status();
      });
      std::lock_guard done(mu_);
      if (built) Publish(std::move(built));
      building_ = false;
    });
  }
  return nullptr;
}

Status SourceArrayCache::Warm() {
  std::shared_ptr<const SourceArray> built;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& t) -> Status {
    Result<uint64_t> generation = SourceTokensGeneration(t, store_->dbs());
    if (!generation.ok()) return generation.status();
    {
      std::lock_guard lock(mu_);
      if (current_ && current_->generation() == *generation) return Status::Ok();
    }
    Result<std::shared_ptr<const SourceArray>> r = SourceArray::Build(t, store_->dbs());
    if (!r.ok()) return r.status();
    built = std::move(*r);
    return Status::Ok();
  }));
  std::lock_guard lock(mu_);
  if (built) Publish(std::move(built));
  return Status::Ok();
}

}  // namespace heluo
