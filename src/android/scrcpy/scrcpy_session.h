#pragma once
// ScrcpySession: one scrcpy v3 client session over an AdbConnection, as scrcpy's own client runs
// it in forward-tunnel mode: push the server (optional), launch the `app_process` command line
// on a shell stream, open `localabstract:scrcpy_<scid>` for video then control, read the device
// and codec meta, then deliver video packets and device messages from reader threads.
// Control messages are sent from any thread. The session ends on stop(), when the device closes
// a socket, or with an error (device gone, protocol error, stalled video) — never by hanging.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "android/scrcpy/control_message.h"
#include "android/scrcpy/device_message.h"
#include "android/scrcpy/server_options.h"
#include "android/scrcpy/video_stream.h"

namespace cp::adb {
class AdbConnection;
class AdbStream;
}  // namespace cp::adb

namespace cp::scrcpy {

struct ScrcpySessionOptions {
  // scid < 0 picks a random one; tunnel_forward and audio are forced (true / false): the session
  // opens the sockets itself and has no audio path.
  ServerOptions server;
  std::string server_path = kDefaultServerPath;
  // Local server file pushed to server_path first; empty = already on the device.
  std::filesystem::path push_server_from;
  std::chrono::milliseconds start_timeout{10'000};  // server launch → both sockets + meta
  // A video socket silent this long is an error (devices repeat the last frame every 100 ms).
  std::chrono::milliseconds video_stall_timeout{5'000};
  std::chrono::milliseconds control_write_timeout{5'000};
};

// Callbacks run on the session's threads; they may call send() or stop(), but must not destroy
// the session.
struct ScrcpySessionCallbacks {
  // Reader thread, in stream order: config packets (SPS/PPS, config = true) and access units.
  std::function<void(VideoPacket&&)> on_video;
  // Control reader thread: clipboard, clipboard acks, UHID output.
  std::function<void(DeviceMessage&&)> on_device_message;
  // Once, from a session thread or stop(): empty reason = stopped by us.
  std::function<void(const std::string& reason)> on_end;
};

class ScrcpySession {
 public:
  // Blocks until the server is up and the device and codec meta are read; throws
  // adb::AdbError or ProtocolError (with the server's output) when that fails.
  static std::unique_ptr<ScrcpySession> start(adb::AdbConnection& connection,
                                              ScrcpySessionOptions options,
                                              ScrcpySessionCallbacks callbacks);
  ~ScrcpySession();  // stop()
  ScrcpySession(const ScrcpySession&) = delete;
  ScrcpySession& operator=(const ScrcpySession&) = delete;

  const DeviceMeta& device() const { return device_; }
  const CodecMeta& codec() const { return codec_; }
  const std::string& socket() const { return socket_; }

  // Sends one control message; false once the session has ended (the reason is in error()).
  bool send(const ControlMessage& message);
  // Closes the sockets and the server's shell stream and joins the threads. Idempotent.
  void stop();
  bool running() const { return !ended_; }
  // Waits until the session ends; true if it did within the timeout.
  bool wait_ended(std::chrono::milliseconds timeout);
  // Why the session ended ("" while running or when stopped by us).
  std::string error() const;
  // What the server printed on its shell stream so far.
  std::string server_log() const;

 private:
  ScrcpySession(ScrcpySessionOptions options, ScrcpySessionCallbacks callbacks);
  void launch(adb::AdbConnection& connection);
  void read_meta();
  void video_loop();
  void control_loop();
  void log_loop();
  void end(const std::string& reason);

  ScrcpySessionOptions options_;
  ScrcpySessionCallbacks callbacks_;
  std::string socket_;
  std::shared_ptr<adb::AdbStream> shell_, video_, control_;
  VideoDemuxer demuxer_;
  DeviceMeta device_;
  CodecMeta codec_;
  std::thread video_thread_, control_thread_, log_thread_;
  std::mutex send_mu_;
  mutable std::mutex mu_;
  std::condition_variable ended_cv_;
  std::atomic<bool> ended_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> server_exited_{false};
  bool started_ = false;  // meta read, threads running: on_end is owed
  std::string error_;
  std::string server_log_;
};

}  // namespace cp::scrcpy
