#include "server/service/log.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <ctime>

namespace heluo {
namespace {

using json = nlohmann::ordered_json;

std::atomic<bool> g_json{false};

// Marks a message LogLine already wrote as a JSON object, so the formatter splices it instead of quoting
// it. Client text cannot put it first: every event name is a constant.
constexpr char kJsonEvent = '\x1e';

std::string Quoted(std::string_view s) {
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

// Escapes control characters so that `s` stays on one line. (A backslash is left alone: LogLine's quoted
// values already escape theirs, and a message cannot split a line without a control character.)
void AppendOneLine(std::string_view s, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    if (c == '\n') {
      dest.append(std::string_view("\\n"));
    } else if (c == '\r') {
      dest.append(std::string_view("\\r"));
    } else if (c < 0x20 || c == 0x7f) {
      const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      dest.append(esc, esc + sizeof esc);
    } else {
      dest.push_back(static_cast<char>(c));
    }
  }
}

std::string Timestamp(const spdlog::details::log_msg& msg) {
  const auto since = msg.time.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since).count();
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%03lld", static_cast<long long>(millis));
  return buf;
}

class LineFormatter : public spdlog::formatter {
 public:
  explicit LineFormatter(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const auto level = spdlog::level::to_string_view(msg.level);
    if (json_) {
      std::string head = "{\"time\":\"" + Timestamp(msg) + "Z\",\"level\":\"" + std::string(level.data(), level.size()) + "\",";
      dest.append(head);
      if (!payload.empty() && payload[0] == kJsonEvent && payload.size() > 2) {
        dest.append(payload.substr(2));  // The object LogLine dumped, without its '{'.
      } else {
        dest.append("\"msg\":" + Quoted(payload) + "}");
      }
    } else {
      dest.append(Timestamp(msg) + " " + std::string(level.data(), level.size()) + " ");
      AppendOneLine(payload, dest);
    }
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(json_); }

 private:
  bool json_;
};

}  // namespace

void SetUpLogging(spdlog::level::level_enum level, bool json) {
  g_json = json;
  auto logger = spdlog::stderr_logger_mt("heluo");
  logger->set_formatter(std::make_unique<LineFormatter>(json));
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
}

std::string LogLine(std::string_view event, const LogFields& fields) {
  if (g_json) {
    json object = json::object();
    object["msg"] = std::string(event);
    for (const auto& [key, value] : fields) object[key] = value;
    return kJsonEvent + object.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  std::string line(event);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    if (value.is_string()) {
      const auto& s = value.get_ref<const std::string&>();
      line += NeedsQuotes(s) ? Quoted(s) : s;
    } else {
      line += value.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  return line;
}

}  // namespace heluo
