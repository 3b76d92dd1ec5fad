// The docker runtime against a real engine: podman's Docker-compatible API started by the
// `podman` ctest fixture (scripts/test-servers/podman.sh), running the image that packs the
// SIMULATED device. Lifecycle through ADB, snapshot (commit) and restore into a new device.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "android/adb/adb_connection.h"
#include "runtime/docker_runtime.h"

namespace cp::runtime {
namespace {

using namespace std::chrono_literals;

std::map<std::string, std::string> read_env_file() {
  std::map<std::string, std::string> env;
  const char* dir = std::getenv("CP_TEST_ENV_DIR");
  if (!dir) return env;
  std::ifstream in(std::string(dir) + "/podman.env");
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Connects over the published port and waits for sys.boot_completed=1.
std::unique_ptr<adb::AdbConnection> wait_ready(const AdbEndpoint& ep, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      adb::AdbConnectOptions opt;
      opt.connect_timeout = 3s;
      auto conn = adb::AdbConnection::connect(ep.host, ep.port, opt);
      if (trim(conn->shell("getprop sys.boot_completed", 5s).out) == "1") return conn;
      last = "sys.boot_completed is not 1";
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(200ms);
  }
  throw std::runtime_error("device at " + ep.host + ":" + std::to_string(ep.port) + " not ready: " + last);
}

class DockerPodmanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = read_env_file();
    ASSERT_TRUE(env.count("CP_TEST_DOCKER_HOST")) << "podman.env missing: is the podman fixture running?";
    options_.host = env["CP_TEST_DOCKER_HOST"];
    options_.profile = DockerProfile::simulator;
    options_.image = env["CP_TEST_DEVICESIM_IMAGE"];
    options_.network_mode = env["CP_TEST_DOCKER_NETWORK"];
    options_.call_timeout = 60s;
    runtime_ = std::make_unique<DockerRuntime>(options_);
    suffix_ = std::to_string(getpid());
  }
  // Whatever the test created goes, even when it failed halfway.
  void TearDown() override {
    for (const auto& id : containers_) {
      try {
        runtime_->remove(id);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup of " << id << ": " << e.what();
      }
    }
    for (const auto& snap : snapshots_) {
      try {
        runtime_->remove_snapshot(snap);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup of snapshot " << snap << ": " << e.what();
      }
    }
  }
  RuntimeSpec spec(const std::string& name) {
    RuntimeSpec s;
    s.device_id = "dev_" + name + "_" + suffix_;
    s.width = 480;
    s.height = 800;
    s.dpi = 240;
    s.fps = 10;
    s.cpu_cores = 1;
    s.memory_mb = 512;
    s.model = "Podman Sim";
    return s;
  }
  std::string track(std::string id) {
    containers_.push_back(id);
    return id;
  }

  DockerRuntimeOptions options_;
  std::unique_ptr<DockerRuntime> runtime_;
  std::string suffix_;
  std::vector<std::string> containers_;
  std::vector<std::string> snapshots_;
};

TEST_F(DockerPodmanTest, LifecycleSnapshotAndRestoreIntoANewDevice) {
  auto id = track(runtime_->create(spec("life")));
  EXPECT_EQ(runtime_->create(spec("life")), id) << "create is idempotent per device id";
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::created);
  auto listed = runtime_->list();
  EXPECT_NE(std::find(listed.begin(), listed.end(), id), listed.end());

  auto ep = runtime_->start(id);
  EXPECT_EQ(ep.host, "127.0.0.1");
  EXPECT_NE(ep.port, 0);
  EXPECT_NE(ep.port, 5555) << "the engine chooses the host port";
  {
    auto conn = wait_ready(ep, 60s);
    auto model = conn->shell("getprop ro.product.model", 10s);
    EXPECT_EQ(trim(model.out), "Podman Sim");
    conn->sync()->push_bytes("state kept by commit\n", "/data/local/tmp/marker.txt");
  }
  auto st = runtime_->inspect(id);
  EXPECT_EQ(st.state, InstanceState::running);
  EXPECT_EQ(st.endpoint, ep);
  auto stats = runtime_->stats(id);
  EXPECT_EQ(stats.memory_limit, 512u * 1024 * 1024);
  EXPECT_GT(stats.memory_bytes, 0u);
  EXPECT_NE(runtime_->logs(id, 1 << 16).find("listening on"), std::string::npos);

  runtime_->stop(id, 5s);
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::stopped);
  runtime_->stop(id, 5s);  // stopping a stopped container is a no-op

  auto snap = "snp_" + suffix_;
  snapshots_.push_back(snap);
  auto ref = runtime_->snapshot(id, snap);
  EXPECT_EQ(ref, "cloudphone/snapshot:" + snap);
  EXPECT_TRUE(runtime_->snapshot_exists(snap));

  // Restore into a new device: the snapshot image carries the pushed file.
  auto copy_spec = spec("copy");
  copy_spec.image = ref;
  auto copy = track(runtime_->create(copy_spec));
  auto copy_ep = runtime_->start(copy);
  {
    auto conn = wait_ready(copy_ep, 60s);
    EXPECT_EQ(conn->sync()->pull_bytes("/data/local/tmp/marker.txt"), "state kept by commit\n");
  }

  // Restart gives a working endpoint again (the port may change).
  auto again = runtime_->restart(id, 5s);
  wait_ready(again, 60s);

  runtime_->remove(copy);
  runtime_->remove(id);
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::absent);
  EXPECT_EQ(runtime_->inspect(copy).state, InstanceState::absent);
  runtime_->remove(id);  // removing an absent container is a no-op
  runtime_->remove_snapshot(snap);
  EXPECT_FALSE(runtime_->snapshot_exists(snap));
}

TEST_F(DockerPodmanTest, MissingImageIsAClearError) {
  auto s = spec("noimg");
  s.image = "cloudphone/does-not-exist:1";
  try {
    track(runtime_->create(s));
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("image 'cloudphone/does-not-exist:1' not found"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(runtime_->inspect(DockerRuntime::container_name(s.device_id)).state, InstanceState::absent);
}

TEST_F(DockerPodmanTest, UnreachableEngineIsAClearError) {
  auto opt = options_;
  opt.host = "unix://" + std::string(std::getenv("CP_TEST_ENV_DIR")) + "/podman/no-such.sock";
  opt.call_timeout = 2s;
  DockerRuntime dead(opt);
  try {
    dead.create(spec("dead"));
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("container engine unreachable"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dead.ping(), RuntimeError);
  runtime_->ping();
}

}  // namespace
}  // namespace cp::runtime
