#pragma once
// One device's stream: its ADB connection and scrcpy session, shared by every viewer of the
// device. Video packets are fanned out from the session's reader thread into each viewer's
// ViewerFeed and written to its WebSocket; the config packet is cached for late joiners.
// Control messages go through a queue to the stream's own control thread: a scrcpy control
// write can block (ADB flow control), and it must never block the I/O thread that received the
// input. restart() applies new settings (size, fps, bit rate) with a new scrcpy session on the
// same ADB connection, keeping the viewers. A failing session ends only this stream (on_end),
// never another device's.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "android/scrcpy/device_message.h"
#include "android/scrcpy/scrcpy_session.h"
#include "core/websocket.h"
#include "services/media/coords.h"
#include "services/media/roles.h"
#include "services/media/viewer_feed.h"

namespace cp::adb {
class AdbConnection;
}

namespace cp::media {

// What the device encodes: applied by restarting its scrcpy session (pass-through cannot
// re-encode). 0 = the device's own value.
struct StreamSettings {
  int max_size = 0;  // longer side in pixels
  int max_fps = 60;
  int bit_rate = 8'000'000;
  bool operator==(const StreamSettings&) const = default;
};

struct StreamOptions {
  std::string host;
  uint16_t port = 0;
  std::filesystem::path server_jar;  // pushed to the device before scrcpy starts
  StreamSettings settings;
  size_t viewer_queue = 16;  // frames per viewer before it is dropped to the next key frame
  ViewerFeed::BacklogLimit viewer_backlog;  // a viewer's socket backlog before it is thinned
  size_t control_queue = 256;               // control messages waiting for the device
};

// Something that wants the device's packets as they arrive (a recording).
class PacketSink {
 public:
  virtual ~PacketSink() = default;
  virtual void on_config(std::span<const uint8_t> annexb) = 0;
  virtual void on_frame(std::span<const uint8_t> annexb, bool key_frame, int64_t pts_us) = 0;
};

struct StreamStats {
  double fps = 0;       // access units per second from the device (last full second)
  double bit_rate = 0;  // bits per second from the device (same window)
  uint64_t frames = 0;  // since the stream started
  uint64_t key_frame_requests = 0;
  size_t viewers = 0;
};

class DeviceStream {
 public:
  using EndCallback = std::function<void(const std::string& device_id, const std::string& reason)>;
  // Blocks until scrcpy runs on the device; throws (adb::AdbError, scrcpy::ProtocolError) if not.
  DeviceStream(std::string device_id, const StreamOptions& options, EndCallback on_end);
  ~DeviceStream();  // stop()
  DeviceStream(const DeviceStream&) = delete;
  DeviceStream& operator=(const DeviceStream&) = delete;

  void attach(const std::string& session_id, std::shared_ptr<http::WsConnection> ws, Role role);
  void detach(const std::string& session_id);
  void set_role(const std::string& session_id, Role role);  // tells the viewer
  // Input text from a viewer; applied only for the controller.
  void input(const std::string& session_id, std::string_view text);
  void request_key_frame(const std::string& session_id);
  // A fresh IDR for everyone (a new recording, a viewer that caught up).
  void request_key_frame();
  // Starts a new scrcpy session with `settings` and switches to it; viewers stay attached and
  // get the new size in a meta message. Throws like the constructor (the stream then ends).
  void restart(const StreamSettings& settings);
  StreamSettings settings() const;
  void add_sink(const std::string& id, std::shared_ptr<PacketSink> sink);
  void remove_sink(const std::string& id);
  FrameSize size() const;
  size_t viewer_count() const;
  StreamStats stats() const;
  bool running() const;
  void stop();
  // Sends a final text message to every viewer and closes them.
  void close_viewers(const std::string& reason);

 private:
  using Clock = std::chrono::steady_clock;
  struct Viewer {
    std::shared_ptr<http::WsConnection> ws;
    Role role;
    ViewerFeed feed;
  };
  std::shared_ptr<scrcpy::ScrcpySession> start_session(const StreamSettings& settings);
  std::shared_ptr<scrcpy::ScrcpySession> session() const;
  void on_video(scrcpy::VideoPacket&& packet);
  void on_device_message(scrcpy::DeviceMessage&& message);
  void on_session_end(uint64_t generation, const std::string& reason);
  void send_meta(Viewer& viewer);                     // caller holds mu_
  void send_control(scrcpy::ControlMessage message);  // queued for the control thread
  void control_loop();
  void count_frame(size_t bytes);  // caller holds mu_

  std::string device_id_;
  StreamOptions options_;
  EndCallback on_end_;
  std::unique_ptr<adb::AdbConnection> connection_;
  std::mutex restart_mu_;  // one restart at a time
  mutable std::mutex session_mu_;
  std::shared_ptr<scrcpy::ScrcpySession> session_;  // session_mu_
  uint64_t generation_ = 0;                         // session_mu_: the current session's number
  StreamSettings settings_;                         // session_mu_

  mutable std::mutex mu_;
  std::map<std::string, Viewer> viewers_;
  std::map<std::string, std::shared_ptr<PacketSink>> sinks_;
  std::vector<uint8_t> config_;  // last SPS/PPS
  FrameSize size_;
  StreamStats stats_;
  Clock::time_point window_start_ = Clock::now();
  uint64_t window_frames_ = 0, window_bytes_ = 0;
  // Key frames for viewers that caught up after congestion: rate-limited, never lost.
  static constexpr std::chrono::milliseconds kRecoveryKeyFrameInterval{500};
  bool pending_key_frame_ = false;
  Clock::time_point last_recovery_key_frame_{};

  std::mutex control_mu_;
  std::condition_variable control_cv_;
  std::deque<scrcpy::ControlMessage> control_queue_;
  bool reset_queued_ = false;  // a ResetVideo is already waiting: requests coalesce
  bool control_stop_ = false;
  std::thread control_thread_;
};

}  // namespace cp::media
