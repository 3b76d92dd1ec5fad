#pragma once
// Internal to ScrcpyServer: one client session (its sockets and the video and control loops).
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "android/scrcpy/control_message.h"
#include "android/scrcpy/device_message.h"
#include "android/scrcpy/server_options.h"
#include "devicesim/device.h"

namespace cp::devicesim {

class Screen;

struct ScrcpySession {
  ScrcpySession(Screen& s, scrcpy::ServerOptions o, int device_fps,
                std::function<void(const std::string&)> log_fn)
      : screen(s), options(std::move(o)), fps(device_fps), log(std::move(log_fn)) {}

  Screen& screen;
  const scrcpy::ServerOptions options;
  const int fps;  // the device's refresh rate; max_fps may lower it
  std::function<void(const std::string&)> log;
  // Draw the capture time into every frame (time_stamp.h); frames then flow at the full rate.
  bool stamp = false;
  // Where applied input is reported (the device's logcat), so tests can check what arrived.
  std::function<void(const std::string&)> input_log;

  std::shared_ptr<ByteStream> video, audio, control;
  std::atomic<bool> stop{false};
  std::atomic<bool> reset_video{false};
  // Current video size (what touch positions are expressed in); set by the video loop.
  std::atomic<int> video_width{0}, video_height{0};

  std::mutex control_write_mu;  // device messages come from the control loop and the clipboard
  std::string last_synced_clipboard;  // guarded by control_write_mu: avoids echoing it back

  void run_video();    // until stop or the socket closes
  void run_control();  // same
  bool write_all(ByteStream& stream, const std::vector<uint8_t>& bytes);
  bool send(const scrcpy::DeviceMessage& message);
  void on_device_clipboard(const std::string& text);  // clipboard_autosync
  void apply(const scrcpy::ControlMessage& message);
};

// Video size for a screen size: both multiples of 8 (as the real server), the larger dimension
// capped at max_size (0 = no cap) with the aspect ratio kept.
std::pair<int, int> scrcpy_video_size(int width, int height, int max_size);

}  // namespace cp::devicesim
