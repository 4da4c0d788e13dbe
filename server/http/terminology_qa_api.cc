#include "server/http/terminology_qa_api.h"

#include <spdlog/spdlog.h>

#include "heluo/v1/glossary.grpc.pb.h"
#include "server/http/forwarding.h"
#include "server/http/http_error.h"
#include "server/http/message_json.h"
#include "server/http/ndjson_stream.h"

namespace heluo::http {
namespace {

using AuditStream = grpc::ClientReaderWriter<v1::AuditTranslationsRequest, v1::AuditTranslationsResponse>;

// One audit being relayed: shared by the handler (which reads the first answer, so that a refusal — a
// malformed file, an unknown collection — still gets a proper error status) and the content provider that
// httplib calls after the handler returns.
struct AuditCall {
  grpc::ClientContext context;
  std::unique_ptr<v1::Glossary::Stub> stub;
  std::unique_ptr<AuditStream> stream;
  v1::AuditTranslationsResponse response;
  bool have_response = false;
  bool finished = false;

  ~AuditCall() {
    if (stream == nullptr || finished) return;
    context.TryCancel();  // The HTTP client went away: stop the audit on the server.
    while (stream->Read(&response)) {
    }
    (void)stream->Finish();
  }
};

// The first message from the query: the options' own names (skip_counts, …) fill `options`.
grpc::Status FirstFromQuery(const httplib::Request& req, v1::AuditTranslationsRequest* first) {
  std::multimap<std::string, std::string> top, options;
  const google::protobuf::Descriptor* o = v1::TermCheckOptions::descriptor();
  for (const auto& [name, value] : req.params) {
    const bool option = o->FindFieldByName(name) != nullptr || o->FindFieldByCamelcaseName(name) != nullptr;
    (option ? options : top).emplace(name, value);
  }
  if (grpc::Status st = MessageFromQuery(top, first); !st.ok()) return st;
  if (options.empty()) return grpc::Status::OK;
  return MessageFromQuery(options, first->mutable_options());
}

void RelayAudit(const ApiOptions& api, const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& reader) {
  if (req.get_header_value("Content-Type").rfind("multipart/", 0) == 0) {
    return SendError(res, 415, grpc::StatusCode::INVALID_ARGUMENT,
                     "send the TMX file itself as the request body (curl --data-binary @FILE), not as a form");
  }
  v1::AuditTranslationsRequest first;
  if (grpc::Status st = FirstFromQuery(req, &first); !st.ok()) return SendError(res, st);
  auto call = std::make_shared<AuditCall>();
  if (!ForwardCaller(req, std::nullopt, &call->context, res)) return;
  call->stub = v1::Glossary::NewStub(api.channel);
  call->stream = call->stub->AuditTranslations(&call->context);
  std::string piece;
  bool sent_first = false, refused = false;
  auto send = [&]() {
    v1::AuditTranslationsRequest message = sent_first ? v1::AuditTranslationsRequest() : first;
    message.set_data(std::move(piece));
    piece.clear();
    sent_first = true;
    refused = !call->stream->Write(message);
    return !refused;
  };
  // `curl -X POST URL?tm_collection=…` sends no body and neither header: an empty body, not one cut short
  // (httplib's reader reports it as failed).
  const bool has_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
  const bool complete = !has_body || reader([&](const char* data, size_t length) {
    piece.append(data, length);
    return piece.size() < kNdjsonPiece || send();
  });
  if (!complete && !refused) {
    call->context.TryCancel();
    return SendError(res, 400, grpc::StatusCode::CANCELLED, "the upload ended early; nothing was audited");
  }
  if (!refused && (!piece.empty() || !sent_first)) send();
  if (!refused) call->stream->WritesDone();
  call->have_response = call->stream->Read(&call->response);
  if (!call->have_response) {
    call->finished = true;
    if (refused) res.set_header("Connection", "close");  // The rest of the body was not read.
    grpc::Status st = call->stream->Finish();
    return SendError(res, st.ok() ? grpc::Status(grpc::StatusCode::INTERNAL, "the audit ended without a summary") : st);
  }
  res.set_chunked_content_provider("application/x-ndjson", [call](size_t, httplib::DataSink& sink) {
    if (call->finished) {
      sink.done();
      return true;
    }
    if (!call->have_response && !call->stream->Read(&call->response)) {
      call->finished = true;
      if (grpc::Status st = call->stream->Finish(); !st.ok()) {
        // The status line has gone out: break the chunked encoding, so the client sees a truncated answer.
        spdlog::warn("http audit failed mid-stream: {}", st.error_message());
        return false;
      }
      sink.done();
      return true;
    }
    call->have_response = false;
    const std::string line = MessageToJson(call->response);
    return sink.write(line.data(), line.size());
  });
}

}  // namespace

void AddTerminologyQaApi(const ApiOptions& options, Router* router) {
  router->Post(R"(/v1/terms:checkStream)", [options](const httplib::Request& req, httplib::Response& res,
                                                     const httplib::ContentReader& reader) {
    auto stub = v1::Glossary::NewStub(options.channel);
    RelayNdjsonStream<v1::CheckTerminologyRequest, v1::CheckTerminologyResponse>(
        options, req, res, reader,
        [&](grpc::ClientContext* context) { return stub->CheckTerminologyStream(context); });
  });
  router->Post(R"(/v1/terms:audit)", [options](const httplib::Request& req, httplib::Response& res,
                                               const httplib::ContentReader& reader) {
    RelayAudit(options, req, res, reader);
  });
}

}  // namespace heluo::http
