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
#include "services/device/adb_pool.h"
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

// The device's pooled ADB connection for one operation. An ADB failure seen through
// over_adb() tells the pool, which drops a dead or stuck connection so the next use reconnects.
class AdbLease {
 public:
  AdbLease(AdbPool& pool, std::string device_id, std::shared_ptr<adb::AdbConnection> conn)
      : pool_(pool), device_id_(std::move(device_id)), conn_(std::move(conn)) {}
  adb::AdbConnection* operator->() const { return conn_.get(); }
  adb::AdbConnection& operator*() const { return *conn_; }
  // A timeout or a lost connection: the connection is not trusted any more.
  void broken() { pool_.failed(device_id_, conn_, /*force=*/true); }

 private:
  AdbPool& pool_;
  std::string device_id_;
  std::shared_ptr<adb::AdbConnection> conn_;
};

// The caller's running device (404 / 409 otherwise) and its pooled ADB connection (502 when
// unreachable, at once while the pool backs off from a dead endpoint).
AdbLease connect_running(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
// Runs f(); an AdbError becomes 502 adb_failed and marks the lease's connection broken.
template <class F>
auto over_adb(AdbLease& lease, F&& f) {
  try {
    return f();
  } catch (const adb::AdbError& e) {
    lease.broken();
    throw http::ApiError(http::Status::bad_gateway, "adb_failed", std::string("ADB: ") + e.what());
  }
}

ExecResult exec_on_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                          const std::string& command);
std::string screenshot_png(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
std::vector<std::string> third_party_packages(DeviceContext& ctx, const http::Identity& caller,
                                              const std::string& id);
std::map<std::string, std::string> device_properties(DeviceContext& ctx,
                                                     const http::Identity& caller,
                                                     const std::string& id);
// `logcat -d`, the last `lines` lines; the flag says whether the output limit cut it.
std::pair<std::string, bool> device_logcat(DeviceContext& ctx, const http::Identity& caller,
                                           const std::string& id, int lines);
// Reboots over ADB; the device goes back to booting until sys.boot_completed=1 again.
void reboot_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id);

}  // namespace cp::device
