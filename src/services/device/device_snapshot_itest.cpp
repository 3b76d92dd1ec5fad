// Snapshots through the gateway of a real `cloudphone up` on the process runtime (the
// simulator's state directory is copied): an installed app and a pushed file survive into a
// new device restored from the snapshot, and restoring into the (stopped) original brings an
// uninstalled app back. Needs the test APKs (`testapks` fixture).
#include "services/device/device_snapshot_itest_support.h"

namespace cp::device {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::Method;
using http::Status;

using testing::SnapshotItest;

TEST_F(SnapshotItest, ProcessRuntimeRestoresAppsIntoANewAndIntoTheSameDevice) {
  login_new_user("sam");
  auto id = create_running_device();
  install_basic_apk(id);
  auto put = send_raw(Method::put, "/api/v1/devices/" + id + "/files?path=/sdcard/marker.txt",
                      "application/octet-stream", "kept by the snapshot\n");
  ASSERT_EQ(put.result(), Status::no_content) << put.body();

  auto sid = snapshot_ready(id);
  auto copy = restore_into_new(sid, "copy");
  EXPECT_TRUE(has(packages_over_adb(copy), "com.example.basic"));
  EXPECT_EQ(get("/api/v1/devices/" + copy + "/files?path=/sdcard/marker.txt").body(),
            "kept by the snapshot\n");
  EXPECT_EQ(object(get("/api/v1/devices/" + copy))["restored_from"], json::value(sid));

  // Into the original: uninstall, stop, restore -> the app is back.
  ASSERT_EQ(send(Method::delete_, "/api/v1/devices/" + id + "/apps/com.example.basic").result(),
            Status::no_content);
  EXPECT_FALSE(has(packages_over_adb(id), "com.example.basic"));
  ASSERT_EQ(send(Method::post, "/api/v1/devices/" + id + "/stop").result(), Status::accepted);
  ASSERT_EQ(wait_for_state(id, "stopped", 15s), "stopped");
  auto r =
      send(Method::post, "/api/v1/snapshots/" + sid + "/restore", json::object{{"device_id", id}});
  ASSERT_EQ(r.result(), Status::accepted) << r.body();
  ASSERT_EQ(wait_for_state(id, "running", 30s), "running") << get("/api/v1/devices/" + id).body();
  EXPECT_TRUE(has(packages_over_adb(id), "com.example.basic"));

  auto events = events_of(id);
  std::vector<std::string> want{"device.created", "device.started", "device.snapshot.created",
                                "device.stopped", "device.started"};
  EXPECT_EQ(events, want);

  ASSERT_EQ(send(Method::delete_, "/api/v1/snapshots/" + sid).result(), Status::no_content);
  EXPECT_TRUE(eventually([&] { return !fs::exists(dir_ / "data" / "snapshots" / sid); }, 10s));
  EXPECT_EQ(get("/api/v1/snapshots/" + sid).result(), Status::not_found);
}

}  // namespace
}  // namespace cp::device
