// A device stream's viewers and packet sinks: every video packet from the session's reader
// thread is fanned out to each viewer through its ViewerFeed (back-pressure: a slow viewer is
// thinned to key frames instead of slowing the others) and to the sinks (recordings). The
// config packet is cached for late joiners; viewers recovering from congestion share rate-limited
// key frames.
#include <boost/json/serialize.hpp>

#include "services/media/device_stream.h"
#include "services/media/h264.h"
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
