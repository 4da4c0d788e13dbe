#include "server/http/json_api.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "server/http/direct_call.h"
#include "server/http/forwarding.h"
#include "server/http/http_error.h"
#include "server/http/message_json.h"
#include "server/http/terminology_qa_api.h"
#include "server/service/request_traits.h"

namespace heluo::http {
namespace {

namespace pb = google::protobuf;

// Where the request message comes from besides the path's {id}.
enum class From { kQuery, kBody };

struct Route {
  const char* method;   // HTTP method.
  const char* pattern;  // Path; a capture group is the `path_field`.
  const char* rpc;      // Full gRPC method name, "heluo.v1.Glossary.GetTerm".
  From from;
  const char* body_field;  // kBody: "" for the whole message, else the field the body fills ("entry").
  const char* path_field;  // The field the path's capture fills ("id", "entry.id"), or "".
};

constexpr Route kRoutes[] = {
    {"GET", R"(/v1/terms:lookup)", "heluo.v1.Glossary.LookupTerm", From::kQuery, "", ""},
    {"GET", R"(/v1/terms:suggest)", "heluo.v1.Glossary.SuggestTerms", From::kQuery, "", ""},
    {"POST", R"(/v1/terms:recognize)", "heluo.v1.Glossary.RecognizeTerms", From::kBody, "", ""},
    {"POST", R"(/v1/terms:check)", "heluo.v1.Glossary.CheckTerminology", From::kBody, "", ""},
    {"GET", R"(/v1/terms)", "heluo.v1.Glossary.ListTerms", From::kQuery, "", ""},
    {"GET", R"(/v1/terms/([^/:]+))", "heluo.v1.Glossary.GetTerm", From::kQuery, "", "id"},
    {"PUT", R"(/v1/terms/([^/:]+))", "heluo.v1.Glossary.UpsertTerm", From::kBody, "entry", "entry.id"},
    {"DELETE", R"(/v1/terms/([^/:]+))", "heluo.v1.Glossary.DeleteTerm", From::kQuery, "", "id"},
    {"POST", R"(/v1/tm:lookup)", "heluo.v1.TranslationMemory.Lookup", From::kBody, "", ""},
    {"GET", R"(/v1/tm:concordance)", "heluo.v1.TranslationMemory.Concordance", From::kQuery, "", ""},
    {"GET", R"(/v1/segments)", "heluo.v1.TranslationMemory.ListSegments", From::kQuery, "", ""},
    {"POST", R"(/v1/segments:batchUpsert)", "heluo.v1.TranslationMemory.UpsertSegments", From::kBody, "", ""},
    {"GET", R"(/v1/segments/([^/:]+))", "heluo.v1.TranslationMemory.GetSegment", From::kQuery, "", "id"},
    {"DELETE", R"(/v1/segments/([^/:]+))", "heluo.v1.TranslationMemory.DeleteSegment", From::kQuery, "",
     "id"},
    {"GET", R"(/v1/stats)", "heluo.v1.Admin.Stats", From::kQuery, "", ""},
    {"POST", R"(/v1/backup)", "heluo.v1.Admin.Backup", From::kBody, "", ""},
};

class UnaryRoute {
 public:
  UnaryRoute(const Route& route, const ApiOptions& options) : route_(route), options_(options) {
    method_ = pb::DescriptorPool::generated_pool()->FindMethodByName(route.rpc);
    // "/heluo.v1.Glossary/GetTerm": the service's full name, then the method's.
    grpc_name_ = "/" + method_->service()->full_name() + "/" + method_->name();
    direct_ = std::make_unique<DirectCall>(options, grpc_name_);
  }

  void Serve(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader) {
    const pb::Message* prototype =
        pb::MessageFactory::generated_factory()->GetPrototype(method_->input_type());
    std::unique_ptr<pb::Message> request(prototype->New());
    if (route_.from == From::kBody) {
      std::string body;
      if (!ReadBody(*reader, options_.max_body_bytes, &body, res)) return;
      pb::Message* target = request.get();
      if (*route_.body_field != '\0') {
        // The body fills one field; the query the others (the update mask of PUT /v1/terms/{id}).
        if (grpc::Status st = MessageFromQuery(req.params, request.get()); !st.ok()) return SendError(res, st);
        const pb::FieldDescriptor* f = request->GetDescriptor()->FindFieldByName(route_.body_field);
        target = request->GetReflection()->MutableMessage(request.get(), f);
      }
      if (grpc::Status st = MessageFromJson(body, target); !st.ok()) return SendError(res, st);
    } else if (grpc::Status st = MessageFromQuery(req.params, request.get()); !st.ok()) {
      return SendError(res, st);
    }
    // The path's {id} is set as it came: protobuf's parser refuses it in the service when it is not UTF-8,
    // and a direct call must be refused alike (as a call, counted and logged).
    grpc::Status parsed = grpc::Status::OK;
    if (*route_.path_field != '\0') {
      if (!pb::internal::IsStructurallyValidUTF8(req.matches[1].str())) parsed = InvalidUtf8(*request);
      SetStringField(route_.path_field, req.matches[1], request.get());
    }
    std::unique_ptr<pb::Message> response(
        pb::MessageFactory::generated_factory()->GetPrototype(method_->output_type())->New());
    const std::optional<grpc::Status> st = direct_->Call(req, std::nullopt, *request, parsed, response.get(), res);
    if (!st) return;
    if (!st->ok()) return SendError(res, *st);
    res.set_content(MessageToJson(*response), "application/json");
  }

 private:
  const Route& route_;
  const ApiOptions& options_;
  const pb::MethodDescriptor* method_;
  std::string grpc_name_;
  std::unique_ptr<DirectCall> direct_;
};

}  // namespace

void AddJsonApi(const ApiOptions& options, Router* router) {
  for (const Route& route : kRoutes) {
    auto unary = std::make_shared<UnaryRoute>(route, options);
    const std::string method = route.method;
    if (method == "GET") {
      router->Get(route.pattern, [unary](const httplib::Request& req, httplib::Response& res) {
        unary->Serve(req, res, nullptr);
      });
    } else if (method == "DELETE") {
      router->Delete(route.pattern, [unary](const httplib::Request& req, httplib::Response& res) {
        unary->Serve(req, res, nullptr);
      });
    } else {
      auto handler = [unary](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) { unary->Serve(req, res, &reader); };
      method == "POST" ? router->Post(route.pattern, handler) : router->Put(route.pattern, handler);
    }
  }
  // The check's streaming methods (CheckTerminologyStream, AuditTranslations) beside its unary route.
  AddTerminologyQaApi(options, router);
}

}  // namespace heluo::http
