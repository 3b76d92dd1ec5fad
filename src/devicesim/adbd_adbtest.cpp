// Google's real `adb` (29.0.6, from the `adb` fixture's server) against `cloudphone devicesim`.
#include <gtest/gtest.h>

#include "devicesim/adbd_test_support.h"

namespace cp::devicesim {
namespace {

using namespace cp::devicesim::testing;

constexpr const char* kModel = "Sim Model 7";

// Runs `adb` against the fixture's server, with the server's HOME (and so its key).
class AdbCli {
 public:
  AdbCli() {
    auto env = read_env_file(env_or("CP_TEST_ENV_DIR", ".") + "/adb.env");
    port_ = env["ADB_SERVER_PORT"];
    home_ = env["ADB_HOME"];
    pubkey_ = env["ADB_PUBKEY"];
  }
  bool available() const { return !port_.empty(); }
  CommandResult run(const std::string& args) const {
    return run_command("HOME='" + home_ + "' timeout 120 adb -P " + port_ + " " + args);
  }
  const std::string& pubkey() const { return pubkey_; }

 private:
  std::string port_, home_, pubkey_;
};

class AdbdWithGoogleAdb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    device_ = new DeviceProcess({"--model", kModel});
    serial_ = device_->serial();
  }
  static void TearDownTestSuite() {
    AdbCli().run("disconnect " + serial_);
    delete device_;
  }
  void SetUp() override {
    if (!adb_.available()) GTEST_SKIP() << "adb fixture env missing ($CP_TEST_ENV_DIR/adb.env)";
    auto r = adb_.run("connect " + serial_);
    ASSERT_NE(r.output.find("connected to " + serial_), std::string::npos) << r.output;
  }
  CommandResult adb(const std::string& args) { return adb_.run("-s " + serial_ + " " + args); }

  AdbCli adb_;
  static DeviceProcess* device_;
  static std::string serial_;
};
DeviceProcess* AdbdWithGoogleAdb::device_ = nullptr;
std::string AdbdWithGoogleAdb::serial_;

TEST_F(AdbdWithGoogleAdb, DevicesListsTheSimulatorAsDevice) {
  auto r = adb_.run("devices");
  EXPECT_NE(r.output.find(serial_ + "\tdevice"), std::string::npos) << r.output;
  auto l = adb_.run("devices -l");
  EXPECT_NE(l.output.find("model:Sim_Model_7"), std::string::npos) << l.output;
}

TEST_F(AdbdWithGoogleAdb, ShellGetpropPrintsTheConfiguredModel) {
  auto r = adb("shell getprop ro.product.model");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, std::string(kModel) + "\n");
}

TEST_F(AdbdWithGoogleAdb, ShellExitCodeIsPassedThrough) {
  EXPECT_EQ(adb("shell 'exit 3'").exit_code, 3);
  EXPECT_EQ(adb("shell true").exit_code, 0);
}

TEST_F(AdbdWithGoogleAdb, ExecOutIsBinaryClean) {
  auto r = adb("exec-out echo hello");
  EXPECT_EQ(r.output, "hello\n");
}

TEST_F(AdbdWithGoogleAdb, PushAndPullTwentyMegabytesRoundTrip) {
  auto dir = make_temp_dir("adb-push");
  write_random_file(dir / "in.bin", 20 * 1024 * 1024, 7);
  auto push = adb("push " + (dir / "in.bin").string() + " /sdcard/Download/big.bin");
  ASSERT_EQ(push.exit_code, 0) << push.output;
  auto pull = adb("pull /sdcard/Download/big.bin " + (dir / "out.bin").string());
  ASSERT_EQ(pull.exit_code, 0) << pull.output;
  EXPECT_EQ(sha256_file(dir / "in.bin"), sha256_file(dir / "out.bin"));
  EXPECT_EQ(sha256_file(dir / "in.bin"),
            sha256_file(device_->state_dir() / "fs/sdcard/Download/big.bin"));
  // Pushing into a directory puts the file under its own name; pulling a missing file fails.
  ASSERT_EQ(adb("push " + (dir / "in.bin").string() + " /data/local/tmp/").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(device_->state_dir() / "fs/data/local/tmp/in.bin"));
  EXPECT_NE(adb("pull /sdcard/nope.bin " + (dir / "x").string()).exit_code, 0);
  std::filesystem::remove_all(dir);
}

TEST_F(AdbdWithGoogleAdb, ForwardTcpCarriesBytesBothWays) {
  EchoServer echo;
  uint16_t local = free_tcp_port();
  auto r = adb("forward tcp:" + std::to_string(local) + " tcp:" + std::to_string(echo.port()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  int fd = connect_loopback(local);
  ASSERT_GE(fd, 0);
  std::string msg(100000, 'x');
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<char>('a' + i % 26);
  ASSERT_EQ(send(fd, msg.data(), msg.size(), MSG_NOSIGNAL), static_cast<ssize_t>(msg.size()));
  std::string got;
  char buf[65536];
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  while (got.size() < msg.size()) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_TRUE(got == msg) << "echoed " << got.size() << " of " << msg.size() << " bytes";
  adb("forward --remove tcp:" + std::to_string(local));
}

TEST_F(AdbdWithGoogleAdb, ForwardToAMissingLocalabstractSocketIsClosed) {
  // Nothing listens on this name inside the simulator: adbd refuses, the server closes.
  uint16_t local = free_tcp_port();
  ASSERT_EQ(adb("forward tcp:" + std::to_string(local) + " localabstract:nobody_here").exit_code,
            0);
  int fd = connect_loopback(local);
  ASSERT_GE(fd, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char c;
  EXPECT_EQ(recv(fd, &c, 1, 0), 0);  // EOF, not a timeout (-1)
  close(fd);
  adb("forward --remove tcp:" + std::to_string(local));
}

TEST_F(AdbdWithGoogleAdb, InstallStreamsTheApkToThePackageManager) {
  std::filesystem::path apks = env_or("CP_BINARY_DIR", ".") + "/test-apks";
  if (!std::filesystem::exists(apks / "basic.apk")) {
    run_command("bash '" + env_or("CP_SOURCE_DIR", ".") + "/scripts/testdata/make-test-apks.sh' '" +
                apks.string() + "'");
  }
  if (!std::filesystem::exists(apks / "basic.apk")) {
    GTEST_SKIP() << "test APKs not available (scripts/testdata/make-test-apks.sh failed)";
  }
  auto r = adb("install " + (apks / "basic.apk").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Success"), std::string::npos) << r.output;
  auto list = adb("shell pm list packages");
  EXPECT_NE(list.output.find("package:com.example.basic"), std::string::npos) << list.output;
}

TEST(AdbdAuthWithGoogleAdb, AcceptsTheServersKeyAndRejectsOthers) {
  AdbCli adb;
  if (!adb.available()) GTEST_SKIP() << "adb fixture env missing";
  DeviceProcess trusting({"--auth-required", "--adb-keys", adb.pubkey()});
  auto r = adb.run("connect " + trusting.serial());
  EXPECT_NE(r.output.find("connected to"), std::string::npos) << r.output;
  auto devices = adb.run("devices");
  EXPECT_NE(devices.output.find(trusting.serial() + "\tdevice"), std::string::npos)
      << devices.output;
  EXPECT_EQ(adb.run("-s " + trusting.serial() + " shell echo ok").output, "ok\n");
  adb.run("disconnect " + trusting.serial());

  auto other_keys = make_temp_dir("adb-otherkeys");
  { std::ofstream(other_keys / "adb_keys") << "\n"; }
  DeviceProcess strict({"--auth-required", "--adb-keys", (other_keys / "adb_keys").string()});
  adb.run("connect " + strict.serial());
  auto listed = adb.run("devices");
  EXPECT_NE(listed.output.find(strict.serial() + "\tunauthorized"), std::string::npos)
      << listed.output;
  EXPECT_NE(adb.run("-s " + strict.serial() + " shell echo ok").exit_code, 0);
  adb.run("disconnect " + strict.serial());
  std::filesystem::remove_all(other_keys);
}

}  // namespace
}  // namespace cp::devicesim
