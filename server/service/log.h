// heluo-server's log: one line per event on stderr, UTC times, and nothing a client sends can break a line
// or forge one.
//  - Text mode: "2026-11-26T13:00:00.000 info audit method=… peer=\"ipv4:…\"". Field values holding a space,
//    a quote, '=' or a control character are written as JSON strings (quoted, \n, \", \u0001 escaped), and
//    any control character left in a message is escaped the same way, so a line never splits.
//  - JSON mode (--log-json): every line is one JSON object {"time","level","msg", fields…} written by
//    nlohmann::json; invalid UTF-8 is replaced, never passed through.
// Log events with spdlog::info("{}", LogLine("event", {{"key", value}, …})); a plain spdlog message is
// still one valid line in either mode (its text becomes "msg").
//
// Thread-safety: LogLine may be called from any thread; SetUpLogging once, before serving.
#ifndef HELUO_SERVER_SERVICE_LOG_H_
#define HELUO_SERVER_SERVICE_LOG_H_

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heluo {

using LogFields = std::vector<std::pair<std::string, nlohmann::ordered_json>>;

// Makes the default spdlog logger write to stderr in the given mode.
void SetUpLogging(spdlog::level::level_enum level, bool json);
// The message of one event with its fields, escaped for the current mode.
std::string LogLine(std::string_view event, const LogFields& fields);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_LOG_H_
