// heluo-server: flags, wiring and signal handling. Everything else lives in core/ and service/.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>
#include <atomic>
#include <string>

#include "server/core/auth/token_store.h"
#include "server/core/bundle.h"
#include "server/core/collections.h"
#include "server/core/glossary.h"
#include "server/core/qa/terminology_checker.h"
#include "server/core/replication_state.h"
#include "server/core/store/store.h"
#include "server/core/term_recognizer.h"
#include "server/core/text/normalizer.h"
#include "server/core/translation_memory.h"
#include "server/core/tm/staging.h"
#include "server/http/http_server.h"
#include "server/replication/applier.h"
#include "server/replication/change_stream.h"
#include "server/replication/follower.h"
#include "server/replication/publisher.h"
#include "server/replication/stream_monitor.h"
#include "server/replication/replica_start.h"
#include "server/service/admin_service.h"
#include "server/service/auth.h"
#include "server/service/commit_sequence.h"
#include "server/service/glossary_service.h"
#include "server/service/health_watch.h"
#include "server/service/import_spool.h"
#include "server/service/log.h"
#include "server/service/replication_report.h"
#include "server/service/stream_guard.h"
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

// Why gRPC could not listen on HOST:PORT (it does not say): binds a socket there to find out.
std::string WhyCannotListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return "not HOST:PORT";
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = listen.substr(colon + 1);
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return "cannot resolve the address";
  }
  std::string why = "reason unknown";
  const int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd >= 0) {
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
      why = errno == EADDRINUSE ? "address in use: another process (another heluo-server?) listens on this port"
                                : std::strerror(errno);
    }
    close(fd);
  }
  freeaddrinfo(found);
  return why;
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
  size_t map_mib = heluo::kDefaultMapReserve >> 20;
  app.add_option("--map-size-mib", map_mib,
                 "address space reserved for the store at start (or the data file's size, if larger); the map "
                 "grows by doubling past it, which waits for open snapshots")
      ->check(CLI::PositiveNumber)->capture_default_str();
  heluo::StreamPolicy stream_policy;
  double stream_idle_seconds = 60;
  app.add_option("--max-streams", stream_policy.max_total,
                 "streaming calls (pre-translation, import, export, backup download) at once, server-wide")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--max-streams-per-client", stream_policy.max_per_client,
                 "streaming calls at once from one client (its token's name, or its IP address without a token)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--stream-idle-timeout", stream_idle_seconds,
                 "seconds a stream may wait on its client (to send or to read) before the server ends it")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--max-message-mib", max_message_mib, "largest single request message (imports stream in chunks)")
      ->capture_default_str();
  std::string backup_dir;
  app.add_option("--backup-dir", backup_dir,
                 "allow Admin.Backup (heluo backup PATH) to write copies below this directory (created 0700 if "
                 "missing); without it server-side backups are refused");
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
  std::string http_listen = "127.0.0.1:8080";
  app.add_option("--http-listen", http_listen,
                 "HTTP address (JSON API, LibreTranslate, tmserver; docs/http-api.md); port 0 picks a free port; "
                 "off: no HTTP")
      ->capture_default_str();
  int http_idle_seconds = 30;
  app.add_option("--http-idle-seconds", http_idle_seconds,
                 "an HTTP client silent this long (mid-request or between keep-alive requests) is disconnected")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  std::string nats_url, replica_of, primary_address;
  heluo::ChangeStreamOptions stream_options;
  app.add_option("--nats", nats_url,
                 "primary: publish every committed change to NATS JetStream at this URL (nats://HOST:PORT) "
                 "for read replicas (docs/replication.md)");
  app.add_option("--replica-of", replica_of,
                 "serve as a read replica fed by NATS JetStream at this URL; writes are refused");
  app.add_option("--primary-address", primary_address,
                 "a replica's primary (HOST:PORT), named when a write is refused");
  app.add_option("--nats-stream", stream_options.stream, "JetStream stream name")->capture_default_str();
  app.add_option("--nats-subject", stream_options.subject, "JetStream subject")->capture_default_str();
  double max_replica_lag_seconds = 30;
  app.add_option("--max-replica-lag", max_replica_lag_seconds,
                 "a replica more than this many seconds behind its primary reports NOT_SERVING to health checks")
      ->check(CLI::PositiveNumber)->capture_default_str();
  std::string seed_from_backup;
  app.add_option("--seed-from-backup", seed_from_backup,
                 "with --replica-of: start a new replica from this backup of the primary (a directory holding "
                 "data.mdb), then follow the stream from the backup's commit (docs/replication.md#seeding)");
  CLI11_PARSE(app, argc, argv);
  if (!nats_url.empty() && !replica_of.empty()) return Fail("--nats (primary) and --replica-of exclude each other");
  if (!seed_from_backup.empty() && replica_of.empty()) return Fail("--seed-from-backup needs --replica-of");
  heluo::SetUpLogging(spdlog::level::from_str(log_level), log_json);
  stream_policy.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(stream_idle_seconds * 1000));
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
  store_options.initial_map_size = map_mib << 20;
  store_options.upgrade = &heluo::TranslationMemory::UpgradeSchema;  // Older data directories are upgraded.
  // The primary's publisher, woken by every commit that took a sequence (set once it exists).
  auto publisher_slot = std::make_shared<std::atomic<heluo::Publisher*>>(nullptr);
  // Where this server stands in replication (read-your-writes, Stats, health); null: standalone.
  std::unique_ptr<heluo::ReplicationState> replication =
      heluo::MakeReplicationState(!nats_url.empty(), !replica_of.empty(), max_replica_lag_seconds);
  if (!nats_url.empty()) {
    store_options.record_changes = true;
    store_options.on_commit = [publisher_slot, state = replication.get()](uint64_t sequence) {
      state->Advance(sequence);
      if (heluo::Publisher* p = publisher_slot->load()) p->Notify();
    };
  }
  if (heluo::Status st = heluo::SeedReplicaIfAsked(seed_from_backup, data_dir, store_options); !st.ok()) return Fail(st.message());
  heluo::Result<std::unique_ptr<heluo::Store>> store = heluo::Store::Open(data_dir, store_options);
  if (!store.ok()) return Fail(store.status().message());
  if (heluo::Status st = heluo::AdvanceToCommitted(**store, replication.get()); !st.ok()) return Fail(st.message());
  if (const int stale = heluo::RemoveStaleSpools(data_dir); stale > 0) {
    spdlog::info("removed {} import spool file(s) left in {} by an interrupted import", stale, data_dir);
  }
  if (!backup_dir.empty()) {
    if (mkdir(backup_dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Fail("cannot create --backup-dir " + backup_dir + ": " + std::strerror(errno));
    }
    std::error_code ec;
    const std::filesystem::path canonical = std::filesystem::canonical(backup_dir, ec);
    if (ec || !std::filesystem::is_directory(canonical)) return Fail("--backup-dir " + backup_dir + " is not a directory");
    backup_dir = canonical.string();
  }
  if ((*store)->upgraded_from() != 0) {
    spdlog::info("{}", heluo::LogLine("upgraded the data directory", {{"data_dir", data_dir},
                                                                     {"from", (*store)->upgraded_from()},
                                                                     {"to", heluo::kSchemaVersion}}));
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
  // A replica's content comes from its primary only (the bundle reaches it through the stream).
  heluo::Result<heluo::BundleImport> imported =
      replica_of.empty() ? heluo::ImportBundleOnce(**store, bundle) : heluo::BundleImport{};
  if (!imported.ok()) return Fail("importing the bundle failed, nothing was imported: " + imported.status().message());

  heluo::Glossary glossary(store->get());
  heluo::TermRecognizer recognizer(store->get());
  if (heluo::Status st = recognizer.Rebuild(); !st.ok()) return Fail("loading the glossary failed: " + st.message());
  heluo::TerminologyChecker checker(store->get(), &recognizer);
  if (heluo::Status st = checker.Rebuild(); !st.ok()) return Fail("compiling the glossary's renderings failed: " + st.message());
  heluo::TranslationMemory tm(store->get(), &recognizer);
  // The in-memory source array before the first lookup (about 2.5 s at a million segments), so lookups are
  // fast from the start; later writes rebuild it in the background (docs/matching.md).
  if (heluo::Status st = tm.WarmUp(); !st.ok()) std::fprintf(stderr, "heluo-server: source array: %s\n", st.message().c_str());
  heluo::Authorizer authorizer(&tokens, reads_need_token);
  authorizer.FollowReplication(replication.get());
  if (!replica_of.empty()) {
    authorizer.RefuseWritesAsReplicaOf(primary_address.empty() ? "the primary of NATS " + replica_of : primary_address);
  }
  // Replication (docs/replication.md). Declared after the store, so stopped before it closes.
  std::unique_ptr<heluo::ChangeStream> change_stream;
  std::unique_ptr<heluo::Publisher> publisher;
  std::unique_ptr<heluo::Applier> applier;
  std::unique_ptr<heluo::Follower> follower;
  if (!nats_url.empty() || !replica_of.empty()) {
    stream_options.url = nats_url.empty() ? replica_of : nats_url;
    stream_options.connect_in_background = true;  // NATS may come later; writes wait in the outbox.
    heluo::Result<std::unique_ptr<heluo::ChangeStream>> connected = heluo::ChangeStream::Connect(stream_options);
    if (!connected.ok()) return Fail(connected.status().message());
    change_stream = std::move(*connected);
  }
  if (!nats_url.empty()) {
    publisher = std::make_unique<heluo::Publisher>(store->get(), change_stream.get());
    publisher_slot->store(publisher.get());
    publisher->Start();
    publisher->Notify();  // Whatever the outbox holds from before (the bundle, a crash).
  }
  if (!replica_of.empty()) {
    applier = std::make_unique<heluo::Applier>(store->get(), &glossary, &tm, change_stream.get());
    follower = std::make_unique<heluo::Follower>(
        applier.get(),
        [&recognizer, &checker, &applier, &replication] {  // What is compiled from the glossary follows the applied terms.
          if (heluo::Status st = heluo::ReloadTerms(recognizer, checker); !st.ok()) {
            spdlog::error("{}", heluo::LogLine("replica: reloading the applied terms failed", {{"error", st.ToString()}}));
          }
          heluo::AdvanceToApplied(*applier, replication.get());  // Only now may a read that waited see it.
        },
        [&replica_of, &replication](const heluo::Status& st) {
          if (st.code() == heluo::Status::Code::kFailedPrecondition) replication->SetLost(st);
          if (st.ok()) {
            spdlog::info("{}", heluo::LogLine("replica: following the change stream", {{"nats", replica_of}}));
          } else {
            spdlog::error("{}", heluo::LogLine("replica: not following the change stream",
                                               {{"nats", replica_of}, {"error", st.ToString()}}));
          }
        });
    heluo::AdvanceToApplied(*applier, replication.get());
    follower->Start();
    authorizer.RefuseReadsWhile([f = follower.get()] { return heluo::RefusalOfReads(f->State()); });
  }
  std::unique_ptr<heluo::StreamMonitor> monitor = heluo::StartStreamMonitor(change_stream.get(), replication.get(), heluo::LogReplication);
  heluo::StreamRegistry streams(stream_policy);
  heluo::ServiceOptions options;
  options.streams = &streams;
  options.store = store->get();
  options.auth = &authorizer;
  options.spool_dir = data_dir;
  options.max_import_bytes = max_import_mib << 20;
  options.tm = &tm;
  heluo::GlossaryService glossary_service(&glossary, &recognizer, &checker, options);
  heluo::TranslationMemoryService tm_service(&tm, options);
  heluo::CallMetrics metrics;
  heluo::AdminService admin_service(store->get(), &authorizer, &metrics, &streams, backup_dir);
  admin_service.set_replication(replication.get());

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
  // gRPC sets SO_REUSEPORT by default, so a second server on the same port would start and the kernel would
  // split clients between two stores. Off: the second one fails with "address in use".
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&glossary_service);
  builder.RegisterService(&tm_service);
  builder.RegisterService(&admin_service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<heluo::MetricsInterceptorFactory>(&metrics));
  if (replication) interceptors.push_back(std::make_unique<heluo::CommitSequenceInterceptorFactory>(replication.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return Fail("cannot listen on " + listen + ": " + WhyCannotListen(listen));
  heluo::HealthWatch health(server.get(), store->get());
  health.set_replication(replication.get());
  heluo::UnaryMethods unary_methods;  // Before `http`, which calls them until it stops.
  heluo::http::HttpServer http;
  int http_port = 0;
  if (http_listen != "off") {
    heluo::http::HttpServerOptions h;
    h.listen = http_listen;
    h.tls_cert = tls_cert;
    h.tls_key = tls_key;
    h.tls_client_ca = tls_client_ca;
    h.max_upload_bytes = max_import_mib << 20;
    h.idle_timeout_seconds = http_idle_seconds;
    h.api.max_body_bytes = static_cast<size_t>(max_message_mib) << 20;
    grpc::ChannelArguments channel_args;
    channel_args.SetMaxReceiveMessageSize(-1);  // Answers are bounded by the services, not by this hop.
    h.api.channel = server->InProcessChannel(channel_args);
    // The JSON routes call the services' method bodies directly (server/service/unary_methods.h).
    glossary_service.AddUnaryMethods(&unary_methods);
    tm_service.AddUnaryMethods(&unary_methods);
    admin_service.AddUnaryMethods(&unary_methods);
    h.api.methods = &unary_methods;
    h.api.metrics = &metrics;
    h.api.replication = replication.get();
    if (heluo::Status st = http.Start(h, &http_port); !st.ok()) return Fail(st.message());
  }

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
            << (imported->imported ? " (bundle " + bundle.collection + " imported now)" : "")
            << (nats_url.empty() ? "" : "; publishing changes to " + nats_url)
            << (replica_of.empty() ? "" : "; read replica of " + replica_of)
            << (http_port == 0 ? ""
                               : "; HTTP on " + std::string(tls_cert.empty() ? "http://" : "https://") +
                                     http_listen.substr(0, http_listen.rfind(':')) + ":" + std::to_string(http_port))
            << std::endl;

  char received = 0;
  for (;;) {
    pollfd signals{g_signal_pipe[0], POLLIN, 0};
    if (poll(&signals, 1, 1000) <= 0) {  // Once a second without a signal: is the store still whole?
      health.Check();
      continue;
    }
    if (read(g_signal_pipe[0], &received, 1) != 1) continue;
    if (received != SIGHUP) break;
    if (token_file.empty()) continue;
    heluo::Status st = tokens.Reload();  // Connections and calls in flight are untouched.
    if (st.ok()) {
      spdlog::info("{}", heluo::LogLine("SIGHUP: token file reloaded", {{"file", token_file}}));
    } else {
      spdlog::error("{}", heluo::LogLine("SIGHUP: token file NOT reloaded, the old tokens stay",
                                         {{"file", token_file}, {"error", st.message()}}));
    }
  }
  spdlog::info("{}", heluo::LogLine(received == SIGTERM ? "SIGTERM received, shutting down"
                                                        : "SIGINT received, shutting down", {}));
  http.Stop();
  if (replication) replication->ReleaseWaiters();  // Calls waiting for a sequence end now.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  if (monitor) monitor->Stop();
  if (follower) follower->Stop();
  if (publisher) {
    publisher_slot->store(nullptr);
    publisher->Stop();
  }
  return 0;
}
