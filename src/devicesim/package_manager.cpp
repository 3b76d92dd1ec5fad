#include "devicesim/package_manager.h"

#include <cctype>
#include <chrono>
#include <fstream>

#include "android/apk/apk_reader.h"

namespace cp::devicesim {
namespace fs = std::filesystem;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PackageError::PackageError(std::string code, const std::string& reason)
    : std::runtime_error(reason.empty() ? code : code + ": " + reason), code_(std::move(code)) {}

// Android's rule: at least two segments of [A-Za-z][A-Za-z0-9_]*. Checking it also keeps a
// hostile manifest from naming a path outside /data/app.
bool PackageManager::valid_package_name(const std::string& name) {
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

// Write then rename, so a crash never leaves half a file.
void PackageManager::write_file_atomically(const fs::path& path, std::string_view bytes) {
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
  // Installs and uninstalls are serialised by install_mu_; mu_ is held only to read and update
  // the table, so readers (the launcher redrawing) never wait for an APK copy.
  std::lock_guard install_lock(install_mu_);
  PackageInfo info;
  if (const auto old = this->info(apk.package)) {
    if (old->system) {
      throw PackageError(
          "INSTALL_FAILED_UPDATE_INCOMPATIBLE",
          "Package " + apk.package + " signatures do not match previously installed version");
    }
    if (!options.allow_replace) {
      throw PackageError("INSTALL_FAILED_ALREADY_EXISTS",
                         "Attempt to re-install " + apk.package + " without first uninstalling.");
    }
    if (apk.version_code < old->version_code && !options.allow_downgrade) {
      throw PackageError("INSTALL_FAILED_VERSION_DOWNGRADE",
                         "Downgrade detected: Update version code " +
                             std::to_string(apk.version_code) + " is older than current " +
                             std::to_string(old->version_code));
    }
    info.first_install_time_ms = old->first_install_time_ms;
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
  {
    std::lock_guard lock(mu_);
    packages_[info.package] = info;
    save();
  }
  notify();
  return info;
}

void PackageManager::uninstall(const std::string& package) {
  {
    std::lock_guard install_lock(install_mu_);
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

}  // namespace cp::devicesim
