#include "server/http/web_console.h"

#include <map>
#include <memory>
#include <string>

#include "server/core/sha256.h"
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

struct Site {
  std::map<std::string, std::string_view, std::less<>> assets;
  std::string version;  // Digest of all assets: their URLs in the page, so a browser may cache them for good.
  std::string index;    // index.html with "/assets/" made "/assets/<version>/".
};

std::shared_ptr<const Site> MakeSite() {
  auto site = std::make_shared<Site>();
  Sha256 digest;
  for (const WebAsset& a : WebAssets()) {
    site->assets[std::string(a.path)] = a.data;
    digest.Update(a.path);
    digest.Update(std::string_view("\0", 1));
    digest.Update(a.data);
  }
  site->version = digest.HexDigest().substr(0, 16);
  // The modules import each other by relative paths, so they stay inside the versioned directory too.
  const std::string_view index = site->assets.at("index.html");
  const std::string from = "/assets/", to = "/assets/" + site->version + "/";
  for (size_t at = 0;;) {
    const size_t next = index.find(from, at);
    site->index.append(index.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    site->index += to;
    at = next + from.size();
  }
  return site;
}

}  // namespace

void AddWebConsole(Router* router) {
  std::shared_ptr<const Site> site = MakeSite();

  // The page's own paths; its script shows the view the path names. Revalidated on every visit (it names the
  // current assets), while the assets it names are immutable.
  auto page = [site](const httplib::Request&, httplib::Response& res) {
    SetPageHeaders(res);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(site->index, "text/html; charset=utf-8");
  };
  for (const char* path : {R"(/)", R"(/terms/([^/:]+))", R"(/check)", R"(/concordance)", R"(/transfer)",
                           R"(/ops)"}) {
    router->Get(path, page);
  }
  // /assets/<version>/js/main.js: cached for good, a new binary has new URLs. /assets/js/main.js (and an
  // older version's URL, from a page loaded before an upgrade) answers the current file, revalidated.
  router->Get(R"(/assets/(?:([0-9a-f]{16})/)?(.+))", [site](const httplib::Request& req,
                                                           httplib::Response& res) {
    const std::string& path = req.matches[2];
    auto it = site->assets.find(path);
    if (it == site->assets.end() || path == "index.html") {
      return SendError(res, 404, grpc::StatusCode::NOT_FOUND, "no asset " + path);
    }
    SetPageHeaders(res);
    res.set_header("Cache-Control",
                   req.matches[1] == site->version ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_content(it->second.data(), it->second.size(), ContentType(path));
  });
}

}  // namespace heluo::http
