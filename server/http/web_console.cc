#include "server/http/web_console.h"

#include <map>
#include <string>

#include "server/http/http_error.h"
#include "server/http/web_assets.h"

namespace heluo::http {
namespace {

// No 'unsafe-inline' or 'unsafe-eval' anywhere: a stored text that slipped into markup still could not run.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const char* ContentType(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "json") return "application/json";
  return "application/octet-stream";
}

void SetPageHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

}  // namespace

void AddWebConsole(Router* router) {
  auto assets = std::make_shared<std::map<std::string, std::string_view, std::less<>>>();
  for (const WebAsset& a : WebAssets()) (*assets)[std::string(a.path)] = a.data;
  const std::string_view index = assets->at("index.html");

  // The page's own paths; its script shows the view the path names.
  auto page = [index](const httplib::Request&, httplib::Response& res) {
    SetPageHeaders(res);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(index.data(), index.size(), "text/html; charset=utf-8");
  };
  for (const char* path : {R"(/)", R"(/terms/([^/:]+))", R"(/check)", R"(/concordance)", R"(/transfer)",
                           R"(/ops)"}) {
    router->Get(path, page);
  }
  router->Get(R"(/assets/(.+))", [assets](const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.matches[1];
    auto it = assets->find(path);
    if (it == assets->end() || path == "index.html") {
      return SendError(res, 404, grpc::StatusCode::NOT_FOUND, "no asset " + path);
    }
    SetPageHeaders(res);
    // The assets change only with the binary; no-cache revalidates cheaply on loopback and never shows a
    // page of one version with a script of another after an upgrade.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(it->second.data(), it->second.size(), ContentType(path));
  });
}

}  // namespace heluo::http
