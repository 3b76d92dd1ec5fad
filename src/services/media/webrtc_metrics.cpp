#include "services/media/webrtc_metrics.h"

namespace cp::media {

WebRtcMetrics& webrtc_metrics() {
  auto& r = metrics::Registry::global();
  static WebRtcMetrics m{
      r.gauge("cp_media_webrtc_viewers", "WebRTC viewers attached to a device stream"),
      r.gauge("cp_media_webrtc_workers", "WebRTC worker processes running"),
      r.counter("cp_media_webrtc_frames_sent_total", "Video frames handed to WebRTC workers"),
      r.counter("cp_media_webrtc_bytes_sent_total", "Video bytes handed to WebRTC workers"),
      r.counter("cp_media_webrtc_frames_dropped_total",
                "Frames not sent to a WebRTC viewer (key frame gate, slow worker)"),
      r.counter("cp_media_webrtc_keyframe_requests_total",
                "Key frames requested for WebRTC viewers (browser PLI/FIR, ICE connected)"),
      r.counter("cp_media_webrtc_worker_failures_total", "WebRTC workers that ended on their own"),
      r.counter("cp_media_webrtc_answers_refused_total",
                "SDP answers refused before reaching webrtcbin"),
  };
  return m;
}

}  // namespace cp::media
