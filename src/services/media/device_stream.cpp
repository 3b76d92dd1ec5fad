// A device stream's scrcpy session lifecycle: the ADB connection, starting a session, replacing
// it with new settings (restart) and stopping. Each session has a generation number so the end
// of a session we replaced is not reported as the stream failing. Viewer fan-out is in
// device_stream_viewers.cpp, input and the control thread in device_stream_control.cpp.
#include "services/media/device_stream.h"
#include "android/adb/adb_connection.h"
#include "core/log.h"
#include "services/media/media_metrics.h"

namespace cp::media {

DeviceStream::DeviceStream(std::string device_id, const StreamOptions& options, EndCallback on_end)
    : device_id_(std::move(device_id)), options_(options), on_end_(std::move(on_end)) {
  connection_ = adb::AdbConnection::connect(options.host, options.port);
  auto session = start_session(options.settings);
  {
    std::lock_guard lock(session_mu_);
    session_ = session;
    settings_ = options.settings;
  }
  {
    std::lock_guard lock(mu_);
    size_ = {session->codec().width, session->codec().height};
  }
  control_thread_ = std::thread([this] { control_loop(); });
}

DeviceStream::~DeviceStream() {
  stop();
}

std::shared_ptr<scrcpy::ScrcpySession> DeviceStream::start_session(const StreamSettings& settings) {
  scrcpy::ScrcpySessionOptions so;
  so.push_server_from = options_.server_jar;
  if (settings.max_fps > 0) so.server.max_fps = settings.max_fps;
  so.server.max_size = settings.max_size;
  if (settings.bit_rate > 0) so.server.video_bit_rate = settings.bit_rate;
  uint64_t generation = 0;
  {
    std::lock_guard lock(session_mu_);
    generation = ++generation_;  // ends of older sessions are ours from now on, not failures
  }
  scrcpy::ScrcpySessionCallbacks callbacks{
      [this](scrcpy::VideoPacket&& p) { on_video(std::move(p)); },
      [this](scrcpy::DeviceMessage&& m) { on_device_message(std::move(m)); },
      [this, generation](const std::string& reason) { on_session_end(generation, reason); }};
  return scrcpy::ScrcpySession::start(*connection_, so, std::move(callbacks));
}

void DeviceStream::on_session_end(uint64_t generation, const std::string& reason) {
  {
    std::lock_guard lock(session_mu_);
    if (generation != generation_) return;  // replaced by restart()
  }
  if (on_end_) on_end_(device_id_, reason);
}

std::shared_ptr<scrcpy::ScrcpySession> DeviceStream::session() const {
  std::lock_guard lock(session_mu_);
  return session_;
}

bool DeviceStream::running() const {
  auto s = session();
  return s && s->running();
}

StreamSettings DeviceStream::settings() const {
  std::lock_guard lock(session_mu_);
  return settings_;
}

void DeviceStream::restart(const StreamSettings& settings) {
  std::lock_guard restart_lock(restart_mu_);
  std::shared_ptr<scrcpy::ScrcpySession> old;
  {
    std::lock_guard lock(session_mu_);
    old = session_;
  }
  // Stop the old session first (one capture per device at a time). Moving the generation on
  // first makes its end callback a no-op: this end is ours, not a failure.
  {
    std::lock_guard lock(session_mu_);
    ++generation_;
  }
  if (old) old->stop();
  try {
    auto fresh = start_session(settings);
    const FrameSize size{fresh->codec().width, fresh->codec().height};
    {
      std::lock_guard lock(session_mu_);
      session_ = std::move(fresh);
      settings_ = settings;
    }
    std::lock_guard lock(mu_);
    if (size.width != size_.width || size.height != size_.height) {
      size_ = size;  // the new config packet says the same; viewers learn it now
      for (auto& [id, v] : viewers_) send_meta(v);
    }
  } catch (const std::exception& e) {
    log_event(spdlog::level::warn, "media", "stream restart failed",
              {{"device_id", device_id_}, {"error", e.what()}});
    if (on_end_) on_end_(device_id_, std::string("restart failed: ") + e.what());
    throw;
  }
  log_event(spdlog::level::info, "media", "stream restarted with new settings",
            {{"device_id", device_id_},
             {"max_size", settings.max_size},
             {"max_fps", settings.max_fps},
             {"bit_rate", settings.bit_rate}});
}

void DeviceStream::stop() {
  // The session first: closing its sockets unblocks a control write stuck on flow control.
  if (auto s = session()) s->stop();
  {
    std::lock_guard lock(control_mu_);
    control_stop_ = true;
  }
  control_cv_.notify_all();
  if (control_thread_.joinable() && control_thread_.get_id() != std::this_thread::get_id()) {
    control_thread_.join();
  }
  auto& m = metrics();
  m.stream_fps(device_id_).set(0);
  m.stream_bit_rate(device_id_).set(0);
}

}  // namespace cp::media
