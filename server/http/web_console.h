// The web console (docs/web-console.md): serves the compiled-in page and its assets. The page itself only
// calls the JSON API of json_api.h, so it can do nothing an HTTP client could not.
//
// Every path the page shows in the address bar (/, /terms/{id}, /check, /concordance, /transfer, /ops)
// answers with the same index.html, so a permanent entry URL or a reload works; the page's script reads the
// path. Assets are under /assets/<digest of all assets>/, cached by browsers for good (a new binary names
// new URLs), and under /assets/ unversioned. Every answer carries a Content-Security-Policy that allows scripts,
// styles and connections only from this server and no inline script or style.
#ifndef HELUO_SERVER_HTTP_WEB_CONSOLE_H_
#define HELUO_SERVER_HTTP_WEB_CONSOLE_H_

#include "server/http/router.h"

namespace heluo::http {

void AddWebConsole(Router* router);

}  // namespace heluo::http

#endif  // HELUO_SERVER_HTTP_WEB_CONSOLE_H_
