// A bidirectional "one answer per request" gRPC stream (TranslationMemory.LookupStream,
// Glossary.CheckTerminologyStream) over HTTP/1.1 as NDJSON in and out: one request message per line of the
// body, one answer per line of the response, in order. HTTP/1.1 answers after the request body, so answers
// wait in an unlinked temporary file, not in memory, until the body has ended; a bad line (its number in the
// message) or a failing request ends the call with a proper error status.
#ifndef HELUO_SERVER_HTTP_NDJSON_STREAM_H_
#define HELUO_SERVER_HTTP_NDJSON_STREAM_H_

#include <httplib.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "server/http/forwarding.h"
#include "server/http/http_error.h"
#include "server/http/json_api.h"
#include "server/http/message_json.h"

namespace heluo::http {

inline constexpr size_t kNdjsonPiece = 64 << 10;

// `start(context)` opens the stream (a stub's LookupStream(&context)).
template <class Request, class Response, class Start>
void RelayNdjsonStream(const ApiOptions& options, const httplib::Request& req, httplib::Response& res,
                       const httplib::ContentReader& reader, Start start) {
  grpc::ClientContext context;
  if (!ForwardCaller(req, std::nullopt, &context, res)) return;
  auto stream = start(&context);
  std::shared_ptr<FILE> answers(std::tmpfile(), [](FILE* f) {
    if (f != nullptr) std::fclose(f);
  });
  if (answers == nullptr) {
    return SendError(res, grpc::Status(grpc::StatusCode::INTERNAL, "cannot create a temporary file"));
  }
  std::string pending;
  int64_t line_number = 0;
  grpc::Status failure;
  bool stream_broken = false;
  // Answers are read on a thread of their own while requests are written: the service answers several
  // requests at once, and when one fails it ends the stream with that request's error — a relay that waited
  // for each answer before sending the next request would hold the stream open and see it cancelled instead.
  std::atomic<bool> answers_failed{false};
  std::thread answer_reader([&] {
    Response response;
    while (stream->Read(&response)) {
      const std::string json = MessageToJson(response);
      if (std::fwrite(json.data(), 1, json.size(), answers.get()) != json.size()) answers_failed = true;
    }
  });
  auto one_line = [&](std::string_view line) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
    Request request;
    if (grpc::Status st = MessageFromJson(std::string(line), &request); !st.ok()) {
      failure = grpc::Status(st.error_code(), "line " + std::to_string(line_number) + ": " + st.error_message());
      return false;
    }
    if (!stream->Write(request)) {
      stream_broken = true;
      return false;
    }
    return !answers_failed.load();
  };
  bool too_long = false;
  const bool complete = reader([&](const char* data, size_t length) {
    pending.append(data, length);
    size_t start_at = 0;
    for (size_t eol; (eol = pending.find('\n', start_at)) != std::string::npos; start_at = eol + 1) {
      if (!one_line(std::string_view(pending).substr(start_at, eol - start_at))) return false;
    }
    pending.erase(0, start_at);
    too_long = pending.size() > options.max_body_bytes;
    return !too_long;
  });
  if (complete && !pending.empty()) one_line(pending);
  if (too_long) failure = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "a line is longer than the limit");
  if (!failure.ok() || (!complete && !stream_broken)) {
    context.TryCancel();
    answer_reader.join();
    (void)stream->Finish();
    if (failure.ok()) failure = grpc::Status(grpc::StatusCode::CANCELLED, "the request body ended early");
    return too_long ? SendError(res, 413, failure.error_code(), failure.error_message()) : SendError(res, failure);
  }
  if (!stream_broken) stream->WritesDone();
  answer_reader.join();
  if (grpc::Status st = stream->Finish(); !st.ok()) return SendError(res, st);
  if (answers_failed) {
    return SendError(res, grpc::Status(grpc::StatusCode::INTERNAL, "cannot write the answers' temporary file"));
  }
  std::rewind(answers.get());
  res.set_chunked_content_provider("application/x-ndjson", [answers](size_t, httplib::DataSink& sink) {
    char buffer[kNdjsonPiece];
    const size_t n = std::fread(buffer, 1, sizeof buffer, answers.get());
    if (n == 0) {
      sink.done();
      return true;
    }
    return sink.write(buffer, n);
  });
}

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_NDJSON_STREAM_H_
