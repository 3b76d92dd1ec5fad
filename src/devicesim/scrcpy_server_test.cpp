// End to end in-process: ScrcpyServer on a Screen, a client built from cp_android_scrcpy over
// MemoryPipes, H.264 decoded with libavcodec.
#include "devicesim/scrcpy_server.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "android/scrcpy/control_message.h"
#include "android/scrcpy/device_message.h"
#include "android/scrcpy/protocol.h"
#include "android/scrcpy/video_stream.h"
#include "devicesim/memory_pipe.h"
#include "devicesim/screen.h"
#include "devicesim/screen_test_support.h"
#include "devicesim/shell.h"

namespace cp::devicesim {
namespace {

using namespace std::chrono_literals;
namespace sc = cp::scrcpy;

constexpr const char* kSocket = "scrcpy_0000abcd";

// A scrcpy client: connects video then control, demuxes and decodes the video, collects
// device messages.
class TestClient {
 public:
  explicit TestClient(AbstractSockets& sockets) {
    video_ = connect(sockets);
    control_ = connect(sockets);
    video_thread_ = std::thread([this] { read_video(); });
    control_thread_ = std::thread([this] { read_control(); });
  }
  ~TestClient() {
    video_->close();
    control_->close();
    video_thread_.join();
    control_thread_.join();
  }

  void send(const sc::ControlMessage& m) { ASSERT_TRUE(control_->write(sc::encode(m))); }

  // Waits until `count` pictures exist in total; returns them.
  std::vector<testing::LumaPicture> wait_pictures(size_t count,
                                                  std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return pictures_.size() >= count; });
    return pictures_;
  }
  size_t picture_count() {
    std::lock_guard lock(mu_);
    return pictures_.size();
  }
  std::optional<sc::DeviceMessage> wait_device_message(std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !device_messages_.empty(); });
    if (device_messages_.empty()) return std::nullopt;
    auto m = device_messages_.front();
    device_messages_.erase(device_messages_.begin());
    return m;
  }
  std::string device_name() {
    std::lock_guard l(mu_);
    return device_name_;
  }
  sc::CodecMeta codec() {
    std::lock_guard l(mu_);
    return codec_;
  }
  int config_packets() {
    std::lock_guard l(mu_);
    return config_packets_;
  }

 private:
  static std::shared_ptr<MemoryPipe> connect(AbstractSockets& sockets) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      auto [ours, theirs] = MemoryPipe::create_pair();
      if (sockets.connect(kSocket, theirs)) {
        return ours;
      }
      std::this_thread::sleep_for(10ms);  // the server is not listening yet
    }
    throw std::runtime_error("scrcpy server never listened");
  }

  void read_video() {
    sc::VideoDemuxer demuxer;  // dummy byte, device meta, codec meta, frame meta
    testing::H264TestDecoder decoder;
    std::vector<uint8_t> config;
    std::array<uint8_t, 65536> buf{};
    try {
      while (size_t n = video_->read(buf)) {
        demuxer.feed(std::span(buf.data(), n));
        while (auto event = demuxer.next()) {
          std::lock_guard lock(mu_);
          if (auto* meta = std::get_if<sc::DeviceMeta>(&*event)) {
            device_name_ = meta->name;
          } else if (auto* codec = std::get_if<sc::CodecMeta>(&*event)) {
            codec_ = *codec;
          } else {
            auto& packet = std::get<sc::VideoPacket>(*event);
            if (packet.config) {
              config = packet.data;  // merged into the next media packet
              ++config_packets_;
              continue;
            }
            std::vector<uint8_t> au = std::move(config);
            config.clear();
            au.insert(au.end(), packet.data.begin(), packet.data.end());
            for (auto& picture : decoder.decode(au)) {
              pictures_.push_back(std::move(picture));
            }
            cv_.notify_all();
          }
        }
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "video stream: " << e.what();
    }
  }

  void read_control() {
    sc::DeviceMessageReader reader;
    std::array<uint8_t, 4096> buf{};
    while (size_t n = control_->read(buf)) {
      reader.feed(std::span(buf.data(), n));
      while (auto m = reader.next()) {
        std::lock_guard lock(mu_);
        device_messages_.push_back(*m);
        cv_.notify_all();
      }
    }
  }

  std::shared_ptr<MemoryPipe> video_, control_;
  std::thread video_thread_, control_thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<testing::LumaPicture> pictures_;
  std::vector<sc::DeviceMessage> device_messages_;
  std::string device_name_;
  sc::CodecMeta codec_;
  int config_packets_ = 0;
};

class ScrcpyServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_thread_ = std::thread([this] {
      ShellIo io{*stdin_,
                 [this](std::string_view s) {
                   append_log(s);
                   return true;
                 },
                 [this](std::string_view s) {
                   append_log(s);
                   return true;
                 },
                 cancelled_};
      exit_code_ = server_.serve({"3.3.4", "scid=0000abcd", "log_level=info", "audio=false",
                                  "tunnel_forward=true", "max_fps=30"},
                                 io);
    });
  }
  void TearDown() override {
    cancelled_ = true;
    server_thread_.join();
  }
  void append_log(std::string_view s) {
    std::lock_guard lock(log_mu_);
    log_ += s;
  }

  DeviceConfig config_;
  Screen screen_{config_, testing::sample_apps()};
  AbstractSockets sockets_;
  ScrcpyServer server_{screen_, sockets_, config_};
  std::shared_ptr<MemoryPipe> stdin_ = MemoryPipe::create_pair().first;
  std::atomic<bool> cancelled_{false};
  std::thread server_thread_;
  int exit_code_ = -1;
  std::mutex log_mu_;
  std::string log_;
};

sc::Position at(int x, int y) {
  return {x, y, 720, 1280};
}

TEST_F(ScrcpyServerTest, StreamsDecodableVideoAndTouchesShowWithinThreeFrames) {
  TestClient client(sockets_);
  const auto first = client.wait_pictures(1);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(client.device_name(), "Cloudphone Simulator");
  EXPECT_EQ(client.codec(), (sc::CodecMeta{sc::kCodecH264, 720, 1280}));
  EXPECT_EQ(first[0].width, 720);
  EXPECT_EQ(first[0].height, 1280);

  const size_t before = client.picture_count();
  const auto reference = client.wait_pictures(before).back();
  client.send(sc::InjectTouch{sc::MotionAction::kDown, 3, at(200, 1000), 1.0f, 0, 0});
  const auto after = client.wait_pictures(before + 3);
  ASSERT_GE(after.size(), before + 3);
  int best = 0;
  for (size_t i = before; i < before + 3; ++i) {
    best = std::max(best, testing::changed_luma(reference, after[i], 200, 1000, 24));
  }
  EXPECT_GT(best, 200) << "touch feedback not visible near (200, 1000) within 3 frames";
  EXPECT_EQ(testing::changed_luma(reference, after[before + 2], 600, 300, 24), 0);
  client.send(sc::InjectTouch{sc::MotionAction::kUp, 3, at(200, 1000), 0.0f, 0, 0});
  // A position for another video size is stale and ignored.
  client.send(sc::InjectTouch{sc::MotionAction::kDown, 4, {10, 10, 1080, 1920}, 1.0f, 0, 0});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(screen_.touch_count(), 1u);
}

TEST_F(ScrcpyServerTest, TextReachesTheLaunchedAppWindow) {
  TestClient client(sockets_);
  client.send(sc::StartApp{"com.example.notes"});
  std::this_thread::sleep_for(150ms);
  ASSERT_EQ(screen_.foreground_package(), "com.example.notes");
  const size_t before = client.wait_pictures(1).size();
  const auto reference = client.wait_pictures(before).back();
  client.send(sc::InjectText{"hello from scrcpy"});
  const auto after = client.wait_pictures(before + 3);
  ASSERT_GE(after.size(), before + 3);
  EXPECT_GT(testing::changed_luma(reference, after.back(), testing::kTextFieldX + 120,
                                  testing::kTextFieldY, 30),
            50);
  client.send(sc::InjectKeycode{sc::KeyAction::kDown, sc::kKeycodeBack, 0, 0});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(screen_.foreground_package(), "");
}

TEST_F(ScrcpyServerTest, ClipboardRoundTrips) {
  TestClient client(sockets_);
  client.send(sc::SetClipboard{77, false, "from the host"});
  auto ack = client.wait_device_message();
  ASSERT_TRUE(ack);
  EXPECT_EQ(std::get<sc::AckClipboardMessage>(*ack).sequence, 77u);
  EXPECT_EQ(screen_.clipboard(), "from the host");
  client.send(sc::GetClipboard{sc::CopyKey::kNone});
  auto clip = client.wait_device_message();
  ASSERT_TRUE(clip);
  EXPECT_EQ(std::get<sc::ClipboardMessage>(*clip).text, "from the host");
  screen_.set_clipboard("copied on the device");  // clipboard_autosync
  auto synced = client.wait_device_message();
  ASSERT_TRUE(synced);
  EXPECT_EQ(std::get<sc::ClipboardMessage>(*synced).text, "copied on the device");
}

TEST_F(ScrcpyServerTest, ResetVideoAndRotateStartNewCaptureSessions) {
  TestClient client(sockets_);
  client.wait_pictures(1);
  EXPECT_EQ(client.config_packets(), 1);
  client.send(sc::ResetVideo{});
  client.send(sc::RotateDevice{});
  for (int i = 0; i < 100 && client.config_packets() < 2; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_GE(client.config_packets(), 2);
  const size_t n = client.picture_count();
  const auto pictures = client.wait_pictures(n + 2);
  EXPECT_EQ(pictures.back().width, 1280);
  EXPECT_EQ(pictures.back().height, 720);
}

TEST_F(ScrcpyServerTest, EndsWhenTheClientClosesAndUnregisters) {
  {
    TestClient client(sockets_);
    client.wait_pictures(1);
  }
  for (int i = 0; i < 100 && exit_code_ < 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(exit_code_, 0);
  auto [a, b] = MemoryPipe::create_pair();
  EXPECT_FALSE(sockets_.connect(kSocket, b));
  std::lock_guard lock(log_mu_);
  EXPECT_NE(log_.find("SIMULATOR"), std::string::npos);
}

TEST(ScrcpyServerArgs, RejectsOtherProtocolVersions) {
  DeviceConfig config;
  Screen screen(config, testing::sample_apps());
  AbstractSockets sockets;
  ScrcpyServer server(screen, sockets, config);
  auto in = MemoryPipe::from_bytes("");
  std::atomic<bool> cancelled{false};
  std::string err;
  ShellIo io{*in, [](std::string_view) { return true; },
             [&](std::string_view s) {
               err += s;
               return true;
             },
             cancelled};
  EXPECT_EQ(server.serve({"2.7", "tunnel_forward=true"}, io), 1);
  EXPECT_NE(err.find("does not match"), std::string::npos);
}

}  // namespace
}  // namespace cp::devicesim
