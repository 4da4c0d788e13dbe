#include "server/http/transfer_api.h"

#include <spdlog/spdlog.h>

#include "heluo/v1/admin.grpc.pb.h"
#include "heluo/v1/glossary.grpc.pb.h"
#include "heluo/v1/translation_memory.grpc.pb.h"
#include "server/http/forwarding.h"
#include "server/http/http_error.h"
#include "server/http/message_json.h"
#include "server/http/ndjson_stream.h"

namespace heluo::http {
namespace {

// Uploads are passed on in pieces of this size (the size of the services' own export chunks).
constexpr size_t kUploadPiece = 64 << 10;

struct FileKind {
  const char* content_type;
  const char* extension;
};

FileKind KindOf(v1::ExportFormat format, bool glossary) {
  switch (format) {
    case v1::EXPORT_FORMAT_TMX:
      return {"application/x-tmx+xml; charset=utf-8", "tmx"};
    case v1::EXPORT_FORMAT_TBX:
      return {"application/x-tbx+xml; charset=utf-8", "tbx"};
    case v1::EXPORT_FORMAT_TBX2008:
      return {"application/x-tbx+xml; charset=utf-8", "tbx"};
    case v1::EXPORT_FORMAT_TSV:
      return {"text/tab-separated-values; charset=utf-8", "tsv"};
    case v1::EXPORT_FORMAT_CSV:
      return {"text/csv; charset=utf-8", "csv"};
    case v1::EXPORT_FORMAT_JSONL:
      return {"application/x-ndjson; charset=utf-8", "jsonl"};
    default:
      return glossary ? KindOf(v1::EXPORT_FORMAT_TBX, true) : KindOf(v1::EXPORT_FORMAT_TMX, false);
  }
}

// One server-streaming call being relayed to an HTTP client. Shared by the handler (which reads the first
// chunk, so that a refusal still gets a proper error status) and the content provider that httplib calls
// after the handler returns.
template <class Chunk>
struct Download {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<Chunk>> reader;
  Chunk chunk;
  bool have_chunk = false;
  bool finished = false;  // Finish() was called.

  ~Download() {
    if (reader == nullptr || finished) return;
    context.TryCancel();  // The HTTP client went away: stop the export on the server.
    while (reader->Read(&chunk)) {
    }
    (void)reader->Finish();
  }
};

template <class Chunk>
void Relay(std::shared_ptr<Download<Chunk>> d, const std::string& content_type, const std::string& filename,
           httplib::Response& res) {
  d->have_chunk = d->reader->Read(&d->chunk);
  if (!d->have_chunk) {
    d->finished = true;
    if (grpc::Status st = d->reader->Finish(); !st.ok()) return SendError(res, st);
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  res.set_chunked_content_provider(content_type, [d, filename](size_t, httplib::DataSink& sink) {
    if (d->finished) {
      sink.done();
      return true;
    }
    if (!d->have_chunk && !d->reader->Read(&d->chunk)) {
      d->finished = true;
      grpc::Status st = d->reader->Finish();
      if (!st.ok()) {
        // The status line has gone out: all that is left is to break the chunked encoding, so that the
        // client sees a truncated transfer instead of a complete-looking file.
        spdlog::warn("http download {} failed mid-stream: {}", filename, st.error_message());
        return false;
      }
      sink.done();
      return true;
    }
    d->have_chunk = false;
    // A chunk without data (the backup's closing digest) must not reach httplib: an empty HTTP chunk is
    // the end of the body.
    if (d->chunk.data().empty()) return true;
    return sink.write(d->chunk.data().data(), d->chunk.data().size());
  });
}

// Passes the request body on as ImportChunks; the summary (or the service's refusal) is the answer.
void RelayUpload(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
                 grpc::ClientContext* context, v1::ImportSummary* summary,
                 grpc::ClientWriter<v1::ImportChunk>* writer) {
  if (req.get_header_value("Content-Type").rfind("multipart/", 0) == 0) {
    context->TryCancel();
    (void)writer->Finish();
    return SendError(res, 415, grpc::StatusCode::INVALID_ARGUMENT,
                     "send the file itself as the request body (curl --data-binary @FILE), not as a form");
  }
  const bool dry_run = QueryFlag(req, "dry_run");
  const std::string collection = req.get_param_value("collection");
  std::string piece;
  bool first = true, refused = false;
  auto send = [&]() {
    v1::ImportChunk chunk;
    chunk.set_data(std::move(piece));
    piece.clear();
    if (first) {
      chunk.set_dry_run(dry_run);
      chunk.set_collection(collection);
      first = false;
    }
    refused = !writer->Write(chunk);
    return !refused;
  };
  const bool complete = reader([&](const char* data, size_t length) {
    piece.append(data, length);
    return piece.size() < kUploadPiece || send();
  });
  if (!complete && !refused) {
    // The client stopped sending: cancel, so the service discards its spool and imports nothing.
    context->TryCancel();
    (void)writer->Finish();
    return SendError(res, 400, grpc::StatusCode::CANCELLED, "the upload ended early; nothing was imported");
  }
  if (!refused && !piece.empty()) send();
  if (!refused) writer->WritesDone();
  grpc::Status finished = writer->Finish();
  ReturnCommitSequence(*context, res);
  if (grpc::Status st = finished; !st.ok()) {
    if (refused) res.set_header("Connection", "close");  // The rest of the body was not read.
    return SendError(res, st);
  }
  res.set_content(MessageToJson(*summary), "application/json");
}

// A GET route relaying the server-streaming call `start` makes; `file` names the download for a request.
template <class Request, class Chunk, class Start, class File>
httplib::Server::Handler DownloadRoute(std::shared_ptr<grpc::Channel> channel, Start start, File file) {
  return [channel, start, file](const httplib::Request& req, httplib::Response& res) {
    Request request;
    if (grpc::Status st = MessageFromQuery(req.params, &request); !st.ok()) return SendError(res, st);
    auto d = std::make_shared<Download<Chunk>>();
    if (!ForwardCaller(req, std::nullopt, &d->context, res)) return;
    d->reader = start(channel, &d->context, request);
    const auto [content_type, filename] = file(request);
    Relay(d, content_type, filename, res);
  };
}

// A POST route relaying its body to the client-streaming import call `start` makes.
template <class Start>
httplib::Server::HandlerWithContentReader UploadRoute(std::shared_ptr<grpc::Channel> channel, Start start) {
  return [channel, start](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    grpc::ClientContext context;
    if (!ForwardCaller(req, std::nullopt, &context, res)) return;
    v1::ImportSummary summary;
    auto writer = start(channel, &context, &summary);
    RelayUpload(req, res, reader, &context, &summary, writer.get());
  };
}

}  // namespace

void AddTransferApi(const ApiOptions& options, Router* router) {
  using File = std::pair<std::string, std::string>;  // Content type, file name.
  router->Get(R"(/v1/tm:export)",
              DownloadRoute<v1::ExportRequest, v1::ExportChunk>(
                  options.channel,
                  [](auto channel, grpc::ClientContext* context, const v1::ExportRequest& request) {
                    return v1::TranslationMemory::NewStub(channel)->Export(context, request);
                  },
                  [](const v1::ExportRequest& request) {
                    const FileKind kind = KindOf(request.format(), false);
                    return File(kind.content_type, std::string("heluo-tm.") + kind.extension);
                  }));
  router->Get(R"(/v1/terms:export)",
              DownloadRoute<v1::ExportGlossaryRequest, v1::ExportChunk>(
                  options.channel,
                  [](auto channel, grpc::ClientContext* context, const v1::ExportGlossaryRequest& request) {
                    return v1::Glossary::NewStub(channel)->ExportGlossary(context, request);
                  },
                  [](const v1::ExportGlossaryRequest& request) {
                    const FileKind kind = KindOf(request.format(), true);
                    return File(kind.content_type, std::string("heluo-glossary.") + kind.extension);
                  }));
  router->Get(
      R"(/v1/backup:download)",
      DownloadRoute<v1::DownloadBackupRequest, v1::BackupChunk>(
          options.channel,
          [](auto channel, grpc::ClientContext* context, const v1::DownloadBackupRequest& request) {
            return v1::Admin::NewStub(channel)->DownloadBackup(context, request);
          },
          [](const v1::DownloadBackupRequest&) { return File("application/octet-stream", "data.mdb"); }));
  router->Post(R"(/v1/tm:import)", UploadRoute(options.channel, [](auto channel, grpc::ClientContext* context,
                                                                   v1::ImportSummary* summary) {
                 return v1::TranslationMemory::NewStub(channel)->Import(context, summary);
               }));
  router->Post(R"(/v1/terms:import)",
               UploadRoute(options.channel,
                           [](auto channel, grpc::ClientContext* context, v1::ImportSummary* summary) {
                             return v1::Glossary::NewStub(channel)->ImportGlossary(context, summary);
                           }));
  router->Post(R"(/v1/tm:lookupStream)", [options](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& reader) {
    auto stub = v1::TranslationMemory::NewStub(options.channel);
    RelayNdjsonStream<v1::LookupRequest, v1::LookupResponse>(
        options, req, res, reader, [&](grpc::ClientContext* context) { return stub->LookupStream(context); });
  });
}

}  // namespace heluo::http
