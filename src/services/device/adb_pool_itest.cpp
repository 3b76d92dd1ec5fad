// AdbPool against real simulated devices (`cloudphone devicesim` children of a ProcessRuntime):
// one shared connection per device reused by concurrent users; kill -9 of the device makes
// calls fail promptly (no hang), then connects back off and fail fast; a restarted device on a
// new port is reached at once; a stopped (SIGSTOP) device costs at most the deadline.
#include "services/device/adb_pool.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "devicesim/adbd_test_support.h"
#include "runtime/process_runtime.h"

namespace cp::device {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(AdbBackoff, DoublesUpToTheMaximum) {
  AdbPoolOptions o;
  o.first_backoff = 100ms;
  o.max_backoff = 500ms;
  EXPECT_EQ(adb_backoff(o, 1), 100ms);
  EXPECT_EQ(adb_backoff(o, 2), 200ms);
  EXPECT_EQ(adb_backoff(o, 3), 400ms);
  EXPECT_EQ(adb_backoff(o, 4), 500ms);
  EXPECT_EQ(adb_backoff(o, 60), 500ms);
}

class AdbPoolItest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = devicesim::testing::make_temp_dir("adb-pool");
    runtime::ProcessRuntimeOptions o;
    o.devicesim_bin = devicesim::testing::env_or("CP_CLOUDPHONE_BIN", "cloudphone");
    o.state_root = dir_ / "devices";
    o.restart.max_restarts = 0;  // a killed device stays dead until the test starts it
    runtime_ = std::make_unique<runtime::ProcessRuntime>(o);
  }
  void TearDown() override {
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }
  runtime::AdbEndpoint start(const std::string& id) {
    runtime::RuntimeSpec s;
    s.device_id = id;
    s.width = 320;
    s.height = 480;
    s.fps = 5;
    runtime_->create(s);
    return runtime_->start(id);
  }
  // Asks until the simulator answers (its ADB port opens right after the "listening" line).
  std::shared_ptr<adb::AdbConnection> first(AdbPool& pool, const std::string& id,
                                            const runtime::AdbEndpoint& ep) {
    for (int i = 0; i < 100; ++i) {
      try {
        return pool.get(id, ep);
      } catch (const AdbUnavailable&) {
        std::this_thread::sleep_for(50ms);
      }
    }
    return pool.get(id, ep);
  }

  std::filesystem::path dir_;
  std::unique_ptr<runtime::ProcessRuntime> runtime_;
};

TEST_F(AdbPoolItest, ConcurrentUsersShareOneConnection) {
  AdbPool pool(AdbPoolOptions{2s, 5s, 50ms, 1s});
  auto ep = start("dev_pool_a");
  auto conn = first(pool, "dev_pool_a", ep);
  auto connects = pool.stats().connects;
  EXPECT_EQ(connects, 1);
  std::atomic<int> ok{0};
  std::vector<std::thread> users;
  for (int t = 0; t < 8; ++t) {
    users.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto c = pool.get("dev_pool_a", ep);
        if (c == conn && c->shell("echo " + std::to_string(t), 5s).out == std::to_string(t) + "\n")
          ++ok;
      }
    });
  }
  for (auto& u : users) u.join();
  EXPECT_EQ(ok, 40);
  auto s = pool.stats();
  EXPECT_EQ(s.connects, 1) << "every user got the same connection";
  EXPECT_GE(s.reuses, 40);
  EXPECT_EQ(s.open, 1u);
  // A second device has its own connection.
  auto ep_b = start("dev_pool_b");
  EXPECT_NE(first(pool, "dev_pool_b", ep_b), conn);
  EXPECT_EQ(pool.stats().open, 2u);
  pool.drop("dev_pool_b");
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST_F(AdbPoolItest, KilledDeviceFailsFastThenBacksOffAndARestartReconnects) {
  AdbPool pool(AdbPoolOptions{1s, 3s, 400ms, 2s});
  auto ep = start("dev_pool_k");
  auto conn = first(pool, "dev_pool_k", ep);
  ASSERT_EQ(conn->shell("echo up", 3s).out, "up\n");
  auto pid = runtime_->inspect("dev_pool_k").pid;
  ASSERT_TRUE(pid);
  ASSERT_EQ(kill(*pid, SIGKILL), 0);

  // A call on the held connection fails promptly: the socket closed with the process.
  auto t0 = Clock::now();
  EXPECT_THROW(conn->shell("echo gone", 30s), adb::AdbError);
  EXPECT_LT(Clock::now() - t0, 2s);
  EXPECT_FALSE(conn->alive());
  pool.failed("dev_pool_k", conn);

  // The next get() tries once (refused at once: nothing listens), the following ones fail
  // without trying until the backoff has passed.
  t0 = Clock::now();
  EXPECT_THROW(pool.get("dev_pool_k", ep), AdbUnavailable);
  EXPECT_LT(Clock::now() - t0, 1500ms);
  t0 = Clock::now();
  try {
    pool.get("dev_pool_k", ep);
    FAIL() << "expected AdbUnavailable";
  } catch (const AdbUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("next attempt in"), std::string::npos) << e.what();
  }
  EXPECT_LT(Clock::now() - t0, 50ms);
  EXPECT_GE(pool.stats().fast_failures, 1);

  // The runtime starts it again on a new port: reached at once, whatever the backoff.
  for (int i = 0;
       i < 100 && runtime_->inspect("dev_pool_k").state == runtime::InstanceState::running; ++i) {
    std::this_thread::sleep_for(50ms);  // until the supervisor has reaped the killed child
  }
  runtime_->start("dev_pool_k");
  auto ep2 = runtime_->inspect("dev_pool_k").endpoint;
  auto conn2 = first(pool, "dev_pool_k", ep2);
  EXPECT_NE(conn2, conn);
  EXPECT_EQ(conn2->shell("echo back", 3s).out, "back\n");
}

TEST_F(AdbPoolItest, AStoppedDeviceCostsAtMostTheDeadline) {
  AdbPool pool(AdbPoolOptions{1s, 2s, 200ms, 1s});
  auto ep = start("dev_pool_s");
  auto conn = first(pool, "dev_pool_s", ep);
  auto pid = runtime_->inspect("dev_pool_s").pid;
  ASSERT_TRUE(pid);
  ASSERT_EQ(kill(*pid, SIGSTOP), 0);
  auto t0 = Clock::now();
  EXPECT_THROW(conn->shell("echo frozen", 1s), adb::AdbError);
  EXPECT_LT(Clock::now() - t0, 3s);
  pool.failed("dev_pool_s", conn, /*force=*/true);  // what over_adb() does after a timeout
  t0 = Clock::now();
  EXPECT_THROW(pool.get("dev_pool_s", ep), AdbUnavailable);  // the handshake times out
  EXPECT_LT(Clock::now() - t0, 3s);
  kill(*pid, SIGCONT);
  std::this_thread::sleep_for(250ms);  // past the first backoff
  EXPECT_EQ(first(pool, "dev_pool_s", ep)->shell("echo thawed", 3s).out, "thawed\n");
}

}  // namespace
}  // namespace cp::device
