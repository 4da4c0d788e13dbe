#include "server/core/translation_memory.h"

#include <xxhash.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/page_token.h"
#include "server/core/text/normalizer.h"

namespace heluo {
namespace {

using nlohmann::json;

constexpr const char* kNextSegmentKey = "next_segment";

std::string SerializeSegment(const Segment& s) {
  json j = {{"id", s.id},           {"collection", s.collection}, {"source", s.source},
            {"target", s.target},   {"section", s.section},       {"position", s.position},
            {"prev", s.previous_id}, {"next", s.next_id}};
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<Segment> ParseSegment(std::string_view bytes) {
  json j = json::from_msgpack(bytes.begin(), bytes.end(), true, false);
  if (j.is_discarded() || !j.is_object()) return Status::DataLoss("a stored segment record is corrupt");
  try {
    return Segment{j.at("id"),      j.at("collection"), j.at("source"), j.at("target"),
                   j.at("section"), j.at("position"),   j.at("prev"),   j.at("next")};
  } catch (const json::exception&) {
    return Status::DataLoss("a stored segment record lacks a required field");
  }
}

std::string ExactKey(const NormalizedText& folded) {
  const std::string key = folded.KeyUtf8();
  return EncodeU64(XXH64(key.data(), key.size(), 0));
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

}  // namespace

Status TranslationMemory::Put(LmdbTxn& txn, const Segment& segment) const {
  HELUO_RETURN_IF_ERROR(ValidateId(segment.id, "segment"));
  HELUO_RETURN_IF_ERROR(ValidateCollectionName(segment.collection));
  NormalizedText source, target;
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(segment.source, &source));
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(segment.target, &target));
  if (source.key.empty() || target.key.empty()) {
    return Status::InvalidArgument("segment '" + segment.id + "' needs a non-empty source and target");
  }
  HELUO_RETURN_IF_ERROR(CheckLength(source, "segment source"));
  HELUO_RETURN_IF_ERROR(CheckLength(target, "segment target"));
  const Databases& dbs = store_->dbs();

  std::string number;
  Result<std::optional<std::string_view>> existing = txn.Get(dbs.segment_ids, segment.id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    number = std::string(**existing);
    Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, number);
    if (!bytes.ok()) return bytes.status();
    if (bytes->has_value()) {
      Result<Segment> old = ParseSegment(**bytes);
      if (!old.ok()) return old.status();
      NormalizedText old_source;
      HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(old->source, &old_source));
      HELUO_RETURN_IF_ERROR(txn.Delete(dbs.exact_keys, ExactKey(old_source), number));
      HELUO_RETURN_IF_ERROR(AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, old->collection, -1));
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
  HELUO_RETURN_IF_ERROR(txn.Put(dbs.exact_keys, ExactKey(source), number, MDB_NODUPDATA));
  return AdjustCollectionCount(txn, dbs, CollectionItem::kSegment, segment.collection, +1);
}

Result<Segment> TranslationMemory::Get(std::string_view id) const {
  HELUO_RETURN_IF_ERROR(ValidateId(id, "segment"));
  std::optional<Segment> found;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    Result<std::optional<std::string_view>> number = txn.Get(dbs.segment_ids, id);
    if (!number.ok()) return number.status();
    if (!number->has_value()) return Status::NotFound("no segment with id '" + std::string(id) + "'");
    Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, **number);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) return Status::DataLoss("segment '" + std::string(id) + "' is indexed but missing");
    Result<Segment> s = ParseSegment(**bytes);
    if (!s.ok()) return s.status();
    found = std::move(*s);
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
    if (last->size() != 4) return Status::InvalidArgument("page_token is not one this server issued; start again with an empty one");
    after = *last;
  }
  SegmentPage page;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, store_->dbs().segments);
    if (!cursor.ok()) return cursor.status();
    std::string_view key = after, value;
    Result<bool> more = cursor->Seek(after.empty() ? MDB_FIRST : MDB_SET_RANGE, &key, &value);
    if (more.ok() && *more && !after.empty() && key == after) more = cursor->Seek(MDB_NEXT, &key, &value);
    std::string last_key;
    while (more.ok() && *more) {
      if (static_cast<int>(page.segments.size()) == *size) {
        page.next_page_token = EncodePageToken(last_key);
        break;
      }
      Result<Segment> s = ParseSegment(value);
      if (!s.ok()) return s.status();
      page.segments.push_back(std::move(*s));
      last_key = std::string(key);
      more = cursor->Seek(MDB_NEXT, &key, &value);
    }
    return more.status();
  }));
  return page;
}

Result<std::vector<TmMatch>> TranslationMemory::Lookup(std::string_view text, int max_results,
                                                       const std::vector<std::string>& collections) const {
  if (max_results < 0 || max_results > kMaxResults) {
    return Status::InvalidArgument("max_results must be between 1 and " + std::to_string(kMaxResults) +
                                   " (0 means " + std::to_string(kDefaultMaxResults) + ")");
  }
  if (max_results == 0) max_results = kDefaultMaxResults;
  NormalizedText query;
  HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(text, &query));
  if (query.key.empty()) return Status::InvalidArgument("text is empty: give a source segment to look up");
  HELUO_RETURN_IF_ERROR(CheckLength(query, "text"));

  std::vector<TmMatch> matches;
  HELUO_RETURN_IF_ERROR(store_->Read([&](const LmdbTxn& txn) -> Status {
    const Databases& dbs = store_->dbs();
    HELUO_RETURN_IF_ERROR(CheckCollectionsExist(txn, dbs, CollectionItem::kSegment, collections));
    Result<LmdbCursor> cursor = LmdbCursor::Open(txn, dbs.exact_keys);
    if (!cursor.ok()) return cursor.status();
    const std::string hash = ExactKey(query);
    std::string_view key = hash, number;
    for (Result<bool> more = cursor->Seek(MDB_SET_KEY, &key, &number);; more = cursor->Seek(MDB_NEXT_DUP, &key, &number)) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      Result<std::optional<std::string_view>> bytes = txn.Get(dbs.segments, number);
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value()) continue;
      Result<Segment> s = ParseSegment(**bytes);
      if (!s.ok()) return s.status();
      if (!collections.empty() &&
          std::find(collections.begin(), collections.end(), s->collection) == collections.end()) {
        continue;
      }
      NormalizedText stored;
      HELUO_RETURN_IF_ERROR(Normalizer::Get().Normalize(s->source, &stored));
      if (stored.key != query.key) continue;  // A hash collision, not a match.
      TmMatch m;
      m.kind = MatchKind::kExact;
      m.base_score = 100;
      m.penalties = PenaltiesFor(Normalizer::FoldDifference(query, stored));
      m.score = m.base_score;
      for (const Penalty& p : m.penalties) m.score -= p.points;
      m.segment = std::move(*s);
      matches.push_back(std::move(m));
    }
    return Status::Ok();
  }));
  std::stable_sort(matches.begin(), matches.end(),
                   [](const TmMatch& a, const TmMatch& b) { return a.score > b.score; });
  if (static_cast<int>(matches.size()) > max_results) matches.resize(static_cast<size_t>(max_results));
  return matches;
}

}  // namespace heluo
