#pragma once
// Installed packages of the simulated device. Packages come from real APKs (read with
// cp::apk::read_apk); the APK is copied to <fs_root>/data/app/<pkg>-1/base.apk as on Android,
// and what the launcher needs (label, icon, launchable activity) is kept in
// <state_dir>/packages.json (+ icons in <state_dir>/package-icons/) so installs survive restarts.
// A few built-in packages (com.android.settings, ...) are marked `system` and cannot be removed.
// Thread-safe.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cp::devicesim {

struct PackageInfo {
  std::string package;
  std::string label;
  int64_t version_code = 0;
  std::string version_name;
  int min_sdk = 0;
  int target_sdk = 0;
  std::vector<std::string> permissions;
  std::vector<std::string> granted_permissions;  // all of them with `pm install -g`
  std::string launchable_activity;               // fully-qualified class name, empty when none
  std::vector<uint8_t> icon_png;                 // empty when the APK has no PNG icon
  bool system = false;
  std::string apk_path;  // device path: /data/app/<pkg>-1/base.apk, /system/... for built-ins
  int64_t first_install_time_ms = 0;
  int64_t last_update_time_ms = 0;
};

struct InstallOptions {
  bool allow_replace = true;     // Android 13 replaces by default; `-R` forbids it
  bool allow_downgrade = false;  // `-d`
  bool grant_all = false;        // `-g`
};

// `code` is Android's constant (INSTALL_FAILED_INVALID_APK, DELETE_FAILED_INTERNAL_ERROR, ...);
// what() is "<code>: <reason>" or just the code, ready for `Failure [...]`.
class PackageError : public std::runtime_error {
 public:
  PackageError(std::string code, const std::string& reason);
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

class PackageManager {
 public:
  // Device file tree is <state_dir>/fs (SimulatedDevice::fs_root); device_sdk is checked
  // against an APK's minSdkVersion.
  explicit PackageManager(std::filesystem::path state_dir, int device_sdk = 33);
  ~PackageManager();
  PackageManager(const PackageManager&) = delete;
  PackageManager& operator=(const PackageManager&) = delete;

  // Installs from an APK on the host file system. Throws PackageError.
  PackageInfo install(const std::filesystem::path& apk_file, const InstallOptions& options = {});
  // Throws PackageError (DELETE_FAILED_INTERNAL_ERROR for unknown or system packages).
  void uninstall(const std::string& package);

  std::vector<PackageInfo> list() const;  // sorted by package name, system ones included
  std::optional<PackageInfo> info(const std::string& package) const;
  std::optional<std::string> path(const std::string& package) const;  // device path of the APK
  bool contains(const std::string& package) const;

  // Called (outside the lock, on the installing thread) after every install or uninstall.
  // Returns an id for unsubscribe.
  int subscribe(std::function<void()> listener);
  void unsubscribe(int id);

  std::filesystem::path fs_root() const { return state_dir_ / "fs"; }

  // Android's rule for package names; also keeps a hostile manifest out of other paths.
  static bool valid_package_name(const std::string& name);

 private:
  void add_builtin_packages();
  void load();
  void save() const;  // caller holds mu_
  void notify();
  static void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

  const std::filesystem::path state_dir_;
  const int device_sdk_;
  std::mutex install_mu_;  // one install or uninstall at a time
  mutable std::mutex mu_;  // guards packages_
  std::map<std::string, PackageInfo> packages_;
  std::mutex listeners_mu_;
  std::map<int, std::function<void()>> listeners_;
  int next_listener_id_ = 1;
};

}  // namespace cp::devicesim
