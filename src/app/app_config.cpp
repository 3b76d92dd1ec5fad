#include "app/app_config.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/ids.h"

namespace cp::app {

namespace fs = std::filesystem;

Config load_config(const std::string& yaml_path, char** envp) {
  Config config = Config::load(yaml_path, envp);
  config.set_default("data.dir", ".cloudphone");
  config.set_default("gateway.host", "0.0.0.0");
  config.set_default("gateway.port", "30000");
  config.set_default("gateway.cors_origins", "http://localhost:30000,http://127.0.0.1:30000");
  config.set_default("auth.access_ttl_seconds", "900");
  config.set_default("auth.refresh_ttl_seconds", "2592000");
  config.set_default("admin.username", "admin");
  // Relative to the working directory: `make run` starts the binary from the repository root.
  // The built consoles when present (scripts/build-web.sh), else the placeholder pages.
  config.set_default("gateway.web_root",
                     fs::exists("web/dist/portal/index.html") ? "web/dist" : "web/static");
  config.set_default("gateway.swagger_root", "node_modules/swagger-ui-dist");
  return config;
}

namespace {
// Secrets generated on first start and kept with the data, so tokens survive restarts.
std::string persistent_secret(const fs::path& dir, const std::string& name) {
  auto file = dir / "secrets.json";
  boost::json::object secrets;
  if (std::ifstream in{file}) {
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto v = boost::json::parse(ss.str(), ec);
    if (!ec && v.is_object()) secrets = v.as_object();
  }
  if (auto it = secrets.find(name); it != secrets.end() && it->value().is_string()) {
    return std::string(it->value().as_string());
  }
  auto secret = random_hex(32);
  secrets[name] = secret;
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(secrets);
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(tmp, file);
  return secret;
}
}  // namespace

void apply_embedded_defaults(Config& config) {
  fs::path dir = config.get("data.dir");
  fs::create_directories(dir);
  config.set_default("db.core_url", "sqlite:" + (dir / "core.db").string());
  config.set_default("db.billing_url", "sqlite:" + (dir / "billing.db").string());
  config.set_default("objects.dir", (dir / "objects").string());
  if (config.get("auth.jwt_secret").empty()) {
    config.set("auth.jwt_secret", persistent_secret(dir, "jwt_secret"));
  }
  if (config.get("auth.internal_secret").empty()) {
    config.set("auth.internal_secret", persistent_secret(dir, "internal_secret"));
  }
}

}  // namespace cp::app
