#include "server/core/translation_memory.h"

#include <xxhash.h>

#include <cstring>

#include <algorithm>
#include <bit>
#include <limits>
#include <tuple>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/page_token.h"
#include "server/core/term_recognizer.h"
#include "server/core/text/tokenizer.h"
#include "server/core/tm/edit_distance.h"

namespace heluo {
namespace {

using nlohmann::json;

constexpr const char* kNextSegmentKey = "next_segment";
constexpr uint32_t kEndToken = 0x00FFFFFF;  // Not a code point, not a hashed id: ends every sequence.
constexpr uint32_t kNumberToken = 0x00FFFFFE;  // Stands for any number when testing for placeables.

std::string SerializeSegment(const Segment& s) {
  json j = {{"id", s.id},           {"collection", s.collection}, {"source", s.source},
            {"target", s.target},   {"section", s.section},       {"position", s.position},
            {"prev", s.previous_id}, {"next", s.next_id},        {"cby", s.created_by},
            {"cat", s.created_at},  {"mby", s.changed_by},       {"mat", s.changed_at}};
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<Segment> ParseSegment(std::string_view bytes) {
  json j = json::from_msgpack(bytes.begin(), bytes.end(), true, false);
  if (j.is_discarded() || !j.is_object()) return Status::DataLoss("a stored segment record is corrupt");
  try {
    return Segment{j.at("id"),      j.at("collection"), j.at("source"),    j.at("target"),
                   j.at("section"), j.at("position"),   j.at("prev"),      j.at("next"),
                   j.value("cby", ""), j.value("cat", ""), j.value("mby", ""), j.value("mat", "")};
  } catch (const json::exception&) {
    return Status::DataLoss("a stored segment record lacks a required field");
  }
}

std::string ExactKey(const NormalizedText& folded) {
  const std::string key = folded.KeyUtf8();
  return EncodeU64(XXH64(key.data(), key.size(), 0));
}

uint32_t CollectionTag(const std::string& name) { return XXH32(name.data(), name.size(), 0); }

using Gram = uint64_t;  // Two token ids: (first << 32) | second.

std::string GramKey(Gram g) { return EncodeU32(static_cast<uint32_t>(g >> 32)) + EncodeU32(static_cast<uint32_t>(g)); }

// Distinct token bigrams of `ids`, sorted; with_end adds (last, end token), so every token starts a bigram
// and a one-token sequence has one.
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

// A source posting: the segment's token count (capped at 65535), then its number, both big-endian. A
// bigram's postings are therefore sorted by length, so a lookup reads only the part of each list inside its
// length window, and the count filter can apply each candidate's own length bound without reading it.
std::string SourcePosting(const std::string& number, size_t length) {
  const uint16_t len = static_cast<uint16_t>(std::min<size_t>(length, 0xFFFF));
  return std::string{static_cast<char>(len >> 8), static_cast<char>(len & 0xFF)} + number;
}
constexpr size_t kSourcePostingBytes = 6;

// Up to 8 bytes read as a big-endian number: comparing such numbers orders them as LMDB orders the bytes.
uint64_t BigEndianValue(std::string_view bytes) {
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}
uint32_t SourcePostingNumber(std::string_view posting) { return DecodeU32(posting.substr(2, 4)); }

// The q-gram count filter, with a bound for each candidate length.
//
// The query has ls tokens and g distinct bigrams; with the end bigram every query token starts exactly one
// bigram occurrence. Align the query optimally with a segment of lt tokens: s substitutions, e deletions
// (query tokens missing from the segment), i insertions, distance d = s + e + i. An occurrence (q[j],
// q[j+1]), or (q[last], end), is still in the segment when both its tokens are aligned to equal tokens and
// nothing is inserted between them (after q[last], for the end bigram). So a substituted or deleted query
// token breaks at most two occurrences, a run of insertions between two query tokens or after the last
// breaks at most one, and insertions before the first token break none: at most 2(s + e) + i = 2d − i
// occurrences are broken. A distinct query bigram the segment lacks has all its occurrences broken, and
// i ≥ max(0, lt − ls) since i − e = lt − ls. A segment scoring at least min_score has d ≤ k(lt) =
// MaxDistanceFor(min_score, max(ls, lt)), so it shares at least
//     Need(lt) = g − 2·k(lt) + max(0, lt − ls)
// of the query's distinct bigrams, and its length satisfies |lt − ls| ≤ d ≤ k(lt).
class CountFilter {
 public:
  static constexpr int kNever = std::numeric_limits<int>::max();  // No segment of that length can score.

  // min_score 1..100.
  CountFilter(size_t ls, size_t g, int min_score) {
    const size_t m = static_cast<size_t>(min_score);
    min_length_ = (ls * m + 99) / 100;                         // ls − lt ≤ k(ls) ⇔ lt ≥ ⌈ls·m/100⌉
    max_length_ = std::min<size_t>((100 * ls) / m, 0xFFFF);  // lt − ls ≤ k(lt) ⇔ lt ≤ ⌊100·ls/m⌋
    need_.assign(max_length_ + 2, kNever);                    // need_[max_length_ + 1]: every longer one.
    for (size_t lt = min_length_; lt <= max_length_; ++lt) {
      const int k = MaxDistanceFor(min_score, std::max(ls, lt));
      const int gap = static_cast<int>(lt > ls ? lt - ls : ls - lt);
      if (gap > k) continue;
      need_[lt] = static_cast<int>(g) - 2 * k + (lt > ls ? gap : 0);
      min_need_ = std::min(min_need_, need_[lt]);
    }
  }

  // Distinct query bigrams a segment of lt tokens must share to possibly score min_score; kNever outside
  // the length window. Branch-free: it runs once per posting.
  int Need(size_t lt) const { return need_[std::min(lt, need_.size() - 1)]; }
  // The least Need() over all lengths; ≤ 0 when some length needs no shared bigram at all (then the
  // postings cannot find every candidate).
  int min_need() const { return min_need_; }
  size_t min_length() const { return min_length_; }
  size_t max_length() const { return max_length_; }

 private:
  size_t min_length_ = 0, max_length_ = 0;
  int min_need_ = kNever;
  std::vector<int> need_;  // Indexed by length, 0..max_length_ + 1.
};

// A segment met in the postings of a lookup: its number and its token count (from the postings).
struct Counted {
  uint32_t number;
  uint16_t length;
};

// One page of source postings (MDB_GET_MULTIPLE), decoded.
class PostingPage {
 public:
  explicit PostingPage(std::string_view page)
      : p_(reinterpret_cast<const uint8_t*>(page.data())), size_(page.size() / kSourcePostingBytes) {}
  size_t size() const { return size_; }
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

// Counting is the hot loop of a lookup: one counter per posting, at a random place in an array of one
// counter per segment (2 MB at a million segments), so the counter kPrefetch postings ahead is prefetched
// and the loops have no data-dependent branches. `shared` holds `limit` counters; 0 means "not counted".

constexpr size_t kPrefetch = 16;

// One more shared bigram for every counted segment in `page`; others are not counted.
void AddToCounted(const PostingPage& page, uint16_t* shared, size_t limit) {
  for (size_t i = 0; i < page.size(); ++i) {
    if (i + kPrefetch < page.size()) __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit) continue;  // Cannot happen within one snapshot; guards against a corrupt posting.
    const uint16_t c = shared[n];
    shared[n] = static_cast<uint16_t>(c + (c != 0));
  }
}

// Like AddToCounted, and a segment met for the first time is counted (appended to `counted`) if it can
// still share Need(its length) bigrams: `reachable` at most.
void AddAndAdmit(const PostingPage& page, uint16_t* shared, size_t limit, const CountFilter& filter, int reachable,
                 std::vector<Counted>* counted) {
  const size_t before = counted->size();
  counted->resize(before + page.size());
  Counted* out = counted->data() + before;
  size_t added = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    if (i + kPrefetch < page.size()) __builtin_prefetch(shared + std::min<size_t>(page.number(i + kPrefetch), limit - 1));
    const uint32_t n = page.number(i);
    if (n >= limit) continue;  // Cannot happen within one snapshot; guards against a corrupt posting.
    const uint16_t len = page.length(i);
    const uint16_t c = shared[n];
    const bool admit = (c == 0) & (filter.Need(len) <= reachable);
    shared[n] = static_cast<uint16_t>(c + ((c != 0) | admit));
    out[added] = Counted{n, len};
    added += admit;
  }
  counted->resize(before + added);
}

// After the admitting lists, a list is read only if it has fewer than this many postings in the length
// window per candidate left (the bigrams of the lists not read count as shared by every candidate). On the
// 1M-segment benchmark reading and counting a posting costs ~4 ns and verifying a candidate ~1.5 µs (a
// random LMDB read of its tokens), about 350 postings; 150, 300 and 600 measured 0.90, 0.85 and 0.86 ms p50.
constexpr size_t kPostingsPerCandidate = 300;

std::string EncodeTokens(uint32_t tag, const std::vector<uint32_t>& ids) {
  std::string out = EncodeU32(tag);
  out.reserve(4 + ids.size() * 4);
  out.append(reinterpret_cast<const char*>(ids.data()), ids.size() * 4);  // Host order: never leaves the machine.
  return out;
}

void DecodeTokens(std::string_view bytes, uint32_t* tag, std::vector<uint32_t>* ids) {
  *tag = DecodeU32(bytes.substr(0, 4));
  ids->resize((bytes.size() - 4) / 4);
  std::memcpy(ids->data(), bytes.data() + 4, ids->size() * 4);
}

Status CheckLength(const NormalizedText& t, std::string_view what) {
  if (t.original.size() > static_cast<size_t>(kMaxSegmentLength)) {
    return Status::InvalidArgument(std::string(what) + " is longer than " + std::to_string(kMaxSegmentLength) +
                                   " characters");
  }
  return Status::Ok();
}

std::vector<Penalty> PenaltiesFor(uint8_t folds) {
  static constexpr std::pair<FoldKind, const char*> kNames[] = {
      {kFoldWidth, "width"}, {kFoldScript, "script"}, {kFoldCase, "case"},
      {kFoldPunctuation, "punctuation"}, {kFoldWhitespace, "whitespace"}};
  std::vector<Penalty> out;
  for (auto [kind, name] : kNames) {
    if (folds & kind) out.push_back(Penalty{name, 1});
  }
  return out;
}

// Folded text and tokens of one side of a segment.
struct Folded {
  NormalizedText text;
  std::vector<Token> tokens;
  std::vector<uint32_t> ids;
};

Status Fold(std::string_view s, Folded* out) {
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(s, &out->text));
  out->tokens = Tokenize(out->text);
  out->ids = TokenIds(out->tokens);
  return Status::Ok();
}

std::string TokenText(const Folded& f, size_t i) {
  return EncodeUtf8(std::u32string_view(f.text.key).substr(f.tokens[i].key_begin, f.tokens[i].key_end - f.tokens[i].key_begin));
}

std::vector<uint32_t> MaskNumbers(const Folded& f) {
  std::vector<uint32_t> out = f.ids;
  for (size_t i = 0; i < out.size(); ++i) {
    if (f.tokens[i].is_number) out[i] = kNumberToken;
  }
  return out;
}

// Whether token i of `f` lies inside a recognised glossary term.
bool InTerm(const std::vector<TermHit>& hits, const Folded& f, size_t i) {
  return std::any_of(hits.begin(), hits.end(), [&](const TermHit& h) {
    return f.tokens[i].key_begin < h.key_end && f.tokens[i].key_end > h.key_begin;
  });
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string GroupThousands(const std::string& number) {
  const size_t dot = number.find('.');
  std::string whole = number.substr(0, dot), rest = dot == std::string::npos ? "" : number.substr(dot);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(whole[i]);
  }
  return out + rest;
}

// Replaces the first free occurrence of `from` in `target` (as a whole number) by `to`; false if absent.
bool SubstituteNumber(std::string* target, const std::string& from, const std::string& to, size_t* search_from) {
  const std::string plain = from;
  std::string stripped;
  for (char c : from) {
    if (c != ',') stripped.push_back(c);
  }
  for (const auto& [needle, replacement] :
       {std::pair{plain, to}, std::pair{GroupThousands(stripped), GroupThousands(to)}}) {
    for (size_t at = target->find(needle, *search_from); at != std::string::npos; at = target->find(needle, at + 1)) {
      const size_t end = at + needle.size();
      const bool left_ok = at == 0 || (!IsDigit((*target)[at - 1]) && (*target)[at - 1] != '.');
      const bool right_ok = end >= target->size() || !(IsDigit((*target)[end]) ||
                                                       ((*target)[end] == '.' && end + 1 < target->size() && IsDigit((*target)[end + 1])));
      if (left_ok && right_ok) {
        target->replace(at, needle.size(), replacement);
        *search_from = at + replacement.size();
        return true;
      }
    }
  }
  return false;
}

}  // namespace

struct TranslationMemory::Candidate {
  uint32_t number = 0;
  int distance = 0;
  int score = 0;
  bool placeable = false;
  std::vector<uint32_t> ids;
};

namespace {

// Removes every index entry of the stored pair `old` (internal number `number`).
Status RemoveIndexEntries(LmdbTxn& txn, const Databases& dbs, const Segment& old, const std::string& number) {
  Folded old_source, old_target;
  HELUO_RETURN_IF_ERROR(Fold(old.source, &old_source));
  HELUO_RETURN_IF_ERROR(Fold(old.target, &old_target));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.exact_keys, ExactKey(old_source.text), number));
  const std::string posting = SourcePosting(number, old_source.ids.size());
  for (Gram g : DistinctGrams(old_source.ids, true)) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_grams, GramKey(g), posting));
  for (Gram g : DistinctGrams(old_target.ids, true)) HELUO_RETURN_IF_ERROR(txn.Delete(dbs.tgt_grams, GramKey(g), number));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_lengths, EncodeU32(static_cast<uint32_t>(old_source.ids.size())) + number));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.src_tokens, number));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, old.collection, -1);
}

}  // namespace

Result<std::optional<Segment>> TranslationMemory::Find(const LmdbTxn& txn, std::string_view id) const {
  const Databases& dbs = store_->dbs();
  Result<std::optional<std::string_view>> number = txn.Get(dbs.segment_ids, id);
  if (!number.ok()) return number.status();
  if (!number->has_value()) return std::optional<Segment>();
  Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, **number);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::DataLoss("segment '" + std::string(id) + "' is indexed but missing");
  Result<Segment> s = ParseSegment(**bytes);
  if (!s.ok()) return s.status();
  return std::optional<Segment>(std::move(*s));
}

Status TranslationMemory::Delete(LmdbTxn& txn, std::string_view id) const {
  HELUO_RETURN_IF_ERROR(ValidateId(id, "segment"));
  const Databases& dbs = store_->dbs();
  Result<std::optional<Segment>> old = Find(txn, id);
  if (!old.ok()) return old.status();
  if (!old->has_value()) return Status::NotFound("no segment with id '" + std::string(id) + "'");
  const std::string number(**txn.Get(dbs.segment_ids, id));
  HELUO_RETURN_IF_ERROR(RemoveIndexEntries(txn, dbs, **old, number));
  HELUO_RETURN_IF_ERROR(txn.Delete(dbs.segments, number));
  return txn.Delete(dbs.segment_ids, id);
}

Status TranslationMemory::ForEach(const std::function<bool(const Segment&)>& fn) const {
  return store_->Read([&](const LmdbTxn& txn) {
    return ScanRecords(txn, store_->dbs().segments, "", [&](std::string_view, std::string_view value) -> Result<bool> {
      Result<Segment> s = ParseSegment(value);
      if (!s.ok()) return s.status();
      return fn(*s);
    });
  });
}

Status TranslationMemory::Flush(LmdbTxn& txn, PostingBatch& batch) const { return FlushTo(txn, store_->dbs(), batch); }

Status TranslationMemory::FlushTo(LmdbTxn& txn, const Databases& dbs, PostingBatch& batch) {
  for (auto [waiting, dbi, size] : {std::tuple{&batch.source_, dbs.src_grams, kSourcePostingBytes},
                                    std::tuple{&batch.target_, dbs.tgt_grams, size_t{4}}}) {
    // Key order, and within a key the byte order LMDB keeps duplicates in.
    std::sort(waiting->begin(), waiting->end());
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbi);
    if (!cursor.ok()) return cursor.status();
    std::string values;
    for (size_t i = 0; i < waiting->size();) {
      const uint64_t gram = (*waiting)[i].gram;
      values.clear();
      for (; i < waiting->size() && (*waiting)[i].gram == gram; ++i) {
        for (size_t b = size; b-- > 0;) values.push_back(static_cast<char>((*waiting)[i].value >> (8 * b)));
      }
      HELUO_RETURN_IF_ERROR(cursor->PutMultiple(GramKey(gram), values, size));
    }
    waiting->clear();
  }
  batch.numbers_.clear();
  return Status::Ok();
}

Status TranslationMemory::Enqueue(LmdbTxn& txn, const Databases& dbs, PostingBatch& batch, const std::string& number,
                                  const std::vector<uint32_t>& source_ids, const std::vector<uint32_t>* target_ids) {
  const uint64_t source_value = BigEndianValue(SourcePosting(number, source_ids.size()));
  for (Gram g : DistinctGrams(source_ids, true)) batch.source_.push_back({g, source_value});
  if (target_ids) {
    const uint64_t target_value = BigEndianValue(number);
    for (Gram g : DistinctGrams(*target_ids, true)) batch.target_.push_back({g, target_value});
  }
  batch.numbers_.insert(DecodeU32(number));
  return batch.waiting() >= batch.max_waiting_ ? FlushTo(txn, dbs, batch) : Status::Ok();
}

Status TranslationMemory::UpgradeSchema(LmdbTxn& txn, const Databases& dbs, int from) {
  if (from != 1) return Status::FailedPrecondition("no upgrade from schema version " + std::to_string(from));
  // 1 → 2: source postings went from (number, length) to (length, number). Every one is rebuilt from the
  // stored source tokens, the same way Put makes them.
  if (int rc = mdb_drop(txn.get(), dbs.src_grams, 0); rc != 0) return LmdbError(rc, "emptying the source postings");
  PostingBatch batch;
  std::vector<uint32_t> ids;
  HELUO_RETURN_IF_ERROR(ScanRecords(txn, dbs.src_tokens, "", [&](std::string_view number, std::string_view tokens) -> Result<bool> {
    uint32_t tag = 0;
    DecodeTokens(tokens, &tag, &ids);
    HELUO_RETURN_IF_ERROR(Enqueue(txn, dbs, batch, std::string(number), ids, nullptr));
    return true;
  }));
  return FlushTo(txn, dbs, batch);
}

Status TranslationMemory::Put(LmdbTxn& txn, const Segment& segment, PostingBatch* batch) const {
  HELUO_RETURN_IF_ERROR(ValidateId(segment.id, "segment"));
  HELUO_RETURN_IF_ERROR(ValidateCollectionName(segment.collection));
  HELUO_RETURN_IF_ERROR(ValidateStoredText(segment.source, "segment '" + segment.id + "' source"));
  HELUO_RETURN_IF_ERROR(ValidateStoredText(segment.target, "segment '" + segment.id + "' target"));
  Folded source, target;
  HELUO_RETURN_IF_ERROR(Fold(segment.source, &source));
  HELUO_RETURN_IF_ERROR(Fold(segment.target, &target));
  if (source.ids.empty() || target.ids.empty()) {
    return Status::InvalidArgument("segment '" + segment.id + "' needs a non-empty source and target");
  }
  HELUO_RETURN_IF_ERROR(CheckLength(source.text, "segment source"));
  HELUO_RETURN_IF_ERROR(CheckLength(target.text, "segment target"));
  const Databases& dbs = store_->dbs();

  std::string number;
  Result<std::optional<std::string_view>> existing = txn.Get(dbs.segment_ids, segment.id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    number = std::string(**existing);
    Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, number);
    if (!bytes.ok()) return bytes.status();
    if (bytes->has_value()) {  // Remove every index entry of the old version.
      if (batch && batch->numbers_.count(DecodeU32(number))) {
        HELUO_RETURN_IF_ERROR(Flush(txn, *batch));  // Its postings are still waiting: write them to remove them.
      }
      Result<Segment> old = ParseSegment(**bytes);
      if (!old.ok()) return old.status();
      HELUO_RETURN_IF_ERROR(RemoveIndexEntries(txn, dbs, *old, number));
    }
  } else {
    Result<std::optional<std::string_view>> next = txn.Get(dbs.meta, kNextSegmentKey);
    if (!next.ok()) return next.status();
    const uint32_t n = next->has_value() ? DecodeU32(**next) : 1;
    number = EncodeU32(n);
    HELUO_RETURN_IF_ERROR(txn.Put(dbs.meta, kNextSegmentKey, EncodeU32(n + 1)));
    HELUO_RETURN_IF_ERROR(txn.Put(dbs.segment_ids, segment.id, number));
  }
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.segments, number, SerializeSegment(segment)));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.exact_keys, ExactKey(source.text), number, MDB_NODUPDATA));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.src_tokens, number, EncodeTokens(CollectionTag(segment.collection), source.ids)));
  // Without a batch, the pair's postings go through one of its own, written at once.
  PostingBatch own;
  HELUO_RETURN_IF_ERROR(Enqueue(txn, dbs, batch ? *batch : own, number, source.ids, &target.ids));
  if (!batch) HELUO_RETURN_IF_ERROR(FlushTo(txn, dbs, own));
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.src_lengths, EncodeU32(static_cast<uint32_t>(source.ids.size())) + number, ""));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, segment.collection, +1);
}

Result<Segment> TranslationMemory::Get(std::string_view id) const {
  HELUO_RETURN_IF_ERROR(ValidateId(id, "segment"));
  std::optional<Segment> found;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    Result<std::optional<Segment>> s = Find(txn, id);
    if (!s.ok()) return s.status();
    if (!s->has_value()) return Status::NotFound("no segment with id '" + std::string(id) + "'");
    found = std::move(**s);
    return Status::Ok();
  }));
  return std::move(*found);
}

Result<SegmentPage> TranslationMemory::List(int page_size, std::string_view page_token) const {
  Result<int> size = ResolvePageSize(page_size);
  if (!size.ok()) return size.status();
  std::string after;
  if (!page_token.empty()) {
    Result<std::string> last = DecodePageToken(page_token);
    if (!last.ok()) return last.status();
    if (last->size() != 4) {
      return Status::InvalidArgument("page_token is not one this server issued; start again with an empty one");
    }
    after = *last;
  }
  SegmentPage page;
  std::string last_key;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) {
    return ScanRecords(txn, store_->dbs().segments, after, [&](std::string_view key, std::string_view value) -> Result<bool> {
      if (static_cast<int>(page.segments.size()) == *size) {
        page.next_page_token = EncodePageToken(last_key);
        return false;
      }
      Result<Segment> s = ParseSegment(value);
      if (!s.ok()) return s.status();
      page.segments.push_back(std::move(*s));
      last_key = std::string(key);
      return true;
    });
  }));
  return page;
}

Result<std::vector<TmMatch>> TranslationMemory::Lookup(const TmQuery& query) const { return Search(query, false); }

Result<std::vector<TmMatch>> TranslationMemory::LookupBruteForce(const TmQuery& query) const {
  return Search(query, true);
}

Result<std::vector<TmMatch>> TranslationMemory::Search(const TmQuery& query, bool brute_force) const {
  if (query.min_score < 0 || query.min_score > 101) {
    return Status::InvalidArgument("min_score must be between 0 and 101 (101 asks for in-context matches only)");
  }
  if (query.max_results < 1 || query.max_results > kMaxResults) {
    return Status::InvalidArgument("max_results must be between 1 and " + std::to_string(kMaxResults));
  }
  Folded q;
  HELUO_RETURN_IF_ERROR(Fold(query.text, &q));
  if (q.ids.empty()) return Status::InvalidArgument("text is empty: give a source segment to look up");
  HELUO_RETURN_IF_ERROR(CheckLength(q.text, "text"));
  std::optional<std::string> prev_key, next_key;
  for (auto [in, out] : {std::pair{&query.previous_text, &prev_key}, std::pair{&query.next_text, &next_key}}) {
    if (!in->has_value()) continue;
    Result<std::string> key = Normalizer::Get().Key(**in);
    if (!key.ok()) return Status::InvalidArgument("context: " + key.status().message());
    *out = *key;
  }
  const int min_score = std::min(query.min_score, 100);  // 101 filters on context after scoring.
  const std::vector<uint32_t> q_masked = MaskNumbers(q);
  const std::vector<TermHit> q_terms = terms_ ? terms_->Recognize(q.text, Language::kAny, true) : std::vector<TermHit>{};

  std::vector<TmMatch> matches;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kSegment, query.collections));
    std::unordered_set<uint32_t> tags;
    for (const std::string& c : query.collections) tags.insert(CollectionTag(c));

    // 1. Candidates, and for each how many of the query's distinct bigrams it shares (read off the
    // postings into a per-thread counter array: one increment per posting, no per-candidate sets).
    const size_t ls = q.ids.size();
    const std::vector<Gram> q_grams = DistinctGrams(q.ids, true);
    const size_t g = q_grams.size();
    const bool scan_all = brute_force || min_score == 0;
    const CountFilter filter(ls, g, std::max(min_score, 1));
    const bool use_counts = !scan_all && filter.min_need() >= 1;
    thread_local std::vector<uint16_t> shared;  // Indexed by segment number; zero between calls.
    std::vector<Counted> counted;               // The segments with a non-zero counter (and so to reset).
    struct ResetShared {
      std::vector<Counted>& touched;
      ~ResetShared() {
        for (const Counted& c : touched) shared[c.number] = 0;
      }
    } reset{counted};
    // Size the counters once for every segment number in use, so counting needs no bounds check.
    Result<std::optional<std::string_view>> next_number = txn.Get(dbs.meta, kNextSegmentKey);
    if (!next_number.ok()) return next_number.status();
    const size_t limit = next_number->has_value() ? DecodeU32(**next_number) : 1;
    if (shared.size() < limit) shared.resize(limit, 0);
    size_t unread = 0;  // Query bigrams whose postings were not read (their count is taken as shared).
    if (!use_counts) {
      // Every segment (brute force), or every segment in the length window when the count filter cannot
      // exclude anything.
      Result<LmdbCursor> c = LmdbCursor::Open(txn, scan_all ? dbs.src_tokens : dbs.src_lengths);
      if (!c.ok()) return c.status();
      const std::string from = EncodeU32(static_cast<uint32_t>(filter.min_length()));
      std::string_view k = from, v;
      for (Result<bool> more = c->Seek(scan_all ? MDB_FIRST : MDB_SET_RANGE, &k, &v);; more = c->Seek(MDB_NEXT, &k, &v)) {
        if (!more.ok()) return more.status();
        if (!*more) break;
        const uint32_t n = DecodeU32(scan_all ? k : k.substr(4, 4));
        if (!scan_all && DecodeU32(k.substr(0, 4)) > filter.max_length()) break;
        if (n < limit && shared[n]++ == 0) counted.push_back(Counted{n, 0});  // n < limit: against a corrupt record.
      }
    } else {
      // The lists shortest first. A segment first met in list j (0-based) is absent from the j before it and
      // so shares at most g − j bigrams: it is counted only if that reaches Need(its length). From list
      // g − min_need + 1 on nobody new can qualify and the lists only add to the counts of segments already
      // counted; before each of those lists the segments that cannot reach their bound even with all the
      // unread lists are dropped, and the list is read only if it is short for the candidates left
      // (kPostingsPerCandidate). The bigrams of the lists left unread count as shared by every candidate.
      Result<LmdbCursor> c = LmdbCursor::Open(txn, dbs.src_grams);
      if (!c.ok()) return c.status();
      struct PostingList {
        size_t size;
        Gram gram;
      };
      std::vector<PostingList> lists;
      for (Gram gram : q_grams) {
        const std::string key = GramKey(gram);
        std::string_view k = key, v;
        Result<bool> found = c->Seek(MDB_SET_KEY, &k, &v);
        if (!found.ok()) return found.status();
        if (!*found) continue;  // Shared by nobody: counts against every segment.
        Result<size_t> size = c->Count();
        if (!size.ok()) return size.status();
        lists.push_back(PostingList{*size, gram});
      }
      std::sort(lists.begin(), lists.end(),
                [](const PostingList& a, const PostingList& b) { return std::tie(a.size, a.gram) < std::tie(b.size, b.gram); });
      unread = lists.size();
      size_t read = 0, listed = 0;  // Postings read, and the sizes of the lists they were read from.
      // The lengths to read: the window, and once nobody new can be counted, the candidates' lengths.
      size_t from_length = filter.min_length(), to_length = filter.max_length();
      for (size_t j = g - lists.size(); const PostingList& list : lists) {  // The absent lists come first, empty.
        if (query.cancelled && query.cancelled()) return Status::Cancelled("the lookup was cancelled or ran past its deadline");
        const int reachable = static_cast<int>(g - j);  // Bigrams a segment first met in this list can share.
        const bool admitting = reachable >= filter.min_need();
        if (!admitting) {
          // Drop the segments that cannot reach their bound; zeroing their counters is safe because nobody
          // new is counted from here on.
          from_length = SIZE_MAX;
          to_length = 0;
          std::erase_if(counted, [&](const Counted& s) {
            if (shared[s.number] + reachable >= filter.Need(s.length)) {
              from_length = std::min<size_t>(from_length, s.length);
              to_length = std::max<size_t>(to_length, s.length);
              return false;
            }
            shared[s.number] = 0;
            return true;
          });
          // The postings of this list inside the window, estimated from the share of the lists read so far.
          const size_t estimate = listed == 0 ? list.size : list.size * read / listed;
          if (estimate > counted.size() * kPostingsPerCandidate) break;
        }
        // Only the part of the list with the lengths to read: from the first posting of length from_length
        // (GET_MULTIPLE then gives its whole page, whose shorter postings count for nobody: no candidate has
        // their length) to the first page that starts beyond to_length.
        const std::string key = GramKey(list.gram), window_start = SourcePosting(EncodeU32(0), from_length);
        std::string_view k = key, v = window_start;
        // With a single posting under the key LMDB's GET_MULTIPLE leaves v as GET_BOTH_RANGE set it: that one.
        Result<bool> more = c->Seek(MDB_GET_BOTH_RANGE, &k, &v);
        for (more = more.ok() && *more ? c->Seek(MDB_GET_MULTIPLE, &k, &v) : more; more.ok() && *more;
             more = c->Seek(MDB_NEXT_MULTIPLE, &k, &v)) {
          const PostingPage page(v);
          if (page.size() == 0 || page.length(0) > to_length) break;
          read += page.size();
          if (admitting) {
            AddAndAdmit(page, shared.data(), limit, filter, reachable, &counted);
          } else {
            AddToCounted(page, shared.data(), limit);
          }
        }
        if (!more.ok()) return more.status();
        listed += list.size;
        --unread;
        ++j;
      }
    }

    // 2. Verify: collection, length window, count filter with the candidate's own length, then the
    // bit-parallel edit distance.
    std::vector<Candidate> found;
    std::vector<uint32_t> s_ids;
    const EditDistancePattern pattern(q.ids);
    size_t verified = 0;
    for (const Counted& counted_segment : counted) {
      if (verified++ % 256 == 0 && query.cancelled && query.cancelled()) {
        return Status::Cancelled("the lookup was cancelled or ran past its deadline");
      }
      const uint32_t n = counted_segment.number;
      const int sharing = shared[n] + static_cast<int>(unread);
      // The count filter with the length from the postings, before reading anything of the segment.
      if (use_counts && sharing < filter.Need(counted_segment.length)) continue;
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.src_tokens, EncodeU32(n));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      uint32_t tag = 0;
      DecodeTokens(**bytes, &tag, &s_ids);
      if (!tags.empty() && !tags.count(tag)) continue;
      const size_t lt = s_ids.size();
      if (!scan_all && (use_counts ? sharing : static_cast<int>(g)) < filter.Need(lt)) continue;
      const int k = MaxDistanceFor(min_score, std::max(ls, lt));
      const int d = pattern.Distance(s_ids, k);
      if (d > k) continue;
      Candidate cand;
      cand.number = n;
      cand.distance = d;
      cand.score = FuzzyScore(d, ls, lt);
      if (cand.score < min_score) continue;
      cand.ids = s_ids;
      found.push_back(std::move(cand));
    }
    // In segment-number order, as the brute-force scan finds them, so ties in the ranking below (equal
    // score, placeability and position) come out the same way.
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.number < b.number; });

    // 3. Kinds, penalties and placeables; rank; fill in the returned matches.
    for (Candidate& cand : found) {
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(cand.number));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<Segment> seg = ParseSegment(**bytes);
      if (!seg.ok()) return seg.status();
      TmMatch m;
      m.base_score = cand.score;
      m.kind = MatchKind::kFuzzy;
      Folded s;
      if (cand.distance == 0 || cand.score >= 50) HELUO_RETURN_IF_ERROR(Fold(seg->source, &s));
      if (cand.distance == 0) {
        m.kind = MatchKind::kExact;
        m.base_score = 100;
        m.penalties = s.text.key == q.text.key ? PenaltiesFor(Normalizer::FoldDifference(q.text, s.text))
                                               : std::vector<Penalty>{Penalty{"whitespace", 1}};
        auto context_matches = [&](const std::optional<std::string>& want, const std::string& neighbour_id) -> Result<bool> {
          if (!want.has_value()) return neighbour_id.empty();
          if (neighbour_id.empty()) return false;
          Result<std::optional<std::string_view>> num = txn.Get(dbs.segment_ids, neighbour_id);
          if (!num.ok()) return num.status();
          if (!num->has_value()) return false;
          Result<std::optional<std::string_view>> nb = txn.Get(dbs.segments, **num);
          if (!nb.ok()) return nb.status();
          if (!nb->has_value()) return false;
          Result<Segment> neighbour = ParseSegment(**nb);
          if (!neighbour.ok()) return neighbour.status();
          Result<std::string> key = Normalizer::Get().Key(neighbour->source);
          return key.ok() && *key == *want;
        };
        Result<bool> before = context_matches(prev_key, seg->previous_id);
        if (!before.ok()) return before.status();
        Result<bool> after = context_matches(next_key, seg->next_id);
        if (!after.ok()) return after.status();
        if (*before && *after) {
          m.kind = MatchKind::kContext;
          m.base_score = 101;
        }
      } else if (!s.ids.empty() && s.ids.size() == q.ids.size() && MaskNumbers(s) == q_masked) {
        // Differs only in numbers: placeable unless a differing number sits inside a glossary term.
        const std::vector<TermHit> s_terms =
            terms_ ? terms_->Recognize(s.text, Language::kAny, true) : std::vector<TermHit>{};
        bool protected_number = false;
        for (size_t i = 0; i < q.ids.size(); ++i) {
          if (q.ids[i] != s.ids[i] && (InTerm(q_terms, q, i) || InTerm(s_terms, s, i))) protected_number = true;
        }
        if (!protected_number) {
          m.placeable = true;
          m.substituted_target = seg->target;
          size_t search_from = 0;
          for (size_t i = 0; i < q.ids.size(); ++i) {
            if (q.ids[i] == s.ids[i]) continue;
            NumberSubstitution sub{TokenText(s, i), TokenText(q, i), false};
            sub.applied = SubstituteNumber(&m.substituted_target, sub.stored, sub.query, &search_from);
            if (!sub.applied) search_from = 0;
            m.substitutions.push_back(std::move(sub));
          }
        }
      }
      m.score = m.base_score;
      for (const Penalty& p : m.penalties) m.score -= p.points;
      if (query.min_score == 101 && m.kind != MatchKind::kContext) continue;
      if (m.score < min_score) continue;
      if (cand.distance > 0 && !s.ids.empty()) {
        for (const DiffRange& r : Align(q.ids, s.ids)) {
          DiffSpan span;
          if (r.a_end > r.a_begin) span.query = q.text.OriginalSpan(q.tokens[r.a_begin].key_begin, q.tokens[r.a_end - 1].key_end);
          if (r.b_end > r.b_begin) span.source = s.text.OriginalSpan(s.tokens[r.b_begin].key_begin, s.tokens[r.b_end - 1].key_end);
          m.diffs.push_back(span);
        }
      }
      m.segment = std::move(*seg);
      matches.push_back(std::move(m));
    }
    return Status::Ok();
  }));
  std::stable_sort(matches.begin(), matches.end(), [](const TmMatch& a, const TmMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.placeable != b.placeable) return a.placeable;
    return a.segment.position < b.segment.position;
  });
  if (matches.size() > static_cast<size_t>(query.max_results)) matches.resize(static_cast<size_t>(query.max_results));
  return matches;
}

Result<std::vector<ConcordanceHit>> TranslationMemory::Concordance(std::string_view phrase, ConcordanceSide side,
                                                                    int limit,
                                                                    const std::vector<std::string>& collections) const {
  if (limit < 1 || limit > kMaxConcordanceResults) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxConcordanceResults));
  }
  Folded p;
  HELUO_RETURN_IF_ERROR(Fold(phrase, &p));
  if (p.ids.empty()) return Status::InvalidArgument("query is empty: give a phrase to search for");
  HELUO_RETURN_IF_ERROR(CheckLength(p.text, "query"));

  // Token positions where `needle` occurs in `hay`.
  auto occurrences = [](const std::vector<uint32_t>& hay, const std::vector<uint32_t>& needle) {
    std::vector<size_t> at;
    if (needle.size() > hay.size()) return at;
    for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
      if (std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<std::ptrdiff_t>(i))) at.push_back(i);
    }
    return at;
  };
  std::vector<ConcordanceHit> hits;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kSegment, collections));
    std::vector<uint32_t> numbers;  // Sorted and deduplicated below: checked in document order.
    for (ConcordanceSide s : {ConcordanceSide::kSource, ConcordanceSide::kTarget}) {
      if (side != ConcordanceSide::kBoth && side != s) continue;
      Result<LmdbCursor> c = LmdbCursor::Open(txn, s == ConcordanceSide::kSource ? dbs.src_grams : dbs.tgt_grams);
      if (!c.ok()) return c.status();
      // Candidates: the postings of the rarest bigram of the phrase; for one token, every bigram it starts.
      std::string best_gram;
      if (p.ids.size() > 1) {
        size_t best = SIZE_MAX;
        for (Gram gram : DistinctGrams(p.ids, false)) {
          const std::string g = GramKey(gram);
          std::string_view k = g, v;
          Result<bool> f = c->Seek(MDB_SET_KEY, &k, &v);
          if (!f.ok()) return f.status();
          size_t count = 0;
          if (*f) count = c->Count().ok() ? *c->Count() : 0;
          if (count < best) {
            best = count;
            best_gram = g;
          }
        }
        if (best == 0) continue;
      }
      const std::string prefix = p.ids.size() > 1 ? best_gram : EncodeU32(p.ids[0]);
      std::string_view k = prefix, v;
      for (Result<bool> more = c->Seek(MDB_SET_RANGE, &k, &v);; more = c->Seek(MDB_NEXT, &k, &v)) {
        if (!more.ok()) return more.status();
        if (!*more || k.substr(0, prefix.size()) != prefix) break;
        numbers.push_back(s == ConcordanceSide::kSource ? SourcePostingNumber(v) : DecodeU32(v));
      }
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    for (uint32_t n : numbers) {
      if (static_cast<int>(hits.size()) == limit) break;
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, EncodeU32(n));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<Segment> seg = ParseSegment(**bytes);
      if (!seg.ok()) return seg.status();
      if (!collections.empty() && std::find(collections.begin(), collections.end(), seg->collection) == collections.end()) continue;
      ConcordanceHit hit;
      for (ConcordanceSide s : {ConcordanceSide::kSource, ConcordanceSide::kTarget}) {
        if (side != ConcordanceSide::kBoth && side != s) continue;
        Folded f;
        HELUO_RETURN_IF_ERROR(Fold(s == ConcordanceSide::kSource ? seg->source : seg->target, &f));
        for (size_t at : occurrences(f.ids, p.ids)) {
          TextSpan span = f.text.OriginalSpan(f.tokens[at].key_begin, f.tokens[at + p.ids.size() - 1].key_end);
          (s == ConcordanceSide::kSource ? hit.source_highlights : hit.target_highlights).push_back(span);
        }
      }
      if (hit.source_highlights.empty() && hit.target_highlights.empty()) continue;  // Postings hit, phrase absent.
      hit.segment = std::move(*seg);
      hits.push_back(std::move(hit));
    }
    return Status::Ok();
  }));
  return hits;
}

}  // namespace heluo
