// Persistence of the simulated device's installed packages: <state_dir>/packages.json holds
// what the launcher and `pm` need; icons sit beside it in package-icons/<pkg>.png. Built-in
// system packages are not stored: they are recreated on every start.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "devicesim/package_manager.h"

namespace cp::devicesim {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json::array to_json(const std::vector<std::string>& strings) {
  json::array out;
  for (const auto& s : strings) {
    out.emplace_back(s);
  }
  return out;
}

std::vector<std::string> strings_from(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = o.if_contains(key); a && a->is_array()) {
    for (const auto& v : a->as_array()) {
      if (v.is_string()) {
        out.emplace_back(v.as_string());
      }
    }
  }
  return out;
}

std::string string_from(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t int_from(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

void PackageManager::save() const {
  json::array packages;
  for (const auto& [name, info] : packages_) {
    if (info.system) {
      continue;  // built in, recreated on start
    }
    packages.push_back(json::object{
        {"package", info.package},
        {"label", info.label},
        {"version_code", info.version_code},
        {"version_name", info.version_name},
        {"min_sdk", info.min_sdk},
        {"target_sdk", info.target_sdk},
        {"permissions", to_json(info.permissions)},
        {"granted_permissions", to_json(info.granted_permissions)},
        {"launchable_activity", info.launchable_activity},
        {"apk_path", info.apk_path},
        {"first_install_time_ms", info.first_install_time_ms},
        {"last_update_time_ms", info.last_update_time_ms},
    });
  }
  write_file_atomically(state_dir_ / "packages.json",
                        json::serialize(json::object{{"packages", std::move(packages)}}));
}

void PackageManager::load() {
  const fs::path file = state_dir_ / "packages.json";
  if (!fs::exists(file)) {
    return;  // first start
  }
  boost::system::error_code ec;
  const json::value doc = json::parse(read_file(file), ec);
  const json::value* packages = nullptr;
  if (!ec && doc.is_object()) {
    packages = doc.as_object().if_contains("packages");
  }
  if (packages == nullptr || !packages->is_array()) {
    throw std::runtime_error("damaged package database " + file.string());
  }
  for (const auto& v : packages->as_array()) {
    if (!v.is_object()) {
      continue;
    }
    const json::object& o = v.as_object();
    PackageInfo info;
    info.package = string_from(o, "package");
    if (!valid_package_name(info.package) || packages_.contains(info.package)) {
      continue;  // never let the file shadow a built-in or name a path outside /data/app
    }
    info.label = string_from(o, "label");
    info.version_code = int_from(o, "version_code");
    info.version_name = string_from(o, "version_name");
    info.min_sdk = static_cast<int>(int_from(o, "min_sdk"));
    info.target_sdk = static_cast<int>(int_from(o, "target_sdk"));
    info.permissions = strings_from(o, "permissions");
    info.granted_permissions = strings_from(o, "granted_permissions");
    info.launchable_activity = string_from(o, "launchable_activity");
    info.apk_path = "/data/app/" + info.package + "-1/base.apk";
    info.first_install_time_ms = int_from(o, "first_install_time_ms");
    info.last_update_time_ms = int_from(o, "last_update_time_ms");
    const std::string icon = read_file(state_dir_ / "package-icons" / (info.package + ".png"));
    info.icon_png.assign(icon.begin(), icon.end());
    packages_[info.package] = std::move(info);
  }
}

}  // namespace cp::devicesim
