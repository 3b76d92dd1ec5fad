#include "services/media/device_stream.h"

#include <boost/json/serialize.hpp>

#include "android/adb/adb_connection.h"
#include "core/log.h"
#include "services/media/h264.h"
#include "services/media/input.h"
#include "services/media/media_metrics.h"

namespace cp::media {
namespace {

std::string meta_json(FrameSize size, Role role) {
  const int rotation = size.width > size.height ? 90 : 0;
  return boost::json::serialize(boost::json::object{{"t", "meta"},
                                                    {"codec", "avc1.42E01F"},
                                                    {"width", size.width},
                                                    {"height", size.height},
                                                    {"rotation", rotation},
                                                    {"role", to_string(role)}});
}

}  // namespace

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

void DeviceStream::close_viewers(const std::string& reason) {
  std::map<std::string, Viewer> viewers;
  {
    std::lock_guard lock(mu_);
    viewers.swap(viewers_);
  }
  for (auto& [id, v] : viewers) {
    v.ws->send_text(
        boost::json::serialize(boost::json::object{{"t", "ended"}, {"reason", reason}}));
    v.ws->close();
  }
  metrics().viewers.add(-static_cast<double>(viewers.size()));
}

void DeviceStream::send_meta(Viewer& viewer) {
  viewer.ws->send_text(meta_json(size_, viewer.role));
}

void DeviceStream::attach(const std::string& session_id, std::shared_ptr<http::WsConnection> ws,
                          Role role) {
  {
    std::lock_guard lock(mu_);
    auto [it, inserted] = viewers_.insert_or_assign(
        session_id,
        Viewer{std::move(ws), role, ViewerFeed(options_.viewer_queue, options_.viewer_backlog)});
    send_meta(it->second);
    if (!config_.empty()) {
      it->second.ws->send_binary(encode_video_message(FrameType::kConfig, -1, config_));
    }
    if (inserted) metrics().viewers.add(1);
  }
  request_key_frame();
}

void DeviceStream::detach(const std::string& session_id) {
  std::lock_guard lock(mu_);
  if (viewers_.erase(session_id) > 0) metrics().viewers.add(-1);
}

void DeviceStream::set_role(const std::string& session_id, Role role) {
  std::lock_guard lock(mu_);
  if (auto it = viewers_.find(session_id); it != viewers_.end()) {
    it->second.role = role;
    send_meta(it->second);
  }
}

void DeviceStream::add_sink(const std::string& id, std::shared_ptr<PacketSink> sink) {
  {
    std::lock_guard lock(mu_);
    if (!config_.empty()) sink->on_config(config_);
    sinks_[id] = std::move(sink);
  }
  request_key_frame();  // a recording starts with a key frame, not up to 10 s later
}

void DeviceStream::remove_sink(const std::string& id) {
  std::lock_guard lock(mu_);
  sinks_.erase(id);
}

FrameSize DeviceStream::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

size_t DeviceStream::viewer_count() const {
  std::lock_guard lock(mu_);
  return viewers_.size();
}

StreamStats DeviceStream::stats() const {
  std::lock_guard lock(mu_);
  auto s = stats_;
  s.viewers = viewers_.size();
  return s;
}

void DeviceStream::send_control(scrcpy::ControlMessage message) {
  const bool reset = std::holds_alternative<scrcpy::ResetVideo>(message);
  {
    std::lock_guard lock(control_mu_);
    if (control_stop_) return;
    if (reset && reset_queued_) return;  // one pending IDR request serves everyone
    if (control_queue_.size() >= options_.control_queue) {
      metrics().input_rejected("control_backlog").inc();
      return;  // the device is not taking input: dropping beats unbounded memory
    }
    reset_queued_ = reset_queued_ || reset;
    control_queue_.push_back(std::move(message));
  }
  control_cv_.notify_one();
}

void DeviceStream::control_loop() {
  std::unique_lock lock(control_mu_);
  for (;;) {
    control_cv_.wait(lock, [this] { return control_stop_ || !control_queue_.empty(); });
    if (control_stop_) return;
    auto message = std::move(control_queue_.front());
    control_queue_.pop_front();
    if (std::holds_alternative<scrcpy::ResetVideo>(message)) reset_queued_ = false;
    lock.unlock();
    if (auto s = session()) s->send(message);  // may block on ADB flow control: this thread only
    lock.lock();
  }
}

void DeviceStream::request_key_frame() {
  {
    std::lock_guard lock(mu_);
    ++stats_.key_frame_requests;
  }
  metrics().keyframe_requests.inc();
  send_control(scrcpy::ResetVideo{});
}

void DeviceStream::request_key_frame(const std::string& session_id) {
  {
    std::lock_guard lock(mu_);
    auto it = viewers_.find(session_id);
    if (it == viewers_.end()) return;
    it->second.feed.wait_for_key_frame();
  }
  request_key_frame();
}

void DeviceStream::input(const std::string& session_id, std::string_view text) {
  Role role = Role::kViewer;
  FrameSize size;
  {
    std::lock_guard lock(mu_);
    auto it = viewers_.find(session_id);
    if (it == viewers_.end()) return;
    role = it->second.role;
    size = size_;
  }
  auto parsed = parse_input(text, size);
  if (!parsed.ok()) {
    metrics().input_rejected(parsed.error).inc();
    return;
  }
  if (parsed.keyframe) {
    request_key_frame(session_id);  // any viewer may ask for a fresh picture
    return;
  }
  if (role != Role::kController) {
    metrics().input_rejected("not_controller").inc();
    return;
  }
  for (auto& m : parsed.messages) send_control(std::move(m));
  metrics().input_applied.inc(static_cast<double>(parsed.messages.size()));
}

void DeviceStream::count_frame(size_t bytes) {
  ++stats_.frames;
  ++window_frames_;
  window_bytes_ += bytes;
  auto& m = metrics();
  m.frames_received.inc();
  m.bytes_received.inc(static_cast<double>(bytes));
  const auto now = Clock::now();
  const double secs = std::chrono::duration<double>(now - window_start_).count();
  if (secs >= 1.0) {
    stats_.fps = static_cast<double>(window_frames_) / secs;
    stats_.bit_rate = static_cast<double>(window_bytes_) * 8 / secs;
    m.stream_fps(device_id_).set(stats_.fps);
    m.stream_bit_rate(device_id_).set(stats_.bit_rate);
    window_start_ = now;
    window_frames_ = window_bytes_ = 0;
  }
}

void DeviceStream::on_video(scrcpy::VideoPacket&& packet) {
  FrameType type = FrameType::kDelta;
  std::string message;
  bool want_key_frame = false;
  {
    std::lock_guard lock(mu_);
    if (packet.config) {
      config_ = std::move(packet.data);
      type = FrameType::kConfig;
      if (auto s = sps_frame_size(config_);
          s && (s->width != size_.width || s->height != size_.height)) {
        size_ = *s;
        for (auto& [id, v] : viewers_) send_meta(v);
      }
      for (auto& [id, sink] : sinks_) sink->on_config(config_);
      message = encode_video_message(type, -1, config_);
    } else {
      count_frame(packet.data.size());
      if (packet.key_frame) {
        type = FrameType::kKey;
        if (!config_.empty() && !has_nal(packet.data, 7)) {  // self-contained key frames
          packet.data.insert(packet.data.begin(), config_.begin(), config_.end());
        }
      }
      for (auto& [id, sink] : sinks_) sink->on_frame(packet.data, packet.key_frame, packet.pts_us);
      message = encode_video_message(type, packet.pts_us, packet.data);
    }
    auto shared = std::make_shared<const std::string>(std::move(message));
    auto& m = metrics();
    for (auto& [id, v] : viewers_) {
      const auto before = v.feed.dropped();
      const auto backlog = v.ws->backlog();
      v.feed.offer(type, shared, backlog.bytes, backlog.messages);
      m.frames_dropped.inc(static_cast<double>(v.feed.dropped() - before));
      want_key_frame = v.feed.take_key_frame_request() || want_key_frame;
      while (auto next = v.feed.pop()) {
        if (v.ws->send_binary(std::string(**next))) {
          m.frames_sent.inc();
          m.bytes_sent.inc(static_cast<double>((*next)->size()));
        }
      }
    }
  }
  if (want_key_frame) {
    // Viewers recovering from congestion share IDRs, at most one per interval: an IDR is many
    // times a delta frame, and a storm of them would congest everyone again.
    const auto now = Clock::now();
    std::lock_guard lock(mu_);
    pending_key_frame_ = true;
    if (now - last_recovery_key_frame_ < kRecoveryKeyFrameInterval) return;
    last_recovery_key_frame_ = now;
    pending_key_frame_ = false;
  } else {
    std::lock_guard lock(mu_);
    if (!pending_key_frame_ || Clock::now() - last_recovery_key_frame_ < kRecoveryKeyFrameInterval)
      return;
    last_recovery_key_frame_ = Clock::now();
    pending_key_frame_ = false;
  }
  request_key_frame();
}

void DeviceStream::on_device_message(scrcpy::DeviceMessage&& message) {
  if (const auto* clip = std::get_if<scrcpy::ClipboardMessage>(&message)) {
    const auto text =
        boost::json::serialize(boost::json::object{{"t", "clipboard"}, {"text", clip->text}});
    std::lock_guard lock(mu_);
    for (auto& [id, v] : viewers_) v.ws->send_text(text);
  }
}

}  // namespace cp::media
