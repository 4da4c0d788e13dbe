#include "server/http/tmserver.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "heluo/v1/translation_memory.pb.h"
#include "server/http/direct_call.h"
#include "server/http/http_error.h"
#include "server/http/language_code.h"

namespace heluo::http {
namespace {

// Below tmserver's 70 on purpose: heluo scores tokens (a number such as 1.22 is one), tmserver characters,
// so for the same pair heluo's score can be a few points lower (74 there, 68 here, for a sentence with a
// phrase added: tests/http/tmserver_contract_test.py). 65 returns every pair tmserver returns at 70.
constexpr int kDefaultMinSimilarity = 65;

}  // namespace

void AddTmserverApi(const ApiOptions& options, Router* router) {
  auto lookup = std::make_shared<DirectCall>(options, "/heluo.v1.TranslationMemory/Lookup");
  router->Get(R"(/tmserver/([^/]+)/([^/]+)/unit/(.+))", [lookup](const httplib::Request& req,
                                                                 httplib::Response& res) {
    nlohmann::json answer = nlohmann::json::array();
    if (!IsChineseCode(req.matches[1]) || !IsEnglishCode(req.matches[2])) {
      res.set_content(answer.dump() + "\n", "application/json");
      return;
    }
    v1::LookupRequest request;
    request.set_text(req.matches[3]);
    // Numbers from the query go to the service as they are: it checks their range.
    try {
      request.set_max_results(
          req.has_param("max_candidates") ? std::stoi(req.get_param_value("max_candidates")) : 10);
      request.set_min_score(req.has_param("min_similarity") ? std::stoi(req.get_param_value("min_similarity"))
                                                            : kDefaultMinSimilarity);
    } catch (const std::exception&) {
      return SendError(res, 400, grpc::StatusCode::INVALID_ARGUMENT,
                       "max_candidates and min_similarity are numbers");
    }
    v1::LookupResponse response;
    const grpc::Status parsed = google::protobuf::internal::IsStructurallyValidUTF8(request.text())
                                    ? grpc::Status::OK
                                    : InvalidUtf8(request);
    const std::optional<grpc::Status> st = lookup->Call(req, std::nullopt, request, parsed, &response, res);
    if (!st) return;
    if (!st->ok()) return SendError(res, *st);
    int rank = 0;
    for (const v1::Match& m : response.matches()) {
      answer.push_back(
          {{"source", m.segment().source()},
           {"target", m.segment().target()},
           {"context", ""},
           {"quality", static_cast<double>(std::min(m.score(), 100))},  // A float, as tmserver's.
           {"rank", ++rank}});
    }
    res.set_content(answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                    "application/json");
  });
}

}  // namespace heluo::http
