#pragma once
// Files and apps on a running device over ADB (sync push/pull/list, package install and
// uninstall). Same rules as operations.h: owner or 404, running or 409, ADB failures 502.
#include <string>
#include <vector>

#include "android/adb/sync_protocol.h"
#include "core/http_types.h"
#include "core/identity.h"
#include "core/spooled_body.h"
#include "services/device/device_context.h"

namespace cp::device {

inline constexpr size_t kMaxDevicePath = 1024;

// Pure: 400 naming `field` unless `path` is absolute, without NUL, "..", and ≤ kMaxDevicePath.
void validate_device_path(const std::string& path, const std::string& field = "path");
// Pure: 400 (field "package") unless it looks like an Android package name (a.b_c.d).
void validate_package_name(const std::string& name);

// An upload's bytes: the file the server spooled the request body to (streamed to the device
// from disk in sync-sized chunks, never whole in memory), or in-memory bytes for small
// in-process calls that were not spooled.
struct UploadSource {
  std::shared_ptr<const http::SpooledBody> spooled;
  std::string_view bytes;
  uint64_t size() const { return spooled ? spooled->size : bytes.size(); }
};
UploadSource upload_of(const http::RequestContext& rc);

void push_file(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
               const std::string& path, const UploadSource& body);
// 404 (file_not_found) when the path is missing or not a regular file; 413 (file_too_large)
// above settings.pull_limit, because the answer is built in memory.
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
                         const UploadSource& apk);
// 404 (app_not_found) when the package is not installed.
void uninstall_app(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                   const std::string& package);

}  // namespace cp::device
