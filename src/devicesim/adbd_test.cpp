// adbd in-process: a SimulatedDevice + Adbd on a free port, driven by our AdbConnection. Covers
// what needs the device's insides (localabstract listeners, the file tree, reboot).
#include "devicesim/adbd.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "android/adb/adb_connection.h"
#include "devicesim/adbd_test_support.h"

namespace cp::devicesim {
namespace {

using namespace std::chrono_literals;
using cp::adb::AdbConnection;
using cp::adb::AdbError;

class AdbdInProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = testing::make_temp_dir("adbd-test");
    DeviceConfig config;
    config.port = 0;
    config.state_dir = state_;
    device_ = std::make_unique<SimulatedDevice>(config);
    adbd_ = std::make_unique<Adbd>(*device_);
    device_->set_reboot_hook([this] { adbd_->drop_connections(); });
    conn_ = AdbConnection::connect("127.0.0.1", adbd_->start());
  }
  void TearDown() override {
    conn_.reset();
    adbd_.reset();
    device_.reset();
    std::filesystem::remove_all(state_);
  }
  std::filesystem::path state_;
  std::unique_ptr<SimulatedDevice> device_;
  std::unique_ptr<Adbd> adbd_;
  std::unique_ptr<AdbConnection> conn_;
};

TEST_F(AdbdInProcess, LocalAbstractStreamReachesTheListenerBothWays) {
  std::vector<std::thread> sessions;
  device_->sockets().listen("echo_sock", [&](std::shared_ptr<ByteStream> s) {
    sessions.emplace_back([s] {
      uint8_t greeting = 0;  // scrcpy-style: the device speaks first
      s->write(std::span(&greeting, 1));
      uint8_t buf[4096];
      while (size_t n = s->read(buf)) s->write(std::span(buf, n));
      s->close();
    });
  });
  auto stream = conn_->open_local_abstract("echo_sock");
  uint8_t first = 1;
  stream->read_exact(std::span(&first, 1), 5s);
  EXPECT_EQ(first, 0);
  std::string msg(300000, 'q');
  std::thread writer([&] { stream->write(msg, 10s); });
  std::string got(msg.size(), '\0');
  stream->read_exact(std::span(reinterpret_cast<uint8_t*>(got.data()), got.size()), 10s);
  writer.join();
  EXPECT_TRUE(got == msg);
  stream->close();
  for (auto& t : sessions) t.join();
  device_->sockets().unlisten("echo_sock");
  EXPECT_THROW(conn_->open_local_abstract("echo_sock"), AdbError);
}

TEST_F(AdbdInProcess, SyncStaysInsideTheDeviceTree) {
  auto sync = conn_->sync();
  // `..` above / is refused: nothing may appear next to the device tree.
  EXPECT_THROW(sync->push_bytes("outside", "/data/../../escape.txt"), AdbError);
  EXPECT_FALSE(std::filesystem::exists(state_ / "escape.txt"));
  EXPECT_FALSE(std::filesystem::exists(state_.parent_path() / "escape.txt"));
  EXPECT_THROW(sync->pull_bytes("/../props.json"), AdbError);
  sync->push_bytes("hello", "/sdcard/Download/new/dir/file.txt", 0100600, 1'600'000'000);
  auto host = state_ / "fs/sdcard/Download/new/dir/file.txt";
  ASSERT_TRUE(std::filesystem::exists(host));
  auto st = sync->stat("/sdcard/Download/new/dir/file.txt");
  EXPECT_EQ(st.mode & 0777, 0600u);
  EXPECT_EQ(st.mtime, 1'600'000'000);
  EXPECT_THROW(sync->push_bytes("x", "/sdcard/Download/new/dir", 0100644), AdbError);
}

TEST_F(AdbdInProcess, SyncV1RequestsGetV1Replies) {
  // Old hosts (no stat_v2/ls_v2) use STAT/LIST with 16- and 20-byte records.
  cp::adb::SyncClient v1(conn_->open("sync:"), false, false, 5s);
  v1.push_bytes("12345", "/sdcard/v1.txt");
  auto st = v1.stat("/sdcard/v1.txt");
  EXPECT_TRUE(st.is_regular());
  EXPECT_EQ(st.size, 5u);
  EXPECT_EQ(v1.stat("/sdcard/none").mode, 0u);  // missing file: all zeroes
  std::set<std::string> names;
  for (const auto& e : v1.list("/sdcard")) names.insert(e.name);
  EXPECT_TRUE(names.count("v1.txt") && names.count(".") && names.count(".."));
  EXPECT_EQ(v1.pull_bytes("/sdcard/v1.txt"), "12345");
}

TEST_F(AdbdInProcess, ExecStdinReachesTheCommandWhileTheStreamIsOpen) {
  // Raw exec has no half-close, so `cat` answers while we keep the stream open.
  auto stream = conn_->open("exec:cat");
  stream->write(std::string_view("piped through exec\n"), 5s);
  std::string got(19, '\0');
  stream->read_exact(std::span(reinterpret_cast<uint8_t*>(got.data()), got.size()), 5s);
  EXPECT_EQ(got, "piped through exec\n");
  stream->close();
  EXPECT_EQ(conn_->shell("echo after").out, "after\n");
}

TEST_F(AdbdInProcess, RebootDropsTheConnectionButKeepsListening) {
  conn_->reboot();
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (conn_->alive() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_FALSE(conn_->alive());
  auto again = AdbConnection::connect("127.0.0.1", adbd_->port());
  EXPECT_EQ(again->shell("echo back").out, "back\n");
}

}  // namespace
}  // namespace cp::devicesim
