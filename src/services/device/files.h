#pragma once
// Files and apps on a running device over ADB (sync push/pull/list, package install and
// uninstall). Same rules as operations.h: owner or 404, running or 409, ADB failures 502.
#include <string>
#include <vector>

#include "android/adb/sync_protocol.h"
#include "core/identity.h"
#include "services/device/device_context.h"

namespace cp::device {

inline constexpr size_t kMaxDevicePath = 1024;

// Pure: 400 naming `field` unless `path` is absolute, without NUL, "..", and ≤ kMaxDevicePath.
void validate_device_path(const std::string& path, const std::string& field = "path");
// Pure: 400 (field "package") unless it looks like an Android package name (a.b_c.d).
void validate_package_name(const std::string& name);

void push_file(DeviceContext& ctx, const http::Identity& caller, const std::string& id, const std::string& path,
               std::string_view bytes);
// 404 (file_not_found) when the path is missing or not a regular file.
std::string pull_file(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                      const std::string& path);
// 404 when the directory is missing.
std::vector<adb::sync::DirEntry> list_directory(DeviceContext& ctx, const http::Identity& caller,
                                                const std::string& id, const std::string& path);

struct InstalledApp {
  std::string package;
  int64_t version_code = 0;
  std::string version_name;
  std::string label;
};
// Reads the APK first (400 with the reader's reason for a non-APK), then installs it.
InstalledApp install_apk(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                         std::string_view apk_bytes);
// 404 (app_not_found) when the package is not installed.
void uninstall_app(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                   const std::string& package);

}  // namespace cp::device
