// Google's real `adb` (29.0.6, from the `adb` fixture's server) against `cloudphone devicesim`.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "android/scrcpy/control_message.h"
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
    device_ = new DeviceProcess({"--model", kModel, "--width", "480", "--height", "864"});
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

TEST_F(AdbdWithGoogleAdb, ScreencapIsAPngOfTheConfiguredSize) {
  auto r = adb("exec-out screencap -p");
  ASSERT_EQ(r.exit_code, 0);
  const std::string& png = r.output;
  ASSERT_GE(png.size(), 33u) << png.substr(0, 200);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(png[at + i]);
    return v;
  };
  EXPECT_EQ(be32(16), 480u);  // width
  EXPECT_EQ(be32(20), 864u);  // height
  EXPECT_EQ(png.substr(png.size() - 8, 4), "IEND");
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

namespace {
// Reads exactly n bytes (SO_RCVTIMEO bounds each wait); false on EOF or timeout.
bool read_exactly(int fd, char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, out + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}
void set_receive_timeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}
}  // namespace

// The simulator's scrcpy server listens on localabstract:scrcpy_<scid> while it runs: the device
// speaks first on the video socket, and answers a control message on the control socket.
TEST_F(AdbdWithGoogleAdb, ForwardToLocalabstractCarriesBytesBothWays) {
  auto dir = make_temp_dir("adb-abstract");
  write_random_file(dir / "server.jar", 4096, 3);
  ASSERT_EQ(
      adb("push " + (dir / "server.jar").string() + " /data/local/tmp/scrcpy-server.jar").exit_code,
      0);
  auto server = std::async(std::launch::async, [this] {
    return adb(
        "shell CLASSPATH=/data/local/tmp/scrcpy-server.jar app_process / "
        "com.genymobile.scrcpy.Server 3.3.1 scid=0badcafe tunnel_forward=true audio=false "
        "control=true send_dummy_byte=true");
  });
  const uint16_t local = free_tcp_port();
  ASSERT_EQ(
      adb("forward tcp:" + std::to_string(local) + " localabstract:scrcpy_0badcafe").exit_code, 0);
  // Until the server listens, the forwarded connection is closed at once: retry.
  int video = -1;
  for (int attempt = 0; attempt < 100 && video < 0; ++attempt) {
    int fd = connect_loopback(local);
    if (fd >= 0) {
      set_receive_timeout(fd, 2);
      char dummy = 1;
      if (recv(fd, &dummy, 1, 0) == 1 && dummy == 0) {
        video = fd;
        break;
      }
      close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(video, 0) << "no scrcpy server on the forwarded localabstract socket";
  // Like scrcpy-server, the device meta follows once every socket (video, control) is connected.
  int control = connect_loopback(local);
  ASSERT_GE(control, 0);
  set_receive_timeout(control, 10);
  set_receive_timeout(video, 10);
  char name[64];
  bool got_name = read_exactly(video, name, sizeof name);
  if (!got_name) {
    close(control);
    close(video);
    FAIL() << "no device meta on the video socket";
  }
  EXPECT_EQ(std::string(name, strnlen(name, sizeof name)), kModel);
  auto request = scrcpy::encode(scrcpy::GetClipboard{});
  ASSERT_EQ(send(control, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  char header[5];
  ASSERT_TRUE(read_exactly(control, header, sizeof header)) << "no answer on the control socket";
  EXPECT_EQ(header[0], 0);  // DeviceMessage type: clipboard
  close(control);
  close(video);
  adb("forward --remove tcp:" + std::to_string(local));
  if (server.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    run_command("pkill -f 'scid=0badcafe'");
    ADD_FAILURE() << "the scrcpy server did not end when its sockets closed";
  }
  std::filesystem::remove_all(dir);
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
  auto removed = adb("uninstall com.example.basic");
  ASSERT_EQ(removed.exit_code, 0) << removed.output;
  EXPECT_NE(removed.output.find("Success"), std::string::npos) << removed.output;
  list = adb("shell pm list packages");
  EXPECT_EQ(list.output.find("package:com.example.basic"), std::string::npos) << list.output;
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
