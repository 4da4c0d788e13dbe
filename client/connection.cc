#include "client/connection.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace heluo::cli {

void Authorize(grpc::ClientContext* ctx, const Options& o) {
  if (!o.token.empty()) ctx->AddMetadata("authorization", "Bearer " + o.token);
}

void PrepareCall(grpc::ClientContext* ctx, const Options& o) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeout_ms));
  Authorize(ctx, o);
}

int ReportError(const grpc::Status& status, const Options& o) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "heluo: cannot reach heluo-server at " << o.server << " (" << status.error_message()
              << "). Is it running? Start it with heluo-server, or pass "
                 "--server HOST:PORT."
              << std::endl;
    return kUnreachable;
  }
  std::cerr << "heluo: the server refused the request: " << status.error_message() << std::endl;
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? kNothingFound : kRejected;
}

namespace {

// The whole of a PEM file named by `flag`, or false after saying which file could not be read.
bool ReadPem(const std::string& path, const char* flag, std::string* pem) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  *pem = text.str();
  if (!in || pem->empty()) {
    std::cerr << "heluo: cannot read " << flag << " " << path << std::endl;
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<grpc::Channel> Connect(const Options& o) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  grpc::ChannelArguments args;
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    std::cerr << "heluo: --tls-cert and --tls-key go together (the client certificate and its key)"
              << std::endl;
    return nullptr;
  }
  if (!o.tls_ca.empty() || !o.tls_cert.empty()) {
    grpc::SslCredentialsOptions tls;  // An empty pem_root_certs means the system's roots.
    if (!o.tls_ca.empty() && !ReadPem(o.tls_ca, "--tls-ca", &tls.pem_root_certs)) return nullptr;
    if (!o.tls_cert.empty() && (!ReadPem(o.tls_cert, "--tls-cert", &tls.pem_cert_chain) ||
                                !ReadPem(o.tls_key, "--tls-key", &tls.pem_private_key))) {
      return nullptr;
    }
    credentials = grpc::SslCredentials(tls);
    if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
  }
  return grpc::CreateCustomChannel(o.server, credentials, args);
}

}  // namespace heluo::cli
