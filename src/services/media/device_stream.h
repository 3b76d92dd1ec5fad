#pragma once
// One device's stream: its ADB connection and scrcpy session, shared by every viewer of the
// device. Video packets are fanned out from the session's reader thread into each viewer's
// ViewerFeed and written to its WebSocket; the config packet is cached for late joiners.
// A failing session ends only this stream (on_end), never another device's.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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

struct StreamOptions {
  std::string host;
  uint16_t port = 0;
  std::filesystem::path server_jar;  // pushed to the device before scrcpy starts
  int max_fps = 60;
  size_t viewer_queue = 16;  // frames per viewer before it is dropped to the next key frame
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
  FrameSize size() const;
  size_t viewer_count() const;
  bool running() const { return session_ && session_->running(); }
  void stop();
  // Sends a final text message to every viewer and closes them.
  void close_viewers(const std::string& reason);

 private:
  struct Viewer {
    std::shared_ptr<http::WsConnection> ws;
    Role role;
    ViewerFeed feed;
  };
  void on_video(scrcpy::VideoPacket&& packet);
  void on_device_message(scrcpy::DeviceMessage&& message);
  void send_meta(Viewer& viewer);  // caller holds mu_
  bool send_control(const scrcpy::ControlMessage& message);

  std::string device_id_;
  StreamOptions options_;
  std::unique_ptr<adb::AdbConnection> connection_;
  std::unique_ptr<scrcpy::ScrcpySession> session_;
  mutable std::mutex mu_;
  std::map<std::string, Viewer> viewers_;
  std::vector<uint8_t> config_;  // last SPS/PPS
  FrameSize size_;
};

}  // namespace cp::media
