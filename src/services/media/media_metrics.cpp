#include "services/media/media_metrics.h"

namespace cp::media {

metrics::Counter& MediaMetrics::input_rejected(const std::string& reason) {
  return metrics::Registry::global().counter("cp_media_input_ignored_total",
                                             "Stream input messages ignored", {{"reason", reason}});
}

metrics::Gauge& MediaMetrics::stream_fps(const std::string& device_id) {
  return metrics::Registry::global().gauge(
      "cp_media_stream_fps", "Frames per second from the device", {{"device", device_id}});
}

metrics::Gauge& MediaMetrics::stream_bit_rate(const std::string& device_id) {
  return metrics::Registry::global().gauge(
      "cp_media_stream_bit_rate", "Bits per second from the device", {{"device", device_id}});
}

MediaMetrics& metrics() {
  static const std::vector<double> kSessionBounds{1,    10,   60,   300,   900,
                                                  1800, 3600, 7200, 14400, 43200};
  auto& r = metrics::Registry::global();
  static MediaMetrics m{
      r.gauge("cp_media_viewers", "WebSocket viewers attached to a device stream"),
      r.gauge("cp_media_streams", "Device scrcpy sessions running"),
      r.counter("cp_media_frames_sent_total", "Video messages sent to viewers"),
      r.counter("cp_media_bytes_sent_total", "Video bytes sent to viewers"),
      r.counter("cp_media_frames_dropped_total",
                "Frames not sent to a viewer (IDR gate or slow viewer)"),
      r.counter("cp_media_keyframe_requests_total", "Key frames requested from devices"),
      r.counter("cp_media_input_applied_total", "Control messages sent to devices"),
      r.counter("cp_media_stream_failures_total", "Device sessions that ended with an error"),
      r.counter("cp_media_frames_received_total", "Access units received from devices"),
      r.counter("cp_media_bytes_received_total", "Video bytes received from devices"),
      r.histogram("cp_media_session_duration_seconds", "Stream sessions, from creation to end", {},
                  kSessionBounds),
      r.counter("cp_media_recordings_total", "Recordings stored"),
  };
  return m;
}

}  // namespace cp::media
