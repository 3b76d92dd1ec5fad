// AdbConnection (our host-side ADB) against `cloudphone devicesim` run as a child process.
#include "android/adb/adb_connection.h"

#include <gtest/gtest.h>

#include "devicesim/adbd_test_support.h"

namespace cp::adb {
namespace {

using namespace std::chrono_literals;
using namespace cp::devicesim::testing;

class AdbConnectionItest : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = std::make_unique<DeviceProcess>(std::vector<std::string>{"--model", "Itest Phone"});
    conn_ = AdbConnection::connect("127.0.0.1", device_->port());
  }
  std::unique_ptr<DeviceProcess> device_;
  std::unique_ptr<AdbConnection> conn_;
};

TEST_F(AdbConnectionItest, BannerAdvertisesTheSimulatorAndItsFeatures) {
  EXPECT_EQ(conn_->banner_property("ro.product.model"), "Itest Phone");
  EXPECT_TRUE(conn_->has_feature("shell_v2"));
  EXPECT_TRUE(conn_->has_feature("stat_v2"));
  EXPECT_FALSE(conn_->has_feature("abb_exec"));
}

TEST_F(AdbConnectionItest, ShellV2SeparatesStreamsAndReturnsTheExitCode) {
  auto r = conn_->shell("echo out; echo err >&2; exit 5");
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(conn_->shell("getprop ro.product.model").out, "Itest Phone\n");
  EXPECT_EQ(conn_->shell_raw("echo raw; echo e >&2"), "raw\ne\n");
}

TEST_F(AdbConnectionItest, PushThenPullKeepsTwentyMegabytesIntact) {
  auto dir = make_temp_dir("adbconn-push");
  write_random_file(dir / "in.bin", 20 * 1024 * 1024, 3);
  conn_->push(dir / "in.bin", "/sdcard/in.bin");
  conn_->pull("/sdcard/in.bin", dir / "out.bin");
  EXPECT_EQ(sha256_file(dir / "in.bin"), sha256_file(dir / "out.bin"));

  auto sync = conn_->sync();
  auto st = sync->stat("/sdcard/in.bin");
  EXPECT_EQ(st.error, 0u);
  EXPECT_TRUE(st.is_regular());
  EXPECT_EQ(st.size, 20u * 1024 * 1024);
  EXPECT_EQ(sync->stat("/sdcard/missing").error, 2u);  // ENOENT
  bool listed = false;
  for (const auto& e : sync->list("/sdcard")) listed |= e.name == "in.bin";
  EXPECT_TRUE(listed);
  EXPECT_THROW(sync->pull_bytes("/sdcard/missing"), AdbError);
  // A failed request leaves the session usable.
  sync->push_bytes("tiny", "/data/local/tmp/t.txt");
  EXPECT_EQ(sync->pull_bytes("/data/local/tmp/t.txt"), "tiny");
  std::filesystem::remove_all(dir);
}

TEST_F(AdbConnectionItest, TcpStreamCarriesBytesBothWays) {
  EchoServer echo;
  auto stream = conn_->open_tcp(echo.port());
  std::string data(1 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  std::thread writer([&] { stream->write(data, 10s); });
  std::string got(data.size(), '\0');
  stream->read_exact(std::span(reinterpret_cast<uint8_t*>(got.data()), got.size()), 10s);
  writer.join();
  EXPECT_TRUE(got == data);
  stream->close();
}

TEST_F(AdbConnectionItest, MissingServicesAreRefusedCleanly) {
  EXPECT_THROW(conn_->open_local_abstract("nobody_listens"), AdbError);
  EXPECT_THROW(conn_->open_tcp(free_tcp_port()), AdbError);
  EXPECT_THROW(conn_->open("no-such-service:"), AdbError);
  EXPECT_EQ(conn_->shell("echo still-alive").out, "still-alive\n");
}

TEST_F(AdbConnectionItest, InstallAddsThePackage) {
  std::filesystem::path apk = env_or("CP_BINARY_DIR", ".") + "/test-apks/basic.apk";
  if (!std::filesystem::exists(apk)) GTEST_SKIP() << "test APKs not built (testapks fixture)";
  conn_->install(apk);
  EXPECT_NE(conn_->shell("pm list packages").out.find("package:com.example.basic"),
            std::string::npos);
  auto bogus = make_temp_dir("adbconn-bogus") / "bogus.apk";
  { std::ofstream(bogus) << "not a zip"; }
  EXPECT_THROW(conn_->install(bogus), AdbError);
  std::filesystem::remove_all(bogus.parent_path());
}

TEST(AdbConnectionAuthItest, SignsTokensWithAKnownKeyAndFailsWithAnUnknownOne) {
  auto dir = make_temp_dir("adbconn-keys");
  AdbKey key = AdbKey::load_or_generate(dir);
  DeviceProcess device({"--auth-required", "--adb-keys", (dir / "adbkey.pub").string()});
  AdbConnectOptions options;
  options.key = &key;
  auto conn = AdbConnection::connect("127.0.0.1", device.port(), options);
  EXPECT_EQ(conn->shell("echo authed").out, "authed\n");

  AdbKey stranger = AdbKey::generate();
  options.key = &stranger;
  options.connect_timeout = 2s;
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(AdbConnection::connect("127.0.0.1", device.port(), options), AdbError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 6s);
  options.key = nullptr;
  EXPECT_THROW(AdbConnection::connect("127.0.0.1", device.port(), options), AdbError);
  std::filesystem::remove_all(dir);
}

// A big sparse file: reading it is fast, so the push is still running when the device dies.
std::filesystem::path make_sparse_file(const std::filesystem::path& dir) {
  auto file = dir / "sparse.bin";
  { std::ofstream(file) << ""; }
  std::filesystem::resize_file(file, 4ull << 30);
  return file;
}

TEST_F(AdbConnectionItest, DeviceKilledMidTransferFailsPromptly) {
  auto dir = make_temp_dir("adbconn-kill");
  auto file = make_sparse_file(dir);
  std::thread killer([&] {
    std::this_thread::sleep_for(500ms);
    device_->signal(SIGKILL);
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(conn_->push(file, "/data/local/tmp/sparse.bin"), AdbError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  killer.join();
  EXPECT_FALSE(conn_->alive());
  EXPECT_THROW(conn_->shell("true", 2s), AdbError);
  std::filesystem::remove_all(dir);
}

TEST_F(AdbConnectionItest, FrozenDeviceHitsTheIoTimeout) {
  AdbConnectOptions options;
  options.io_timeout = 1500ms;
  auto conn = AdbConnection::connect("127.0.0.1", device_->port(), options);
  auto dir = make_temp_dir("adbconn-stop");
  auto file = make_sparse_file(dir);
  std::thread freezer([&] {
    std::this_thread::sleep_for(500ms);
    device_->signal(SIGSTOP);  // alive but silent: only a timeout can save the caller
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(conn->push(file, "/data/local/tmp/sparse.bin"), AdbError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  freezer.join();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cp::adb
