#pragma once
// Test-only: the `cloudphone up` fixture plus snapshot helpers (install the harness APK, take a
// snapshot and wait until it is ready, restore into a new device and wait until it runs, ask
// the device over ADB which packages it has).
#include <algorithm>

#include "android/adb/adb_connection.h"
#include "services/device/device_itest_test_support.h"

namespace cp::device::testing {

class SnapshotItest : public DeviceLifecycleItest {
 protected:
  void install_basic_apk(const std::string& id) {
    const char* apk_dir = getenv("CP_TEST_APK_DIR");
    ASSERT_NE(apk_dir, nullptr) << "needs the testapks fixture";
    std::ifstream in(std::string(apk_dir) + "/basic.apk", std::ios::binary);
    std::string apk((std::istreambuf_iterator<char>(in)), {});
    ASSERT_FALSE(apk.empty());
    auto res = send_raw(Method::post, "/api/v1/devices/" + id + "/apps",
                        "application/vnd.android.package-archive", apk);
    ASSERT_EQ(res.result(), Status::created) << res.body();
    ASSERT_TRUE(has(packages_over_adb(id), "com.example.basic"));
  }
  // Installed third-party packages asked straight over ADB (`pm list packages -3`).
  std::vector<std::string> packages_over_adb(const std::string& id) {
    auto d = object(get("/api/v1/devices/" + id));
    auto conn =
        adb::AdbConnection::connect(std::string(d.at("adb").at("host").as_string()),
                                    static_cast<uint16_t>(d.at("adb").at("port").as_int64()));
    auto out = conn->shell("pm list packages -3").out;
    std::vector<std::string> names;
    for (size_t at = out.find("package:"); at != std::string::npos;
         at = out.find("package:", at + 1)) {
      auto end = out.find_first_of("\r\n", at);
      names.push_back(out.substr(at + 8, (end == std::string::npos ? out.size() : end) - at - 8));
    }
    return names;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  std::string snapshot_ready(const std::string& id, std::chrono::milliseconds timeout = 60s) {
    auto r =
        send(Method::post, "/api/v1/devices/" + id + "/snapshots", json::object{{"name", "base"}});
    EXPECT_EQ(r.result(), Status::accepted) << r.body();
    std::string sid(object(r)["id"].as_string());
    std::string last;
    EXPECT_TRUE(eventually(
        [&] {
          last = get("/api/v1/snapshots/" + sid).body();
          return json::parse(last).at("state") == "ready";
        },
        timeout))
        << last;
    return sid;
  }
  std::string restore_into_new(const std::string& sid, const std::string& name,
                               std::chrono::milliseconds timeout = 30s) {
    auto r =
        send(Method::post, "/api/v1/snapshots/" + sid + "/restore", json::object{{"name", name}});
    EXPECT_EQ(r.result(), Status::accepted) << r.body();
    std::string copy(object(r)["id"].as_string());
    EXPECT_EQ(wait_for_state(copy, "running", timeout), "running")
        << get("/api/v1/devices/" + copy).body();
    return copy;
  }
};

}  // namespace cp::device::testing
