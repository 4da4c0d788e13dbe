// A stored pair's record (MessagePack written by SerializeSegment) reads back field for field, whatever the
// sizes of its strings and its position; records of other shapes (older ones without the audit fields,
// unknown keys, other integer encodings) read exactly as the general MessagePack parser reads them, and a
// corrupt record is refused.
#include <gtest/gtest.h>

#include <climits>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "server/core/tm/segment.h"

namespace heluo {
namespace {

using nlohmann::json;

auto Fields(const Segment& s) {
  return std::tie(s.id, s.collection, s.source, s.target, s.section, s.position, s.previous_id, s.next_id,
                  s.created_by, s.created_at, s.changed_by, s.changed_at);
}

std::string Msgpack(const json& j) {
  const std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

TEST(SegmentRecordTest, EveryFieldReadsBackAtEverySize) {
  const std::vector<size_t> sizes = {0, 1, 31, 32, 255, 256, 65535, 65536};
  const std::vector<int32_t> positions = {0,  1,   127, 128,  255,  256,    65535,  65536,  INT_MAX,
                                          -1, -32, -33, -128, -129, -32768, -32769, INT_MIN};
  for (size_t i = 0; i < sizes.size() * positions.size(); ++i) {
    const size_t n = sizes[i % sizes.size()];
    Segment s{"id" + std::string(n, 'i'),
              "c" + std::to_string(i),
              std::string(n, 's'),
              std::string(n / 2, 't'),
              "sec",
              positions[i % positions.size()],
              std::string(i % 3, 'p'),
              "n" + std::string(n / 3, 'x'),
              "alice",
              "2026-11-27T03:00:00Z",
              std::string(n, 'm'),
              ""};
    Result<Segment> read = ParseSegment(SerializeSegment(s));
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(Fields(*read), Fields(s)) << "size " << n << " position " << s.position;
  }
}

TEST(SegmentRecordTest, OtherShapesReadAsTheGeneralParserReadsThem) {
  const json full = {{"id", "a"},     {"collection", "c"}, {"source", "源"}, {"target", "t"},
                     {"section", ""}, {"position", 7},     {"prev", ""},     {"next", "b"}};
  // A record written before the audit fields existed: they read as empty.
  Result<Segment> old = ParseSegment(Msgpack(full));
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->source, "源");
  EXPECT_EQ(old->next_id, "b");
  EXPECT_EQ(old->position, 7);
  EXPECT_EQ(old->created_by, "");
  // An unknown key is ignored.
  json extra = full;
  extra["later"] = "x";
  Result<Segment> with_extra = ParseSegment(Msgpack(extra));
  ASSERT_TRUE(with_extra.ok());
  EXPECT_EQ(Fields(*with_extra), Fields(*old));
  // A position written as a float or beyond int32 is converted as the general parser converts it.
  for (const json& position : {json(3.0), json(int64_t{1} << 33), json(uint64_t{1} << 40)}) {
    json other = full;
    other["position"] = position;
    Result<Segment> read = ParseSegment(Msgpack(other));
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->position, position.get<int32_t>());
  }
}

TEST(SegmentRecordTest, CorruptRecordsAreRefused) {
  const std::string good = SerializeSegment(Segment{"a", "c", "源", "t", "", 1, "", "", "", "", "", ""});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_EQ(ParseSegment(good.substr(0, cut)).status().code(), Status::Code::kDataLoss) << "cut at " << cut;
  }
  EXPECT_EQ(ParseSegment(good + "x").status().code(), Status::Code::kDataLoss);  // Trailing bytes.
  json missing = {{"id", "a"},     {"collection", "c"}, {"target", "t"}, {"section", ""},
                  {"position", 1}, {"prev", ""},        {"next", ""}};  // No source.
  EXPECT_EQ(ParseSegment(Msgpack(missing)).status().code(), Status::Code::kDataLoss);
  json not_string = missing;
  not_string["source"] = 5;
  EXPECT_EQ(ParseSegment(Msgpack(not_string)).status().code(), Status::Code::kDataLoss);
}

}  // namespace
}  // namespace heluo
