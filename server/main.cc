// heluo-server: flags, wiring and signal handling. Everything else lives in core/ and service/.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <unistd.h>
#include <signal.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>
#include <string>

#include "server/core/auth/token_store.h"
#include "server/core/bundle.h"
#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/store/store.h"
#include "server/core/term_recognizer.h"
#include "server/core/text/normalizer.h"
#include "server/core/translation_memory.h"
#include "server/core/tm/staging.h"
#include "server/service/admin_service.h"
#include "server/service/auth.h"
#include "server/service/glossary_service.h"
#include "server/service/translation_memory_service.h"

namespace {

// SIGTERM/SIGINT write their number to this pipe; main() waits on the read end. A handler (rather than
// sigwait) works whichever thread the kernel picks, including threads gRPC starts before main() runs.
int g_signal_pipe[2] = {-1, -1};

extern "C" void OnShutdownSignal(int sig) {
  const char byte = static_cast<char>(sig);
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &byte, 1);
}

int Fail(const std::string& message) {
  std::cerr << "heluo-server: " << message << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"heluo-server: a Chinese-English terminology and translation-memory server over gRPC"};
  std::string data_dir = "./heluo-data";
  std::string listen = "127.0.0.1:50051";
  std::string bundle_dir;
  std::string bundle_collection = "yanshi-2021";
  app.add_option("--data-dir", data_dir, "LMDB data directory (created if missing)")->capture_default_str();
  app.add_option("--listen", listen, "address to listen on; port 0 picks a free port")->capture_default_str();
  app.add_option("--bundle", bundle_dir,
                 "import content from this directory (laid out like data/) instead of the embedded bundle");
  app.add_option("--bundle-collection", bundle_collection, "collection name of the bundle")->capture_default_str();
  std::string token_file, hash_token;
  bool reads_need_token = false;
  size_t max_import_mib = 1024;
  app.add_option("--token-file", token_file,
                 "bearer tokens allowed to write (lines 'ROLE SHA256 NAME'); without it writes are refused");
  app.add_flag("--require-token-for-reads", reads_need_token, "reads need a reader token too");
  app.add_option("--max-import-mib", max_import_mib, "largest file Import/ImportGlossary accept")->capture_default_str();
  int max_message_mib = 16;
  int max_streams = 64;
  app.add_option("--max-streams", max_streams, "streaming calls (pre-translation, import, export) at once")
      ->capture_default_str();
  app.add_option("--max-message-mib", max_message_mib, "largest single request message (imports stream in chunks)")
      ->capture_default_str();
  app.add_option("--hash-token", hash_token, "print the SHA-256 of a token for the token file, and exit");
  std::string log_level = "info";
  bool log_json = false;
  app.add_option("--log-level", log_level, "debug (one line per call), info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))->capture_default_str();
  app.add_flag("--log-json", log_json, "log lines as JSON objects");
  std::string tls_cert, tls_key, tls_client_ca;
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve TLS instead of plaintext");
  app.add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  app.add_option("--tls-client-ca", tls_client_ca, "PEM CA bundle: require and verify client certificates (mutual TLS)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("heluo"));
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern(log_json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})" : "%Y-%m-%dT%H:%M:%S.%e %l %v",
                      spdlog::pattern_time_type::utc);
  if (!hash_token.empty()) {
    std::cout << heluo::TokenStore::Sha256Hex(hash_token) << std::endl;
    return 0;
  }
  heluo::TokenStore tokens;
  if (!token_file.empty()) {
    if (heluo::Status st = tokens.Load(token_file); !st.ok()) return Fail(st.message());
  }

  if (pipe(g_signal_pipe) != 0) return Fail("cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = OnShutdownSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // A client that stops reading a streamed backup must not kill the server.

  heluo::Normalizer::Get();  // Build the folding tables before serving.
  heluo::StoreOptions store_options;
  store_options.upgrade = &heluo::TranslationMemory::UpgradeSchema;  // Older data directories are upgraded.
  heluo::Result<std::unique_ptr<heluo::Store>> store = heluo::Store::Open(data_dir, store_options);
  if (!store.ok()) return Fail(store.status().message());
  if ((*store)->upgraded_from() != 0) {
    spdlog::info("upgraded data directory {} from schema version {} to {}", data_dir, (*store)->upgraded_from(),
                 heluo::kSchemaVersion);
  }

  // An import the last process did not finish (killed, power cut) left staged pairs no reader sees: they
  // go before anything is served or written.
  heluo::Result<int64_t> unstaged = heluo::RemoveStagedImport(**store);
  if (!unstaged.ok()) return Fail("removing an unfinished import failed: " + unstaged.status().message());
  if (*unstaged > 0) spdlog::warn("removed {} pairs staged by an import that did not finish", *unstaged);

  heluo::Bundle bundle;
  if (bundle_dir.empty()) {
    bundle = heluo::EmbeddedBundle();
  } else {
    heluo::Result<heluo::Bundle> read = heluo::ReadBundleDirectory(bundle_dir, bundle_collection);
    if (!read.ok()) return Fail(read.status().message());
    bundle = std::move(*read);
  }
  heluo::Result<heluo::BundleImport> imported = heluo::ImportBundleOnce(**store, bundle);
  if (!imported.ok()) return Fail("importing the bundle failed, nothing was imported: " + imported.status().message());

  heluo::Glossary glossary(store->get());
  heluo::TermRecognizer recognizer(store->get());
  if (heluo::Status st = recognizer.Rebuild(); !st.ok()) return Fail("loading the glossary failed: " + st.message());
  heluo::TranslationMemory tm(store->get(), &recognizer);
  heluo::Authorizer authorizer(&tokens, reads_need_token);
  heluo::StreamLimit streams(max_streams);
  heluo::ServiceOptions options;
  options.streams = &streams;
  options.store = store->get();
  options.auth = &authorizer;
  options.spool_dir = data_dir;
  options.max_import_bytes = max_import_mib << 20;
  heluo::GlossaryService glossary_service(&glossary, &recognizer, options);
  heluo::TranslationMemoryService tm_service(&tm, options);
  heluo::CallMetrics metrics;
  heluo::AdminService admin_service(store->get(), &authorizer, &metrics);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!tls_cert.empty() || !tls_key.empty()) {
    auto read = [](const std::string& path, std::string* out) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      *out = s.str();
      return static_cast<bool>(in) && !out->empty();
    };
    grpc::SslServerCredentialsOptions tls;
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    if (!read(tls_cert, &pair.cert_chain)) return Fail("cannot read --tls-cert " + tls_cert);
    if (!read(tls_key, &pair.private_key)) return Fail("cannot read --tls-key " + tls_key);
    tls.pem_key_cert_pairs.push_back(pair);
    if (!tls_client_ca.empty()) {
      if (!read(tls_client_ca, &tls.pem_root_certs)) return Fail("cannot read --tls-client-ca " + tls_client_ca);
      tls.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(tls);
  }
  builder.AddListeningPort(listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(max_message_mib << 20);
  builder.RegisterService(&glossary_service);
  builder.RegisterService(&tm_service);
  builder.RegisterService(&admin_service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<heluo::MetricsInterceptorFactory>(&metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return Fail("cannot listen on " + listen);

  int64_t terms = 0, segments = 0;
  (void)(*store)->Read([&](const heluo::LmdbTxn& txn) -> heluo::Status {
    heluo::Result<std::vector<heluo::CollectionCount>> counts = heluo::ListCollections(txn, (*store)->dbs());
    if (counts.ok()) {
      for (const auto& c : *counts) {
        terms += c.terms;
        segments += c.segments;
      }
    }
    return counts.status();
  });
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::cout << "heluo-server listening on " << host << ":" << port << " (data " << data_dir << "): serving "
            << terms << " terms and " << segments << " segments" << (tls_cert.empty() ? "" : " over TLS")
            << (imported->imported ? " (bundle " + bundle.collection + " imported now)" : "") << std::endl;

  char received = 0;
  for (;;) {
    if (read(g_signal_pipe[0], &received, 1) != 1) continue;
    if (received != SIGHUP) break;
    if (token_file.empty()) continue;
    heluo::Status st = tokens.Reload();  // Connections and calls in flight are untouched.
    std::cout << "heluo-server: SIGHUP: " << (st.ok() ? "token file reloaded" : "token file NOT reloaded, old tokens stay: " + st.message())
              << std::endl;
  }
  std::cout << "heluo-server: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
            << " received, shutting down" << std::endl;
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  return 0;
}
