// ScrcpySession against `cloudphone devicesim` run as a child process, over our own ADB client:
// the H.264 it streams is decoded with libavcodec and checked for the effects of control messages.
#include "android/scrcpy/scrcpy_session.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <condition_variable>
#include <fstream>

#include "android/adb/adb_connection.h"
#include "android/scrcpy/packet_merger.h"
#include "devicesim/adbd_test_support.h"
#include "devicesim/h264_test_decoder.h"

namespace cp::scrcpy {
namespace {

using namespace std::chrono_literals;
using cp::devicesim::testing::DeviceProcess;
using cp::devicesim::testing::make_temp_dir;

using cp::devicesim::testing::H264TestDecoder;
using cp::devicesim::testing::LumaPicture;

// Pixels in the square of half-size r around (x, y) whose luma differs by more than 24.
int changed_luma(const LumaPicture& a, const LumaPicture& b, int x, int y, int r) {
  int n = 0;
  for (int yy = std::max(0, y - r); yy < std::min(a.height, y + r); ++yy) {
    for (int xx = std::max(0, x - r); xx < std::min(a.width, x + r); ++xx) {
      n += std::abs(a.at(xx, yy) - b.at(xx, yy)) > 24;
    }
  }
  return n;
}

// Decodes what the session delivers; tests wait for picture counts.
class DecodingClient {
 public:
  ScrcpySessionCallbacks callbacks() {
    return {[this](VideoPacket&& p) { on_video(std::move(p)); }, nullptr,
            [this](const std::string& reason) {
              std::lock_guard lock(mu_);
              end_reason_ = reason;
              ended_ = true;
              cv_.notify_all();
            }};
  }
  // All pictures once at least `count` exist (or the timeout passed).
  std::vector<LumaPicture> wait_pictures(size_t count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return pictures_.size() >= count; });
    return pictures_;
  }
  size_t picture_count() {
    std::lock_guard lock(mu_);
    return pictures_.size();
  }
  std::string decode_error() {
    std::lock_guard lock(mu_);
    return decode_error_;
  }

 private:
  void on_video(VideoPacket&& packet) {
    auto au = merger_.merge(std::move(packet));
    if (!au) {
      return;
    }
    try {
      auto pictures = decoder_.decode(au->data);
      std::lock_guard lock(mu_);
      for (auto& p : pictures) pictures_.push_back(std::move(p));
      cv_.notify_all();
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      decode_error_ = e.what();
    }
  }

  PacketMerger merger_;
  H264TestDecoder decoder_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<LumaPicture> pictures_;
  std::string decode_error_;
  std::string end_reason_;
  bool ended_ = false;
};

Position at(int x, int y) {
  return {x, y, 720, 1280};
}

class ScrcpySessionItest : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = std::make_unique<DeviceProcess>(
        std::vector<std::string>{"--width", "720", "--height", "1280", "--fps", "30"});
    conn_ = adb::AdbConnection::connect("127.0.0.1", device_->port());
    dir_ = make_temp_dir("scrcpy-session-itest");
    std::ofstream(dir_ / "scrcpy-server.jar") << "not a real jar: the simulator needs the file\n";
  }
  void TearDown() override {
    session_.reset();
    conn_.reset();
    device_.reset();
    std::filesystem::remove_all(dir_);
  }
  void start_session() {
    ScrcpySessionOptions options;
    options.push_server_from = dir_ / "scrcpy-server.jar";
    options.server.max_fps = 30;
    session_ = ScrcpySession::start(*conn_, options, client_.callbacks());
  }

  std::unique_ptr<DeviceProcess> device_;
  std::unique_ptr<adb::AdbConnection> conn_;
  std::filesystem::path dir_;
  DecodingClient client_;
  std::unique_ptr<ScrcpySession> session_;
};

TEST_F(ScrcpySessionItest, TouchChangesDecodedFramesNearThePointWithinThreeFrames) {
  start_session();
  EXPECT_EQ(session_->codec(), (CodecMeta{kCodecH264, 720, 1280}));
  EXPECT_FALSE(session_->device().name.empty());
  EXPECT_TRUE(session_->socket().starts_with("scrcpy_"));
  const auto first = client_.wait_pictures(1);
  ASSERT_FALSE(first.empty()) << client_.decode_error() << session_->server_log();
  EXPECT_EQ(first[0].width, 720);
  EXPECT_EQ(first[0].height, 1280);

  const size_t before = client_.picture_count();
  const auto reference = client_.wait_pictures(before).back();
  ASSERT_TRUE(session_->send(InjectTouch{MotionAction::kDown, 1, at(200, 1000), 1.0f, 0, 0}));
  const auto after = client_.wait_pictures(before + 3);
  ASSERT_GE(after.size(), before + 3);
  int best = 0;
  for (size_t i = before; i < before + 3; ++i) {
    best = std::max(best, changed_luma(reference, after[i], 200, 1000, 24));
  }
  EXPECT_GT(best, 200) << "touch feedback not visible near (200, 1000) within 3 frames";
  // Only near the touch: a point far from it (below the status bar clock) stays the same.
  EXPECT_EQ(changed_luma(reference, after[before + 2], 600, 500, 24), 0);
  EXPECT_TRUE(session_->send(InjectTouch{MotionAction::kUp, 1, at(200, 1000), 0.0f, 0, 0}));
  EXPECT_EQ(client_.decode_error(), "");
  session_->stop();
  EXPECT_FALSE(session_->running());
  EXPECT_EQ(session_->error(), "");
}

TEST_F(ScrcpySessionItest, TextReachesTheLaunchedAppWindow) {
  const char* apk_dir = getenv("CP_TEST_APK_DIR");
  ASSERT_TRUE(apk_dir != nullptr &&
              std::filesystem::exists(std::filesystem::path(apk_dir) / "basic.apk"))
      << "CP_TEST_APK_DIR must hold the test APKs (ctest fixture testapks)";
  conn_->install(std::filesystem::path(apk_dir) / "basic.apk");
  start_session();
  ASSERT_FALSE(client_.wait_pictures(1).empty());
  const auto launched = conn_->shell("monkey -p com.example.basic 1");
  ASSERT_EQ(launched.exit_code, 0) << launched.out << launched.err;

  // The app's window: a text field 72 dp below the 24 dp status bar (dp = 2 at 320 dpi), text
  // drawn from its left edge. Wait until the window has settled (two equal pictures there).
  constexpr int kFieldX = 40 + 120, kFieldY = 48 + 144 + 40;
  LumaPicture reference;
  for (int i = 0; i < 50; ++i) {
    const size_t n = client_.picture_count();
    const auto pictures = client_.wait_pictures(n + 2);
    ASSERT_GE(pictures.size(), n + 2);
    reference = pictures.back();
    if (changed_luma(pictures[pictures.size() - 2], reference, kFieldX, kFieldY, 30) == 0) {
      break;
    }
  }
  const size_t before = client_.picture_count();
  ASSERT_TRUE(session_->send(InjectText{"hello from scrcpy"}));
  const auto after = client_.wait_pictures(before + 3);
  ASSERT_GE(after.size(), before + 3);
  int best = 0;
  for (size_t i = before; i < before + 3; ++i) {
    best = std::max(best, changed_luma(reference, after[i], kFieldX, kFieldY, 30));
  }
  EXPECT_GT(best, 50) << "typed text not visible in the app's text field within 3 frames";
}

TEST_F(ScrcpySessionItest, KilledDeviceEndsTheSessionWithAnErrorPromptly) {
  start_session();
  ASSERT_FALSE(client_.wait_pictures(1).empty());
  const auto killed_at = std::chrono::steady_clock::now();
  device_->signal(SIGKILL);
  ASSERT_TRUE(session_->wait_ended(5s)) << "session still running 5 s after the device died";
  EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 5s);
  EXPECT_FALSE(session_->error().empty());
  EXPECT_FALSE(session_->send(InjectText{"too late"}));
  EXPECT_THROW(conn_->shell("echo hi", 2s), adb::AdbError);
  session_->stop();  // joins promptly
}

TEST_F(ScrcpySessionItest, StartFailsWithTheServerErrorWhenTheJarIsMissing) {
  ScrcpySessionOptions options;  // nothing pushed: app_process cannot find the class
  options.start_timeout = 5s;
  try {
    session_ = ScrcpySession::start(*conn_, options, client_.callbacks());
    FAIL() << "started without a server jar";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("ClassNotFoundException"), std::string::npos) << e.what();
  }
  EXPECT_EQ(conn_->shell("echo still-usable").out, "still-usable\n");
}

}  // namespace
}  // namespace cp::scrcpy
