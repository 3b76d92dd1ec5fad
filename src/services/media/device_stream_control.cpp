// A device stream's way back to the device: viewer input (controller only) and key frame
// requests become scrcpy control messages on a bounded queue, written by the stream's own
// control thread, because a control write can block on ADB flow control and must never block
// the I/O thread that received the input.
#include "services/media/device_stream.h"
#include "services/media/input.h"
#include "services/media/media_metrics.h"

namespace cp::media {

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

}  // namespace cp::media
