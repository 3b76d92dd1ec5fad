// Files (sync push/pull/list) and apps (install/uninstall) on a running device over ADB.
#include "services/device/files.h"

#include <algorithm>
#include <fstream>
#include <optional>

#include "android/apk/apk_reader.h"
#include "core/ids.h"
#include "services/device/lifecycle.h"
#include "services/device/operations.h"

namespace cp::device {

namespace fs = std::filesystem;

void validate_device_path(const std::string& path, const std::string& field) {
  if (path.empty() || path[0] != '/') throw http::bad_request(field, "must be an absolute path");
  if (path.size() > kMaxDevicePath) {
    throw http::bad_request(field, "must be at most " + std::to_string(kMaxDevicePath) + " bytes");
  }
  if (path.find('\0') != std::string::npos) throw http::bad_request(field, "must not contain NUL");
  if (path == "/..") throw http::bad_request(field, "must not contain '..' segments");
  for (size_t at = path.find("/.."); at != std::string::npos; at = path.find("/..", at + 1)) {
    if (at + 3 == path.size() || path[at + 3] == '/')
      throw http::bad_request(field, "must not contain '..' segments");
  }
}

void validate_package_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 255 && name.front() != '.' && name.back() != '.' &&
            name.find("..") == std::string::npos && name.find('.') != std::string::npos &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '.';
            });
  if (!ok)
    throw http::bad_request("package", "must be an Android package name such as com.example.app");
}

UploadSource upload_of(const http::RequestContext& rc) {
  if (rc.upload) return {rc.upload, {}};
  return {nullptr, rc.request.body()};
}

void push_file(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
               const std::string& path, const UploadSource& body) {
  validate_device_path(path);
  auto conn = connect_running(ctx, caller, id);
  over_adb(conn, [&] {
    if (body.spooled) {
      conn->sync()->push(body.spooled->path, path);  // read from disk chunk by chunk
    } else {
      conn->sync()->push_bytes(body.bytes, path);
    }
    return 0;
  });
}

std::string pull_file(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                      const std::string& path) {
  validate_device_path(path);
  auto conn = connect_running(ctx, caller, id);
  return over_adb(conn, [&] {
    auto sync = conn->sync();
    auto st = sync->stat(path);
    if (st.error != 0 || st.mode == 0)
      throw http::not_found("no file " + path + " on the device", "file_not_found");
    if (!st.is_regular()) throw http::bad_request("path", "is not a regular file");
    if (st.size > ctx.settings.pull_limit) {
      throw http::ApiError(
          http::Status::payload_too_large, "file_too_large",
          path + " is " + std::to_string(st.size) + " bytes; downloads are limited to " +
              std::to_string(ctx.settings.pull_limit) + " (device.pull_limit_bytes)");
    }
    return sync->pull_bytes(path);
  });
}

std::vector<adb::sync::DirEntry> list_directory(DeviceContext& ctx, const http::Identity& caller,
                                                const std::string& id, const std::string& path) {
  validate_device_path(path);
  auto conn = connect_running(ctx, caller, id);
  return over_adb(conn, [&] {
    auto sync = conn->sync();
    auto st = sync->stat(path);
    if (st.error != 0 || st.mode == 0)
      throw http::not_found("no directory " + path + " on the device", "file_not_found");
    if (!st.is_dir()) throw http::bad_request("path", "is not a directory");
    auto entries = sync->list(path);
    std::erase_if(entries, [](const auto& e) { return e.name == "." || e.name == ".."; });
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return entries;
  });
}

namespace {

// A temporary copy of the APK for AdbConnection::install, removed on scope exit.
struct TempFile {
  fs::path path = fs::temp_directory_path() / (new_id("apk") + ".apk");
  explicit TempFile(std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw http::unavailable("cannot stage the APK on the server", "apk_staging_failed");
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

}  // namespace

InstalledApp install_apk(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                         const UploadSource& apk) {
  get_device(ctx, caller, id);  // someone else's device is 404 whatever the body
  apk::ApkInfo info;
  try {
    info = apk.spooled ? apk::read_apk(apk.spooled->path)
                       : apk::read_apk(std::span(reinterpret_cast<const uint8_t*>(apk.bytes.data()),
                                                 apk.bytes.size()));
  } catch (const apk::ApkError& e) {
    throw http::bad_request("body", std::string("not a valid APK: ") + e.what(), "invalid_apk");
  }
  auto conn = connect_running(ctx, caller, id);
  // `install` streams from a file: the spooled body itself, or a staged copy of small bytes.
  std::optional<TempFile> staged;
  if (!apk.spooled) staged.emplace(apk.bytes);
  try {
    conn->install(apk.spooled ? apk.spooled->path : staged->path, {"-r"},
                  ctx.settings.install_timeout);
  } catch (const adb::AdbError& e) {
    if (!conn->alive()) conn.broken();
    throw http::ApiError(http::Status::unprocessable_entity, "install_failed",
                         std::string("the device refused the APK: ") + e.what());
  }
  return {info.package, info.version_code, info.version_name, info.label};
}

void uninstall_app(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                   const std::string& package) {
  validate_package_name(package);
  auto conn = connect_running(ctx, caller, id);
  over_adb(conn, [&] {
    auto installed =
        parse_package_list(conn->shell("pm list packages", ctx.settings.exec_timeout).out);
    if (std::find(installed.begin(), installed.end(), package) == installed.end()) {
      throw http::not_found(package + " is not installed on the device", "app_not_found");
    }
    auto r = conn->shell("pm uninstall " + adb::shell_quote(package), ctx.settings.exec_timeout);
    if (r.out.find("Success") == std::string::npos) {
      throw http::ApiError(http::Status::bad_gateway, "uninstall_failed",
                           "pm uninstall: " + r.out + r.err);
    }
    return 0;
  });
}

}  // namespace cp::device
