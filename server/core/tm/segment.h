// Segment: one aligned pair (zh-CN source, en-US target) as the translation memory stores it, and the
// encodings of its records in the store (see store.h for the databases).
//
// The pair record is MessagePack (nlohmann-json), so fields can be added without a schema change; a
// pair's source tokens are stored beside it with its collection's tag, so a lookup filters by collection
// and verifies a candidate from one read.
#ifndef HELUO_SERVER_CORE_TM_SEGMENT_H_
#define HELUO_SERVER_CORE_TM_SEGMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/status.h"
#include "server/core/text/normalizer.h"

namespace heluo {

struct Segment {
  std::string id;
  std::string collection;
  std::string source;  // zh-CN, as imported.
  std::string target;  // en-US, as imported.
  std::string section;
  int32_t position = 0;
  std::string previous_id;
  std::string next_id;
  // Who created and last changed the pair, and when (ISO 8601 UTC, "2026-11-25T06:20:00Z").
  std::string created_by, created_at, changed_by, changed_at;
};

inline constexpr int kMaxSegmentLength = 5000;  // Code points, for a query or a stored side.

// The meta key holding the next free internal segment number.
inline constexpr const char* kNextSegmentKey = "next_segment";

std::string SerializeSegment(const Segment& s);
Result<Segment> ParseSegment(std::string_view bytes);

// The exact-match key of a folded source: a hash of its folded text.
std::string ExactKey(const NormalizedText& folded);
// A collection name as the 32-bit tag stored with a pair's tokens.
uint32_t CollectionTag(const std::string& name);

// A pair's source token ids with its collection tag (the src_tokens record).
std::string EncodeTokens(uint32_t tag, const std::vector<uint32_t>& ids);
void DecodeTokens(std::string_view bytes, uint32_t* tag, std::vector<uint32_t>* ids);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_SEGMENT_H_
