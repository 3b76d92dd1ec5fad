// Two real AdbMux ends over a socketpair: host side (no services) and device side (a few test
// services). Exercises stream multiplexing, flow control and failure of a dead peer.
#include "android/adb/adb_mux.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <thread>

namespace cp::adb {
namespace {

using namespace std::chrono_literals;

std::function<void()> test_service(const std::string& service, std::shared_ptr<AdbStream> s) {
  if (service == "echo") {
    return [s] {
      uint8_t buf[8192];
      while (size_t n = s->read(buf, kNoTimeout)) s->write(std::span(buf, n), kNoTimeout);
      s->close();
    };
  }
  if (service == "greet") {
    return [s] {
      s->write(std::string_view("hello"), kNoTimeout);
      s->close();
    };
  }
  if (service == "silent") {
    return [s] { s->read_to_end(kNoTimeout); };
  }
  return nullptr;
}

class AdbMuxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    // A small max payload forces many WRTE/OKAY round trips.
    host_ = std::make_unique<AdbMux>(fds[0], PacketParser(), 4096, nullptr, "host");
    device_ = std::make_unique<AdbMux>(fds[1], PacketParser(), 4096, test_service, "device");
  }
  std::unique_ptr<AdbMux> host_;
  std::unique_ptr<AdbMux> device_;
};

std::string random_bytes(size_t n) {
  std::mt19937 rng(42);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST_F(AdbMuxTest, DeviceMayWriteRightAfterAcceptingAndThenClose) {
  auto s = host_->open("greet", 2s);
  EXPECT_EQ(s->read_to_end(2s), "hello");
}

TEST_F(AdbMuxTest, LargeTransferSurvivesFlowControlOnSeveralStreamsAtOnce) {
  const std::string data = random_bytes(3 * 1024 * 1024 + 17);
  auto run = [&] {
    auto s = host_->open("echo", 2s);
    std::string echoed;
    std::thread writer([&] { s->write(data, 20s); });
    uint8_t buf[65536];
    while (echoed.size() < data.size()) {
      size_t n = s->read(buf, 20s);
      ASSERT_GT(n, 0u);
      echoed.append(reinterpret_cast<char*>(buf), n);
    }
    writer.join();
    EXPECT_TRUE(echoed == data);
    s->close();
  };
  std::thread a(run), b(run);
  a.join();
  b.join();
}

TEST_F(AdbMuxTest, RefusedServiceThrows) {
  EXPECT_THROW(host_->open("no-such-service", 2s), AdbError);
  // The connection is still usable afterwards.
  EXPECT_EQ(host_->open("greet", 2s)->read_to_end(2s), "hello");
}

TEST_F(AdbMuxTest, ReadTimesOutWhenThePeerIsSilent) {
  auto s = host_->open("silent", 2s);
  auto start = std::chrono::steady_clock::now();
  uint8_t buf[16];
  EXPECT_THROW(s->read(buf, 200ms), AdbError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(AdbMuxTest, DeadPeerFailsPendingReadsPromptly) {
  auto s = host_->open("silent", 2s);
  std::thread killer([&] {
    std::this_thread::sleep_for(100ms);
    device_.reset();  // the device goes away with the stream open
  });
  auto start = std::chrono::steady_clock::now();
  uint8_t buf[16];
  EXPECT_THROW(s->read(buf, 30s), AdbError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  killer.join();
  EXPECT_FALSE(host_->alive());
  EXPECT_THROW(host_->open("greet", 1s), AdbError);
  EXPECT_THROW(s->write(std::string_view("x"), 1s), AdbError);
}

TEST(AdbMuxRawPeer, GarbageFromThePeerDropsTheConnectionCleanly) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  AdbMux device(fds[1], PacketParser(), 4096, test_service, "device");
  auto bad = encode_message(kOpen, 1, 0, std::string_view("echo"));
  bad[20] ^= 0x55;  // corrupt the magic
  ASSERT_EQ(write(fds[0], bad.data(), bad.size()), static_cast<ssize_t>(bad.size()));
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (device.alive() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(device.alive());
  EXPECT_NE(device.dead_reason().find("magic"), std::string::npos) << device.dead_reason();
  char c;
  EXPECT_EQ(read(fds[0], &c, 1), 0);  // the device closed its end
  close(fds[0]);
}

}  // namespace
}  // namespace cp::adb
