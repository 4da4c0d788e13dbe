// The bundled content as the content tests read it: the source-tree data/ files (HELUO_DATA_DIR), not the
// copy compiled into the server.
#ifndef HELUO_TESTS_CONTENT_DATA_H_
#define HELUO_TESTS_CONTENT_DATA_H_

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "server/core/text/normalizer.h"

namespace heluo::content {

inline std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(HELUO_DATA_DIR) + "/" + relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<nlohmann::json> ReadJsonl(const std::string& relative) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(ReadData(relative));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

inline const std::vector<nlohmann::json>& Tm() {
  static const std::vector<nlohmann::json> tm = ReadJsonl("tm/yanshi-2021.jsonl");
  return tm;
}

inline const std::vector<nlohmann::json>& Glossary() {
  static const std::vector<nlohmann::json> glossary = ReadJsonl("glossary/yanshi-2021.jsonl");
  return glossary;
}

// The product's folding key: NFKC, Traditional to Simplified, case and double quotes dropped.
inline std::string Key(const std::string& s) {
  Result<std::string> k = Normalizer::Get().Key(s);
  return k.ok() ? *k : "";
}

}  // namespace heluo::content

#endif  // HELUO_TESTS_CONTENT_DATA_H_
