#pragma once
// Serves files below a directory (built web consoles, Swagger UI assets). Paths are resolved
// and checked to stay inside the root; unknown paths under an SPA fall back to index.html.
#include <filesystem>
#include <optional>
#include <string>

#include "core/http_types.h"

namespace cp::http {

class StaticFiles {
 public:
  StaticFiles(std::filesystem::path root, std::string url_prefix, bool spa_fallback);
  // A response for GET/HEAD of a path under the prefix, or nullopt when not ours / not found.
  std::optional<Response> serve(const RequestContext& ctx) const;
  bool available() const;

 private:
  std::filesystem::path root_;
  std::string prefix_;
  bool spa_;
};

std::string content_type_for(const std::filesystem::path& file);

}  // namespace cp::http
