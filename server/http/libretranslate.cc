#include "server/http/libretranslate.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "heluo/v1/translation_memory.pb.h"
#include "server/http/direct_call.h"
#include "server/http/forwarding.h"
#include "server/http/http_error.h"
#include "server/http/language_code.h"

// Exported by Debian's libcpp-httplib; the same parser httplib uses for query strings.
namespace httplib::detail {
void parse_query_text(const std::string& s, Params& params);
}

namespace heluo::http {
namespace {

using nlohmann::json;
namespace pb = google::protobuf;

constexpr int kThreshold = 70;
constexpr int kMaxAlternatives = 10;

// LibreTranslate's error shape: {"error": "…"}.
void Refuse(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n",
                  "application/json");
}

// What a match offers as a translation: the stored target, or for a placeable match the target with the
// query's figures, and nothing when a figure could not be carried over (the stored one would be wrong). Such
// a match is not placeable (the server offers no substituted target), but its substitutions say which figures
// were left: the stored target must not be passed off as a translation then either.
std::optional<std::string> Translation(const v1::Match& m) {
  const bool all_carried = std::all_of(m.substitutions().begin(), m.substitutions().end(),
                                       [](const v1::NumberSubstitution& s) { return s.applied(); });
  if (!all_carried) return std::nullopt;
  return m.placeable() ? m.substituted_target() : m.segment().target();
}

// The request's fields, from a JSON body or a form (urlencoded), as LibreTranslate accepts both.
std::optional<json> ReadFields(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    json fields = json::parse(body, nullptr, false);
    if (fields.is_discarded() || !fields.is_object()) {
      Refuse(res, 400, "the body is not a JSON object");
      return std::nullopt;
    }
    return fields;
  }
  httplib::Params form;
  httplib::detail::parse_query_text(body, form);
  json fields = json::object();
  for (const auto& [key, value] : form) fields[key] = value;
  for (const auto& [key, value] : req.params) fields[key] = value;  // Query-string fields count too.
  return fields;
}

std::string StringField(const json& fields, const char* name, const std::string& fallback = "") {
  auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

void AddLibreTranslateApi(const ApiOptions& options, Router* router) {
  auto lookup = std::make_shared<DirectCall>(options, "/heluo.v1.TranslationMemory/Lookup");
  const size_t max_body = options.max_body_bytes;
  router->Post(R"(/libretranslate/translate)", [lookup, max_body](const httplib::Request& req,
                                                                httplib::Response& res,
                                                                const httplib::ContentReader& reader) {
    std::string body;
    if (!ReadBody(reader, max_body, &body, res)) return;
    std::optional<json> fields = ReadFields(req, body, res);
    if (!fields) return;
    const std::string source = StringField(*fields, "source", "auto");
    const std::string target = StringField(*fields, "target", "en");
    if (source != "auto" && !IsChineseCode(source))
      return Refuse(res, 400, source + " is not available as a source language (heluo: zh → en)");
    if (!IsEnglishCode(target))
      return Refuse(res, 400, target + " is not available as a target language (heluo: zh → en)");
    if (const std::string format = StringField(*fields, "format", "text"); format != "text") {
      return Refuse(res, 400, "format " + format + " is not supported; heluo translates plain text");
    }
    int alternatives = 0;
    if (auto it = fields->find("alternatives"); it != fields->end()) {
      if (it->is_number_integer()) alternatives = it->get<int>();
      if (it->is_string()) alternatives = std::atoi(it->get<std::string>().c_str());
      alternatives = std::clamp(alternatives, 0, kMaxAlternatives);
    }
    std::optional<std::string> token;
    if (std::string key = StringField(*fields, "api_key"); !key.empty()) token = key;

    const json& q = fields->contains("q") ? (*fields)["q"] : json();
    std::vector<std::string> texts;
    if (q.is_string()) {
      texts.push_back(q.get<std::string>());
    } else if (q.is_array() && std::all_of(q.begin(), q.end(), [](const json& t) { return t.is_string(); })) {
      for (const json& t : q) texts.push_back(t.get<std::string>());
    } else {
      return Refuse(res, 400, "Invalid request: missing q parameter (a string or an array of strings)");
    }

    json translated = json::array(), alternatives_out = json::array();
    for (const std::string& text : texts) {
      v1::LookupRequest request;
      request.set_text(text);
      request.set_min_score(kThreshold);
      request.set_max_results(1 + alternatives + 4);  // Room for placeables that cannot be used.
      v1::LookupResponse response;
      // The text came through nlohmann's parser, which reads only UTF-8, or a form, which may hold anything.
      const grpc::Status parsed = pb::internal::IsStructurallyValidUTF8(text) ? grpc::Status::OK : InvalidUtf8(request);
      const std::optional<grpc::Status> st = lookup->Call(req, token, request, parsed, &response, res);
      if (!st) return;
      if (!st->ok()) return Refuse(res, HttpStatusOf(st->error_code()), st->error_message());
      std::vector<std::string> usable;
      for (const v1::Match& m : response.matches()) {
        std::optional<std::string> t = Translation(m);
        if (t && std::find(usable.begin(), usable.end(), *t) == usable.end()) usable.push_back(*t);
      }
      translated.push_back(usable.empty() ? "" : usable[0]);
      json others = json::array();
      for (size_t i = 1; i < usable.size() && static_cast<int>(i) <= alternatives; ++i)
        others.push_back(usable[i]);
      alternatives_out.push_back(others);
    }
    json answer;
    if (q.is_string()) {
      answer["translatedText"] = translated[0];
      if (alternatives > 0) answer["alternatives"] = alternatives_out[0];
    } else {
      answer["translatedText"] = translated;
      if (alternatives > 0) answer["alternatives"] = alternatives_out;
    }
    res.set_content(answer.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", "application/json");
  });
  router->Get(R"(/libretranslate/languages)", [](const httplib::Request&, httplib::Response& res) {
    const json languages = json::array({{{"code", "zh"}, {"name", "Chinese"}, {"targets", {"en"}}},
                                        {{"code", "en"}, {"name", "English"}, {"targets", json::array()}}});
    res.set_content(languages.dump() + "\n", "application/json");
  });
}

}  // namespace heluo::http
