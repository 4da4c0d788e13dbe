// Audit: the one line every write and admin call leaves in the log, whatever its outcome (refused,
// failed or done): the method, the token's name (never the token), the peer's address, the status code
// and what was changed (counts). Every service method that writes or administers opens an Audit first and
// ends through Finish(), so any front end that calls the service code (gRPC, an HTTP adapter) is audited
// the same way. Written at info level, as a LogLine (log.h): one escaped line or one JSON object.
//
// Thread-safety: one Audit belongs to one call.
#ifndef HELUO_SERVER_SERVICE_AUDIT_H_
#define HELUO_SERVER_SERVICE_AUDIT_H_

#include <grpcpp/server_context.h>

#include <cstdint>
#include <string>

#include "server/core/auth/token_store.h"
#include "server/service/call_context.h"
#include "server/service/log.h"

namespace heluo {

class Audit {
 public:
  // `method` is the full gRPC name ("heluo.v1.Glossary/UpsertTerm"); `call` names the peer, whichever face
  // the call came through.
  Audit(std::string method, const CallContext& call);
  // A gRPC-only method's (the streaming ones).
  Audit(std::string method, const grpc::ServerContext* context);
  ~Audit();  // A call that never reached Finish (it threw) is logged as such.
  Audit(const Audit&) = delete;
  Audit& operator=(const Audit&) = delete;

  // Who made the call, once authorization has said.
  void set_who(const Principal& who) { who_ = who.authenticated ? who.name : "anonymous"; }
  // A count for the line ("created", 3).
  void Count(const std::string& name, int64_t value) { fields_.emplace_back(name, value); }
  void Note(const std::string& name, const std::string& value) { fields_.emplace_back(name, value); }
  // Writes the line with `status`'s code (and message when it failed) and returns `status`.
  grpc::Status Finish(grpc::Status status);

 private:
  void Write(const std::string& code, const std::string& message);

  std::string method_;
  std::string peer_;
  std::string who_ = "-";  // Not yet known (the call was refused before or by authorization).
  LogFields fields_;
  bool finished_ = false;
};

// "DEADLINE_EXCEEDED" for a gRPC status code.
std::string CodeName(grpc::StatusCode code);

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_AUDIT_H_
