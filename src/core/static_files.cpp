#include "core/static_files.h"

#include <algorithm>
#include <boost/url/decode_view.hpp>
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

namespace {
// The request path below the prefix, percent-decoded; nullopt when it cannot name a file
// inside the root: bad escapes, NUL bytes, or a ".." component in any spelling (%2e%2e, %2f).
std::optional<fs::path> decoded_relative_path(std::string_view encoded) {
  std::string decoded;
  try {
    boost::urls::decode_view view(encoded);
    decoded.assign(view.begin(), view.end());
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (decoded.find('\0') != std::string::npos) return std::nullopt;
  fs::path rel;
  for (const auto& part : fs::path(decoded)) {
    if (part == "..") return std::nullopt;
    if (part.empty() || part == "." || part == "/") continue;
    rel /= part;
  }
  return rel;
}

// True when `file` is `root` or below it, compared by whole path components.
bool is_within(const fs::path& root, const fs::path& file) {
  auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return r == root.end();
}
}  // namespace

std::optional<Response> StaticFiles::serve(const RequestContext& ctx) const {
  auto method = ctx.request.method();
  if (method != Method::get && method != Method::head) return std::nullopt;
  std::string_view path = ctx.target_path();
  if (path.substr(0, prefix_.size()) != prefix_) return std::nullopt;
  std::string_view rest = path.substr(prefix_.size());
  // "/app" serves "/app" and "/app/..." but not "/apple".
  if (!rest.empty() && rest.front() != '/' && !prefix_.empty() && prefix_.back() != '/') {
    return std::nullopt;
  }
  auto rel = decoded_relative_path(rest);
  if (!rel) return std::nullopt;
  std::error_code ec;
  auto root = fs::weakly_canonical(root_, ec);
  if (ec) return std::nullopt;
  // Canonical form resolves symlinks, so a link pointing outside the root is refused too.
  auto file = fs::weakly_canonical(root / *rel, ec);
  if (ec || !is_within(root, file)) return std::nullopt;
  if (fs::is_directory(file, ec)) file /= "index.html";
  if (!fs::is_regular_file(file, ec)) {
    // Client-side routes (no extension) get the app shell; missing assets stay 404.
    if (!spa_ || rel->has_extension()) return std::nullopt;
    file = root / "index.html";
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  auto res = text_response(Status::ok, body.str(), content_type_for(file));
  // Hashed asset names can be cached forever; the shell must revalidate.
  bool hashed =
      file.filename() != "index.html" && rel->string().find("assets/") != std::string::npos;
  res.set(bhttp::field::cache_control, hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (method == Method::head) {
    // HEAD answers with the GET's headers, Content-Length included, and no body.
    auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  return res;
}

}  // namespace cp::http
