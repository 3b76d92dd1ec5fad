#include "devicesim/package_manager.h"

#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>

#include "android/apk/apk_reader.h"

namespace cp::devicesim {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Android's rule: at least two segments of [A-Za-z][A-Za-z0-9_]*. Checking it also keeps a
// hostile manifest from naming a path outside /data/app.
bool valid_package_name(const std::string& name) {
  size_t segments = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string::npos) {
      end = name.size();
    }
    if (end == start || !std::isalpha(static_cast<unsigned char>(name[start]))) {
      return false;
    }
    for (size_t i = start; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(name[i]);
      if (!std::isalnum(c) && c != '_') {
        return false;
      }
    }
    ++segments;
    start = end + 1;
  }
  return segments >= 2 && name.size() <= 255;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Write then rename, so a crash never leaves half a file.
void write_file_atomically(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      throw std::runtime_error("cannot write " + tmp.string());
    }
  }
  fs::rename(tmp, path);
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

PackageError::PackageError(std::string code, const std::string& reason)
    : std::runtime_error(reason.empty() ? code : code + ": " + reason), code_(std::move(code)) {}

PackageManager::PackageManager(fs::path state_dir, int device_sdk)
    : state_dir_(std::move(state_dir)), device_sdk_(device_sdk) {
  add_builtin_packages();
  load();
}

PackageManager::~PackageManager() = default;

void PackageManager::add_builtin_packages() {
  struct Builtin {
    const char* package;
    const char* label;
    const char* activity;
    const char* apk;
  };
  // Stand-ins for the platform packages every Android has; clients such as `pm list packages -s`
  // expect some. Their APK paths are where Android keeps them; no file is there.
  static constexpr Builtin kBuiltins[] = {
      {"android", "Android System", "", "/system/framework/framework-res.apk"},
      {"com.android.settings", "Settings", "com.android.settings.Settings",
       "/system/priv-app/Settings/Settings.apk"},
      {"com.android.systemui", "System UI", "", "/system/priv-app/SystemUI/SystemUI.apk"},
      {"com.android.shell", "Shell", "", "/system/priv-app/Shell/Shell.apk"},
      {"com.android.launcher3", "Launcher", "", "/system/priv-app/Launcher3/Launcher3.apk"},
  };
  for (const auto& b : kBuiltins) {
    PackageInfo info;
    info.package = b.package;
    info.label = b.label;
    info.launchable_activity = b.activity;
    info.apk_path = b.apk;
    info.version_code = device_sdk_;
    info.version_name = std::to_string(device_sdk_);
    info.min_sdk = device_sdk_;
    info.target_sdk = device_sdk_;
    info.system = true;
    packages_[info.package] = std::move(info);
  }
}

PackageInfo PackageManager::install(const fs::path& apk_file, const InstallOptions& options) {
  apk::ApkInfo apk;
  try {
    apk = apk::read_apk(apk_file);
  } catch (const apk::ApkError& e) {
    throw PackageError("INSTALL_FAILED_INVALID_APK", e.what());
  }
  if (!valid_package_name(apk.package)) {
    throw PackageError("INSTALL_PARSE_FAILED_BAD_PACKAGE_NAME",
                       "Invalid manifest package: '" + apk.package + "'");
  }
  if (apk.min_sdk > device_sdk_) {
    throw PackageError("INSTALL_FAILED_OLDER_SDK",
                       "Requires newer sdk version #" + std::to_string(apk.min_sdk) +
                           " (current version is #" + std::to_string(device_sdk_) + ")");
  }
  PackageInfo info;
  {
    std::lock_guard lock(mu_);
    const auto existing = packages_.find(apk.package);
    if (existing != packages_.end()) {
      const PackageInfo& old = existing->second;
      if (old.system) {
        throw PackageError(
            "INSTALL_FAILED_UPDATE_INCOMPATIBLE",
            "Package " + apk.package + " signatures do not match previously installed version");
      }
      if (!options.allow_replace) {
        throw PackageError("INSTALL_FAILED_ALREADY_EXISTS",
                           "Attempt to re-install " + apk.package + " without first uninstalling.");
      }
      if (apk.version_code < old.version_code && !options.allow_downgrade) {
        throw PackageError("INSTALL_FAILED_VERSION_DOWNGRADE",
                           "Downgrade detected: Update version code " +
                               std::to_string(apk.version_code) + " is older than current " +
                               std::to_string(old.version_code));
      }
      info.first_install_time_ms = old.first_install_time_ms;
    }
    const std::string device_dir = "/data/app/" + apk.package + "-1";
    const fs::path host_dir = fs_root() / device_dir.substr(1);
    fs::create_directories(host_dir);
    const fs::path tmp = host_dir / "base.apk.tmp";
    fs::copy_file(apk_file, tmp, fs::copy_options::overwrite_existing);
    fs::rename(tmp, host_dir / "base.apk");

    info.package = apk.package;
    info.label = apk.label.empty() ? apk.package : apk.label;
    info.version_code = apk.version_code;
    info.version_name = apk.version_name;
    info.min_sdk = apk.min_sdk;
    info.target_sdk = apk.target_sdk;
    info.permissions = apk.permissions;
    if (options.grant_all) {
      info.granted_permissions = apk.permissions;
    }
    info.launchable_activity = apk.launchable_activity;
    info.icon_png = std::move(apk.icon_png);
    info.apk_path = device_dir + "/base.apk";
    info.last_update_time_ms = now_ms();
    if (info.first_install_time_ms == 0) {
      info.first_install_time_ms = info.last_update_time_ms;
    }
    const fs::path icon_file = state_dir_ / "package-icons" / (info.package + ".png");
    std::error_code ec;
    if (info.icon_png.empty()) {
      fs::remove(icon_file, ec);
    } else {
      write_file_atomically(icon_file,
                            std::string_view(reinterpret_cast<const char*>(info.icon_png.data()),
                                             info.icon_png.size()));
    }
    packages_[info.package] = info;
    save();
  }
  notify();
  return info;
}

void PackageManager::uninstall(const std::string& package) {
  {
    std::lock_guard lock(mu_);
    auto it = packages_.find(package);
    // Android answers both cases with the same generic code.
    if (it == packages_.end() || it->second.system) {
      throw PackageError("DELETE_FAILED_INTERNAL_ERROR", "");
    }
    std::error_code ec;
    fs::remove_all(fs_root() / ("data/app/" + package + "-1"), ec);
    fs::remove(state_dir_ / "package-icons" / (package + ".png"), ec);
    packages_.erase(it);
    save();
  }
  notify();
}

std::vector<PackageInfo> PackageManager::list() const {
  std::lock_guard lock(mu_);
  std::vector<PackageInfo> out;
  out.reserve(packages_.size());
  for (const auto& [name, info] : packages_) {
    out.push_back(info);
  }
  return out;
}

std::optional<PackageInfo> PackageManager::info(const std::string& package) const {
  std::lock_guard lock(mu_);
  auto it = packages_.find(package);
  if (it == packages_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<std::string> PackageManager::path(const std::string& package) const {
  std::lock_guard lock(mu_);
  auto it = packages_.find(package);
  if (it == packages_.end()) {
    return std::nullopt;
  }
  return it->second.apk_path;
}

bool PackageManager::contains(const std::string& package) const {
  std::lock_guard lock(mu_);
  return packages_.contains(package);
}

int PackageManager::subscribe(std::function<void()> listener) {
  std::lock_guard lock(listeners_mu_);
  const int id = next_listener_id_++;
  listeners_[id] = std::move(listener);
  return id;
}

void PackageManager::unsubscribe(int id) {
  std::lock_guard lock(listeners_mu_);
  listeners_.erase(id);
}

void PackageManager::notify() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    for (const auto& [id, listener] : listeners_) {
      listeners.push_back(listener);
    }
  }
  for (const auto& listener : listeners) {
    listener();
  }
}

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
