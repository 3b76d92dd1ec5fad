#include "core/static_files.h"

#include <fstream>
#include <sstream>

namespace cp::http {

namespace fs = std::filesystem;

std::string content_type_for(const fs::path& file) {
  auto ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root, std::string url_prefix, bool spa_fallback)
    : root_(std::move(root)), prefix_(std::move(url_prefix)), spa_(spa_fallback) {}

bool StaticFiles::available() const {
  std::error_code ec;
  return fs::is_directory(root_, ec);
}

std::optional<Response> StaticFiles::serve(const RequestContext& ctx) const {
  auto method = ctx.request.method();
  if (method != Method::get && method != Method::head) return std::nullopt;
  std::string_view path = ctx.target_path();
  if (path.substr(0, prefix_.size()) != prefix_) return std::nullopt;
  auto rel = std::string(path.substr(prefix_.size()));
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  std::error_code ec;
  auto root = fs::weakly_canonical(root_, ec);
  auto file = fs::weakly_canonical(root / rel, ec);
  bool inside = !ec && file.string().rfind(root.string(), 0) == 0;
  if (!inside) return std::nullopt;
  if (fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) {
    // Client-side routes (no extension) get the app shell; missing assets stay 404.
    if (!spa_ || fs::path(rel).has_extension()) return std::nullopt;
    file = root / "index.html";
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  auto res = text_response(Status::ok, body.str(), content_type_for(file));
  // Hashed asset names can be cached forever; the shell must revalidate.
  bool hashed = file.filename() != "index.html" && rel.find("assets/") != std::string::npos;
  res.set(bhttp::field::cache_control, hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (method == Method::head) {
    res.body().clear();
  }
  return res;
}

}  // namespace cp::http
