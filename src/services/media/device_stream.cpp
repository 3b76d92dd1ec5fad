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
    : device_id_(std::move(device_id)), options_(options) {
  connection_ = adb::AdbConnection::connect(options.host, options.port);
  scrcpy::ScrcpySessionOptions so;
  so.push_server_from = options.server_jar;
  so.server.max_fps = options.max_fps;
  scrcpy::ScrcpySessionCallbacks callbacks{
      [this](scrcpy::VideoPacket&& p) { on_video(std::move(p)); },
      [this](scrcpy::DeviceMessage&& m) { on_device_message(std::move(m)); },
      [id = device_id_, on_end = std::move(on_end)](const std::string& reason) {
        if (on_end) on_end(id, reason);
      }};
  session_ = scrcpy::ScrcpySession::start(*connection_, so, std::move(callbacks));
  std::lock_guard lock(mu_);
  size_ = {session_->codec().width, session_->codec().height};
}

DeviceStream::~DeviceStream() {
  stop();
}

void DeviceStream::stop() {
  if (session_) session_->stop();
}

void DeviceStream::close_viewers(const std::string& reason) {
  std::map<std::string, Viewer> viewers;
  {
    std::lock_guard lock(mu_);
    viewers.swap(viewers_);
  }
  for (auto& [id, v] : viewers) {
    v.ws->send_text(boost::json::serialize(boost::json::object{{"t", "ended"}, {"reason", reason}}));
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
    auto [it, inserted] = viewers_.insert_or_assign(session_id, Viewer{std::move(ws), role, ViewerFeed(options_.viewer_queue)});
    send_meta(it->second);
    if (!config_.empty()) {
      it->second.ws->send_binary(encode_video_message(FrameType::kConfig, -1, config_));
    }
    if (inserted) metrics().viewers.add(1);
  }
  metrics().keyframe_requests.inc();
  send_control(scrcpy::ResetVideo{});
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

FrameSize DeviceStream::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

size_t DeviceStream::viewer_count() const {
  std::lock_guard lock(mu_);
  return viewers_.size();
}

bool DeviceStream::send_control(const scrcpy::ControlMessage& message) {
  return session_ && session_->send(message);
}

void DeviceStream::request_key_frame(const std::string& session_id) {
  {
    std::lock_guard lock(mu_);
    auto it = viewers_.find(session_id);
    if (it == viewers_.end()) return;
    it->second.feed.wait_for_key_frame();
  }
  metrics().keyframe_requests.inc();
  send_control(scrcpy::ResetVideo{});
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
  for (const auto& m : parsed.messages) {
    if (!send_control(m)) break;
  }
  metrics().input_applied.inc(static_cast<double>(parsed.messages.size()));
}

void DeviceStream::on_video(scrcpy::VideoPacket&& packet) {
  FrameType type = FrameType::kDelta;
  std::string message;
  std::lock_guard lock(mu_);
  if (packet.config) {
    config_ = std::move(packet.data);
    type = FrameType::kConfig;
    if (auto s = sps_frame_size(config_); s && (s->width != size_.width || s->height != size_.height)) {
      size_ = *s;
      for (auto& [id, v] : viewers_) send_meta(v);
    }
    message = encode_video_message(type, -1, config_);
  } else if (packet.key_frame) {
    type = FrameType::kKey;
    if (!config_.empty() && !has_nal(packet.data, 7)) {  // self-contained key frames
      packet.data.insert(packet.data.begin(), config_.begin(), config_.end());
    }
    message = encode_video_message(type, packet.pts_us, packet.data);
  } else {
    message = encode_video_message(type, packet.pts_us, packet.data);
  }
  auto shared = std::make_shared<const std::string>(std::move(message));
  auto& m = metrics();
  for (auto& [id, v] : viewers_) {
    const auto before = v.feed.dropped();
    v.feed.offer(type, shared);
    m.frames_dropped.inc(static_cast<double>(v.feed.dropped() - before));
    while (auto next = v.feed.pop()) {
      if (v.ws->send_binary(std::string(**next))) {
        m.frames_sent.inc();
        m.bytes_sent.inc(static_cast<double>((*next)->size()));
      }
    }
  }
}

void DeviceStream::on_device_message(scrcpy::DeviceMessage&& message) {
  if (const auto* clip = std::get_if<scrcpy::ClipboardMessage>(&message)) {
    const auto text = boost::json::serialize(boost::json::object{{"t", "clipboard"}, {"text", clip->text}});
    std::lock_guard lock(mu_);
    for (auto& [id, v] : viewers_) v.ws->send_text(text);
  }
}

}  // namespace cp::media
