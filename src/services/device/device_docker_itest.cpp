// The device lifecycle through the gateway of a real `cloudphone up` whose device runtime is the
// Docker Engine API, against podman's Docker-compatible service (fixture `podman`: runc,
// cgroupfs, lowered ulimits, the simulated-device image built locally from the binary):
// create → running → exec → push/pull (same sha256) → screenshot → install the harness APK →
// snapshot (commit) → restore into a NEW device that has the app (asked over ADB) → stop →
// start → delete, with the device's events in order.
#include <openssl/sha.h>

#include <random>

#include "runtime/docker_runtime.h"
#include "services/device/device_snapshot_itest_support.h"

namespace cp::device {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::Method;
using http::Status;

class DockerDeviceItest : public testing::SnapshotItest {
 protected:
  void SetUp() override {
    auto env = devicesim::testing::read_env_file(
        fs::path(devicesim::testing::env_or("CP_TEST_ENV_DIR", ".")) / "podman.env");
    ASSERT_TRUE(env.count("CP_TEST_DOCKER_HOST"))
        << "podman.env missing: is the podman fixture running?";
    options_.host = env["CP_TEST_DOCKER_HOST"];
    options_.profile = runtime::DockerProfile::simulator;
    options_.image = env["CP_TEST_DEVICESIM_IMAGE"];
    options_.network_mode = env["CP_TEST_DOCKER_NETWORK"];
    env_ = {{"CLOUDPHONE_DEVICE_RUNTIME", "docker"},
            {"CLOUDPHONE_DEVICE_DOCKER_HOST", options_.host},
            {"CLOUDPHONE_DEVICE_DOCKER_PROFILE", "simulator"},
            {"CLOUDPHONE_DEVICE_DOCKER_IMAGE", options_.image},
            {"CLOUDPHONE_DEVICE_DOCKER_NETWORK_MODE", options_.network_mode}};
    testing::SnapshotItest::SetUp();
  }
  // Containers and snapshot images go even when the test failed halfway.
  void TearDown() override {
    runtime::DockerRuntime engine(options_);
    for (const auto& id : devices_) {
      try {
        engine.remove(runtime::DockerRuntime::container_name(id));
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup of " << id << ": " << e.what();
      }
    }
    for (const auto& sid : snapshots_) {
      try {
        engine.remove_snapshot(sid);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup of snapshot " << sid << ": " << e.what();
      }
    }
    testing::SnapshotItest::TearDown();
  }
  static std::string sha256(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return std::string(reinterpret_cast<char*>(digest), sizeof digest);
  }
  std::string create_running(const std::string& name) {
    auto created = send(Method::post, "/api/v1/devices",
                        json::object{{"name", name},
                                     {"spec",
                                      {{"width", 480},
                                       {"height", 800},
                                       {"dpi", 240},
                                       {"cpu_cores", 1},
                                       {"memory_mb", 512}}}});
    EXPECT_EQ(created.result(), Status::created) << created.body();
    std::string id(object(created)["id"].as_string());
    devices_.push_back(id);
    EXPECT_EQ(wait_for_state(id, "running", 90s), "running") << get("/api/v1/devices/" + id).body();
    return id;
  }

  runtime::DockerRuntimeOptions options_;
  std::vector<std::string> devices_;
  std::vector<std::string> snapshots_;
};

TEST_F(DockerDeviceItest, LifecycleWithSnapshotRestoredIntoANewDevice) {
  login_new_user("dora");
  auto id = create_running("docker phone");
  auto d = object(get("/api/v1/devices/" + id));
  EXPECT_EQ(d["runtime"], "docker");
  EXPECT_EQ(d["node"], "local");

  auto exec = send(Method::post, "/api/v1/devices/" + id + "/exec",
                   json::object{{"command", "getprop ro.product.model"}});
  ASSERT_EQ(exec.result(), Status::ok) << exec.body();
  EXPECT_EQ(object(exec)["exit_code"], 0);
  EXPECT_FALSE(object(exec)["stdout"].as_string().empty());

  std::string data(1 << 20, '\0');
  std::mt19937 rng(11);
  for (auto& c : data) c = static_cast<char>(rng());
  auto put = send_raw(Method::put, "/api/v1/devices/" + id + "/files?path=/sdcard/blob.bin",
                      "application/octet-stream", data);
  ASSERT_EQ(put.result(), Status::no_content) << put.body();
  auto back = get("/api/v1/devices/" + id + "/files?path=/sdcard/blob.bin");
  ASSERT_EQ(back.result(), Status::ok);
  EXPECT_TRUE(sha256(back.body()) == sha256(data));

  auto shot = get("/api/v1/devices/" + id + "/screenshot");
  ASSERT_EQ(shot.result(), Status::ok) << shot.body();
  const std::string& png = shot.body();
  ASSERT_GT(png.size(), 24u);
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 480u);
  EXPECT_EQ(be32(20), 800u);

  install_basic_apk(id);
  auto apps = get("/api/v1/devices/" + id + "/apps").body();
  EXPECT_NE(apps.find("com.example.basic"), std::string::npos) << apps;

  auto sid = snapshot_ready(id, 180s);
  snapshots_.push_back(sid);
  auto snap = object(get("/api/v1/snapshots/" + sid));
  EXPECT_EQ(snap["node"], "local");
  auto copy = restore_into_new(sid, "docker copy", 90s);
  devices_.push_back(copy);
  EXPECT_TRUE(has(packages_over_adb(copy), "com.example.basic"))
      << "the app travels in the committed image";
  auto copied = get("/api/v1/devices/" + copy + "/files?path=/sdcard/blob.bin");
  EXPECT_TRUE(sha256(copied.body()) == sha256(data));

  ASSERT_EQ(send(Method::post, "/api/v1/devices/" + id + "/stop").result(), Status::accepted);
  ASSERT_EQ(wait_for_state(id, "stopped", 60s), "stopped");
  ASSERT_EQ(send(Method::post, "/api/v1/devices/" + id + "/start").result(), Status::accepted);
  ASSERT_EQ(wait_for_state(id, "running", 90s), "running") << get("/api/v1/devices/" + id).body();
  EXPECT_TRUE(has(packages_over_adb(id), "com.example.basic"));

  runtime::DockerRuntime engine(options_);
  for (const auto& dev : {id, copy}) {
    ASSERT_EQ(send(Method::delete_, "/api/v1/devices/" + dev).result(), Status::no_content);
    EXPECT_TRUE(eventually(
        [&] {
          return engine.inspect(runtime::DockerRuntime::container_name(dev)).state ==
                 runtime::InstanceState::absent;
        },
        60s));
  }
  EXPECT_EQ(events_of(id),
            (std::vector<std::string>{"device.created", "device.started", "device.snapshot.created",
                                      "device.stopped", "device.started", "device.deleted"}));
  // The image is no longer used by a container: deleting the snapshot removes it.
  ASSERT_EQ(send(Method::delete_, "/api/v1/snapshots/" + sid).result(), Status::no_content);
  EXPECT_TRUE(eventually([&] { return !engine.snapshot_exists(sid); }, 60s));
}

}  // namespace
}  // namespace cp::device
