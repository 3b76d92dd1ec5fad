// The device lifecycle through the gateway of a real `cloudphone up` (process runtime: every
// device is a `cloudphone devicesim` child of it). Kills the simulator to see the health
// monitor mark the device and the restart policy bring it back.
#include "services/device/device_itest_test_support.h"

namespace cp::device {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::Method;
using http::Status;
using testing::DeviceLifecycleItest;
using testing::process_alive;
using testing::simulator_pids;

TEST_F(DeviceLifecycleItest, CreateRunOperateKillStopStartDelete) {
  login_new_user("dana");
  auto id = create_running_device();
  auto pids = simulator_pids(pid_, id);
  ASSERT_EQ(pids.size(), 1u);

  auto exec = send(Method::post, "/api/v1/devices/" + id + "/exec",
                   json::object{{"command", "getprop ro.product.model"}});
  ASSERT_EQ(exec.result(), Status::ok) << exec.body();
  EXPECT_EQ(object(exec)["exit_code"], 0);
  EXPECT_FALSE(object(exec)["stdout"].as_string().empty());
  EXPECT_EQ(object(exec)["truncated"], false);

  auto shot = get("/api/v1/devices/" + id + "/screenshot");
  ASSERT_EQ(shot.result(), Status::ok) << shot.body();
  const std::string& png = shot.body();
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 480u);  // IHDR width
  EXPECT_EQ(be32(20), 800u);  // IHDR height

  // kill -9 the simulator: the monitor shows the error, the restart policy brings it back.
  kill(pids[0], SIGKILL);
  bool saw_error = false;
  ASSERT_TRUE(eventually(
      [&] {
        auto s = state(id);
        saw_error |= s == "error";
        auto now = simulator_pids(pid_, id);
        return saw_error && s == "running" && now.size() == 1 && now[0] != pids[0];
      },
      20s))
      << get("/api/v1/devices/" + id).body();
  pids = simulator_pids(pid_, id);

  auto stop = send(Method::post, "/api/v1/devices/" + id + "/stop");
  ASSERT_EQ(stop.result(), Status::accepted) << stop.body();
  ASSERT_TRUE(eventually([&] { return state(id) == "stopped"; }, 15s));
  EXPECT_TRUE(simulator_pids(pid_, id).empty());

  // Start again: a new simulator on the same state, ready over ADB.
  auto start = send(Method::post, "/api/v1/devices/" + id + "/start");
  ASSERT_EQ(start.result(), Status::accepted) << start.body();
  ASSERT_TRUE(eventually([&] { return state(id) == "running"; }, 20s))
      << get("/api/v1/devices/" + id).body();
  ASSERT_EQ(simulator_pids(pid_, id).size(), 1u);
  auto again = send(Method::post, "/api/v1/devices/" + id + "/exec",
                    json::object{{"command", "getprop ro.product.model"}});
  ASSERT_EQ(again.result(), Status::ok) << again.body();
  EXPECT_EQ(object(again)["stdout"], object(exec)["stdout"]);
  auto stop2 = send(Method::post, "/api/v1/devices/" + id + "/stop");
  ASSERT_EQ(stop2.result(), Status::accepted) << stop2.body();
  ASSERT_TRUE(eventually([&] { return state(id) == "stopped"; }, 15s));

  auto del = send(Method::delete_, "/api/v1/devices/" + id);
  ASSERT_EQ(del.result(), Status::no_content) << del.body();
  EXPECT_EQ(get("/api/v1/devices/" + id).result(), Status::not_found);
  EXPECT_TRUE(eventually([&] { return !fs::exists(dir_ / "data" / "devices" / id); }, 10s));
  EXPECT_TRUE(simulator_pids(pid_, id).empty());
  // The outbox saw it all, in order (the crash is an error, the policy's restart a start).
  EXPECT_EQ(events_of(id),
            (std::vector<std::string>{"device.created", "device.started", "device.error",
                                      "device.started", "device.stopped", "device.started",
                                      "device.stopped", "device.deleted"}));
}

TEST_F(DeviceLifecycleItest, RestartOfCloudphoneReconcilesRunningDevices) {
  login_new_user("erin");
  auto id = create_running_device();
  auto before = simulator_pids(pid_, id);
  ASSERT_EQ(before.size(), 1u);
  stop_cloudphone();  // its simulators stop with it; the database still says running
  EXPECT_TRUE(eventually([&] { return !process_alive(before[0]); }, 5s));
  start_cloudphone();
  ASSERT_TRUE(eventually(
      [&] { return state(id) == "running" && simulator_pids(pid_, id).size() == 1; }, 20s))
      << get("/api/v1/devices/" + id).body();
  auto list = object(get("/api/v1/devices"));
  EXPECT_EQ(list["items"].as_array().size(), 1u);  // nothing duplicated
  auto exec =
      send(Method::post, "/api/v1/devices/" + id + "/exec", json::object{{"command", "echo back"}});
  EXPECT_EQ(object(exec)["stdout"], "back\n");
}

}  // namespace
}  // namespace cp::device
