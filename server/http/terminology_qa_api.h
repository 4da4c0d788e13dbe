// The terminology check's streaming methods over HTTP/1.1 (docs/http-api.md, docs/terminology-qa.md):
//  - POST /v1/terms:checkStream — Glossary.CheckTerminologyStream, NDJSON CheckTerminologyRequests in, one
//    CheckTerminologyResponse line out per request, in order (as /v1/tm:lookupStream);
//  - POST /v1/terms:audit — Glossary.AuditTranslations: the body is a TMX file (sent as it comes, like
//    /v1/tm:import), or empty with ?tm_collection=NAME; the answer is NDJSON, a {"pair":…} line per pair with
//    issues and a last {"summary":…} line. Query: tm_collection, glossary_collections (repeatable),
//    skip_counts, skip_figures, skip_untranslated. A malformed file is a 400 naming its line and column.
// (POST /v1/terms:check, the unary check, is a route of json_api.cc.)
#ifndef HELUO_SERVER_HTTP_TERMINOLOGY_QA_API_H_
#define HELUO_SERVER_HTTP_TERMINOLOGY_QA_API_H_

#include "server/http/json_api.h"
#include "server/http/router.h"

namespace heluo::http {

void AddTerminologyQaApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_TERMINOLOGY_QA_API_H_
