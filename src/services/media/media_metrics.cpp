#include "services/media/media_metrics.h"

namespace cp::media {

metrics::Counter& MediaMetrics::input_rejected(const std::string& reason) {
  return metrics::Registry::global().counter("cp_media_input_ignored_total",
                                             "Stream input messages ignored", {{"reason", reason}});
}

MediaMetrics& metrics() {
  auto& r = metrics::Registry::global();
  static MediaMetrics m{
      r.gauge("cp_media_viewers", "WebSocket viewers attached to a device stream"),
      r.gauge("cp_media_streams", "Device scrcpy sessions running"),
      r.counter("cp_media_frames_sent_total", "Video messages sent to viewers"),
      r.counter("cp_media_bytes_sent_total", "Video bytes sent to viewers"),
      r.counter("cp_media_frames_dropped_total", "Frames not sent to a viewer (IDR gate or slow viewer)"),
      r.counter("cp_media_keyframe_requests_total", "Key frames requested from devices"),
      r.counter("cp_media_input_applied_total", "Control messages sent to devices"),
      r.counter("cp_media_stream_failures_total", "Device sessions that ended with an error"),
  };
  return m;
}

}  // namespace cp::media
