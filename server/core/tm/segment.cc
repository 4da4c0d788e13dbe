#include "server/core/tm/segment.h"

#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "server/core/store/store.h"

namespace heluo {

using nlohmann::json;

std::string SerializeSegment(const Segment& s) {
  json j = {{"id", s.id},           {"collection", s.collection}, {"source", s.source},
            {"target", s.target},   {"section", s.section},       {"position", s.position},
            {"prev", s.previous_id}, {"next", s.next_id},        {"cby", s.created_by},
            {"cat", s.created_at},  {"mby", s.changed_by},       {"mat", s.changed_at}};
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

namespace {

// Reads the record as SerializeSegment writes it (nlohmann's MessagePack: a fixmap of string keys to strings
// and the integer position) without building a JSON document first: a lookup parses the record of every
// match it returns, and the document's map of strings was most of that. Anything else (another
// encoding, a missing required field, an unknown or repeated key, trailing bytes) returns false, and the
// general parser decides, so both read every record the same way.
class RecordReader {
 public:
  explicit RecordReader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool Read(Segment* out) {
    uint8_t head;
    if (!Byte(&head) || (head & 0xF0) != 0x80) return false;  // fixmap: up to 15 entries.
    unsigned seen = 0;
    for (unsigned i = 0, n = head & 0x0F; i < n; ++i) {
      std::string_view key;
      if (!String(&key)) return false;
      const int field = Field(key);
      if (field < 0 || (seen & (1u << field))) return false;
      seen |= 1u << field;
      if (field == kPosition) {
        if (!Integer(&out->position)) return false;
        continue;
      }
      std::string_view value;
      if (!String(&value)) return false;
      Target(out, field)->assign(value);
    }
    constexpr unsigned kRequired = (1u << kOptional) - 1;
    return p_ == end_ && (seen & kRequired) == kRequired;
  }

 private:
  enum : int { kId, kCollection, kSource, kTarget, kSection, kPosition, kPrev, kNext, kOptional };

  static int Field(std::string_view key) {
    static constexpr std::string_view kKeys[] = {"id",      "collection", "source", "target",
                                                 "section", "position",   "prev",   "next",
                                                 "cby",     "cat",        "mby",    "mat"};
    for (int f = 0; f < 12; ++f) {
      if (key == kKeys[f]) return f;
    }
    return -1;
  }
  static std::string* Target(Segment* s, int field) {
    std::string* const targets[] = {&s->id,         &s->collection, &s->source,      &s->target,
                                    &s->section,    nullptr,        &s->previous_id, &s->next_id,
                                    &s->created_by, &s->created_at, &s->changed_by,  &s->changed_at};
    return targets[field];
  }

  bool Byte(uint8_t* b) {
    if (p_ == end_) return false;
    *b = static_cast<uint8_t>(*p_++);
    return true;
  }
  bool BigEndian(size_t bytes, uint64_t* v) {
    if (static_cast<size_t>(end_ - p_) < bytes) return false;
    *v = 0;
    for (size_t i = 0; i < bytes; ++i) *v = (*v << 8) | static_cast<uint8_t>(*p_++);
    return true;
  }
  bool String(std::string_view* s) {
    uint8_t head;
    if (!Byte(&head)) return false;
    uint64_t size = head & 0x1F;
    if ((head & 0xE0) != 0xA0) {  // Not a fixstr: str8, str16, str32.
      if (head < 0xD9 || head > 0xDB || !BigEndian(size_t{1} << (head - 0xD9), &size)) return false;
    }
    if (static_cast<uint64_t>(end_ - p_) < size) return false;
    *s = std::string_view(p_, size);
    p_ += size;
    return true;
  }
  // An integer within int32 (what a position is); others are left to the general parser.
  bool Integer(int32_t* out) {
    uint8_t head;
    if (!Byte(&head)) return false;
    int64_t v;
    uint64_t raw;
    if (head <= 0x7F) {
      v = head;
    } else if (head >= 0xE0) {
      v = static_cast<int8_t>(head);
    } else if (head >= 0xCC && head <= 0xCE) {  // uint8, uint16, uint32.
      if (!BigEndian(size_t{1} << (head - 0xCC), &raw)) return false;
      v = static_cast<int64_t>(raw);
    } else if (head >= 0xD0 && head <= 0xD2) {  // int8, int16, int32.
      const size_t bytes = size_t{1} << (head - 0xD0);
      if (!BigEndian(bytes, &raw)) return false;
      v = static_cast<int64_t>(raw << (64 - 8 * bytes)) >> (64 - 8 * bytes);
    } else {
      return false;
    }
    if (v < INT32_MIN || v > INT32_MAX) return false;
    *out = static_cast<int32_t>(v);
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

Result<Segment> ParseSegment(std::string_view bytes) {
  if (Segment fast; RecordReader(bytes).Read(&fast)) return fast;
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

}  // namespace heluo
