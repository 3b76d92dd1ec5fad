// WebRtcPeer's process handling with stand-in workers (shell scripts speaking the wire format):
// messages from the worker reach the callbacks, close() never blocks and reaps the worker, a
// worker that dies (as webrtcbin's assertions make it) ends only its own peer.
#include "services/media/webrtc_peer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace cp::media {
namespace {

class FakeSocket final : public http::WsConnection {
 public:
  bool send_text(std::string message) override {
    std::lock_guard lock(mu);
    texts.push_back(std::move(message));
    return true;
  }
  bool send_binary(std::string) override { return true; }
  void close() override { closed = true; }
  std::mutex mu;
  std::vector<std::string> texts;
  std::atomic<bool> closed{false};
};

std::string script(const std::string& name, const std::string& body) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("cp-webrtc-peer-" + name + "-" + std::to_string(::getpid()) + ".sh");
  std::ofstream(path) << "#!/bin/bash\n" << body << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path.string();
}

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

template <class F>
bool eventually(F f) {
  for (int i = 0; i < 200; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

TEST(WebRtcPeer, WorkerMessagesReachTheCallbacksAndCloseReapsIt) {
  // Says: a key frame request, an input message, an offer; then reads until EOF.
  const auto exe = script("echo", R"(printf 'K\000\000\000\000' >&3
printf 'I\000\000\000\011{"t":"x"}' >&3
printf 'S\000\000\000\015{"t":"offer"}' >&3
exec cat <&3 >/dev/null)");
  auto socket = std::make_shared<FakeSocket>();
  std::promise<std::string> input;
  std::atomic<int> key_frames{0}, ended{0};
  WebRtcPeerOptions options;
  options.worker_exe = exe;
  auto peer = WebRtcPeer::start(options, socket,
                                {[&](std::string_view text) { input.set_value(std::string(text)); },
                                 [&] { ++key_frames; }, [&](const std::string&) { ++ended; }});
  auto got = input.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(got.get(), R"({"t":"x"})");
  EXPECT_TRUE(eventually([&] {
    std::lock_guard lock(socket->mu);
    return !socket->texts.empty();
  }));
  EXPECT_EQ(socket->texts.at(0), R"({"t":"offer"})");  // signalling goes to the browser
  EXPECT_EQ(key_frames.load(), 1);
  const pid_t pid = peer->pid();
  EXPECT_TRUE(alive(pid));

  const auto t0 = std::chrono::steady_clock::now();
  peer->close();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(50));  // no waiting
  EXPECT_TRUE(socket->closed);
  EXPECT_TRUE(eventually([&] { return !alive(pid); }));  // EOF ended it, and it was reaped
  EXPECT_EQ(ended.load(), 0);                            // closed by us: not a failure
  EXPECT_FALSE(peer->send_binary(std::string("\x03", 1) + std::string(8, '\0') + "x"));
  std::filesystem::remove(exe);
}

TEST(WebRtcPeer, ADyingWorkerEndsOnlyItsOwnPeer) {
  const auto crashing = script("abort", "read -r -t 0.2 <&3; kill -ABRT $$");
  const auto steady = script("steady", "exec cat <&3 >/dev/null");
  auto s1 = std::make_shared<FakeSocket>();
  auto s2 = std::make_shared<FakeSocket>();
  std::promise<std::string> why;
  std::atomic<int> other_ended{0};
  WebRtcPeerOptions options;
  options.worker_exe = crashing;
  auto doomed = WebRtcPeer::start(
      options, s1, {{}, {}, [&](const std::string& reason) { why.set_value(reason); }});
  options.worker_exe = steady;
  auto survivor =
      WebRtcPeer::start(options, s2, {{}, {}, [&](const std::string&) { ++other_ended; }});
  auto reason = why.get_future();
  ASSERT_EQ(reason.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_NE(reason.get().find("signal 6"), std::string::npos);
  // The other peer still takes video and its worker runs.
  const std::string key = std::string("\x02", 1) + std::string(8, '\0') + std::string(1000, 'k');
  EXPECT_TRUE(survivor->send_binary(key));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(alive(survivor->pid()));
  EXPECT_EQ(other_ended.load(), 0);
  survivor->close();
  EXPECT_TRUE(eventually([&] { return !alive(survivor->pid()); }));
  std::filesystem::remove(crashing);
  std::filesystem::remove(steady);
}

TEST(WebRtcPeer, AWorkerThatCannotStartIsReported) {
  auto socket = std::make_shared<FakeSocket>();
  WebRtcPeerOptions options;
  options.worker_exe = "/nonexistent/cloudphone";
  EXPECT_THROW(WebRtcPeer::start(options, socket, {}), std::runtime_error);
}

}  // namespace
}  // namespace cp::media
