// The amaGama / translate-toolkit tmserver protocol under /tmserver, as Weblate's "tmserver" and "amaGama"
// machinery backends call it: GET /tmserver/{source_lang}/{target_lang}/unit/{text} answers a JSON list of
// {"source","target","context","quality","rank"}, best first (context is
// always "", as tmserver gives it for TMX units). quality is heluo's match score (in-context
// 101 shown as 100), rank the 1-based place in that order; pairs are the stored ones, unsubstituted, as a
// translation memory shows them. Optional query parameters: max_candidates (default 10, at most 50) and
// min_similarity (default 65, see tmserver.cc). A language pair heluo does not hold answers [] as tmserver does.
#ifndef HELUO_SERVER_HTTP_TMSERVER_H_
#define HELUO_SERVER_HTTP_TMSERVER_H_

#include "server/http/json_api.h"
#include "server/http/router.h"

namespace heluo::http {

void AddTmserverApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_TMSERVER_H_
