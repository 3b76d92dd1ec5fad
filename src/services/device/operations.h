#pragma once
// Operations on a running device over ADB, each with a timeout and output limits. A device
// that is not running is refused with 409 (invalid_state); ADB failures become 502.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "android/adb/adb_connection.h"
#include "core/identity.h"
#include "core/problem.h"
#include "services/device/device_context.h"

namespace cp::device {

struct ExecResult {
  std::string stdout_text;
  std::string stderr_text;
  int exit_code = -1;
  bool truncated = false;
};

// Pure helpers (unit-tested).
// Cuts `text` to `limit` bytes; true when something was cut.
bool cap_output(std::string& text, size_t limit);
// `pm list packages` output → package names ("package:com.x" lines).
std::vector<std::string> parse_package_list(const std::string& output);
// `getprop` output ("[key]: [value]" lines) → map.
std::map<std::string, std::string> parse_getprop(const std::string& output);

// The caller's running device (404 / 409 otherwise) and an ADB connection to it (502 when
// unreachable).
std::unique_ptr<adb::AdbConnection> connect_running(DeviceContext& ctx, const http::Identity& caller,
                                                    const std::string& id);
// Runs f(); an AdbError becomes 502 adb_failed.
template <class F>
auto over_adb(F&& f) {
  try {
    return f();
  } catch (const adb::AdbError& e) {
    throw http::ApiError(http::Status::bad_gateway, "adb_failed", std::string("ADB: ") + e.what());
  }
}

ExecResult exec_on_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                          const std::string& command);
std::string screenshot_png(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
std::vector<std::string> third_party_packages(DeviceContext& ctx, const http::Identity& caller,
                                              const std::string& id);
std::map<std::string, std::string> device_properties(DeviceContext& ctx, const http::Identity& caller,
                                                     const std::string& id);
// `logcat -d`, the last `lines` lines; the flag says whether the output limit cut it.
std::pair<std::string, bool> device_logcat(DeviceContext& ctx, const http::Identity& caller,
                                           const std::string& id, int lines);
// Reboots over ADB; the device goes back to booting until sys.boot_completed=1 again.
void reboot_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id);

}  // namespace cp::device
