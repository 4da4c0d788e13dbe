// The LibreTranslate protocol under /libretranslate, so LibreTranslate clients (browser extensions, scripts,
// Weblate's LibreTranslate backend) get heluo's translation memory:
//   POST /translate  q (a string or an array), source (zh, zh-Hans, zh-CN, auto), target (en), format
//                    (text), api_key (a heluo token, needed when reads need one), alternatives; as JSON or
//                    as a form. Answers {"translatedText": …} (an array for an array q).
//   GET  /languages  zh → en.
// It is a translation memory, not an MT engine: the answer for a text is the target of its best TM match
// scoring at least 70 (in-context and exact first; for a placeable match — numbers differ — the target with
// the query's numbers put in, and only when every number could be carried over), otherwise "" — the
// documented no-match answer. docs/http-api.md lists every difference from a real LibreTranslate.
#ifndef HELUO_SERVER_HTTP_LIBRETRANSLATE_H_
#define HELUO_SERVER_HTTP_LIBRETRANSLATE_H_

#include "server/http/json_api.h"
#include "server/http/router.h"

namespace heluo::http {

void AddLibreTranslateApi(const ApiOptions& options, Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_LIBRETRANSLATE_H_
