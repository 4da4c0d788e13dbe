// What every write-capable service needs besides its core object: the store (for transactions), the
// authorizer, where to spool imports and how big they may be.
#ifndef HELUO_SERVER_SERVICE_SERVICE_OPTIONS_H_
#define HELUO_SERVER_SERVICE_SERVICE_OPTIONS_H_

#include <string>

#include "server/core/store/store.h"
#include "server/service/auth.h"
#include "server/service/lookup_stream.h"
#include "server/service/stream_guard.h"

namespace heluo {

struct ServiceOptions {
  Store* store = nullptr;
  const Authorizer* auth = nullptr;
  std::string spool_dir;                            // The data directory.
  size_t max_import_bytes = size_t{1} << 30;        // --max-import-mib.
  size_t max_upsert_batch = 1000;
  StreamRegistry* streams = nullptr;                // Shared by all services (stream_guard.h).
  // LookupStream's and CheckTerminologyStream's read-ahead window and worker threads.
  LookupStreamLimits lookup_stream;
  const TranslationMemory* tm = nullptr;            // Where Glossary.AuditTranslations reads a TM collection.
};

}  // namespace heluo

#endif  // HELUO_SERVER_SERVICE_SERVICE_OPTIONS_H_
