#include "server/core/tm/segment.h"

#include <xxhash.h>

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
