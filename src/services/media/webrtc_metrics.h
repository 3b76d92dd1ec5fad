#pragma once
// Prometheus series of the WebRTC transport (the WebSocket transport's are media_metrics.h;
// frames counted there include WebRTC viewers, these count WebRTC alone).
#include "core/metrics.h"

namespace cp::media {

struct WebRtcMetrics {
  metrics::Gauge& viewers;  // signalling sockets with a peer attached to a device stream
  metrics::Gauge& workers;  // worker processes alive
  metrics::Counter& frames_sent;
  metrics::Counter& bytes_sent;
  metrics::Counter& frames_dropped;
  metrics::Counter& keyframe_requests;  // browser PLI/FIR, and once when ICE connects
  metrics::Counter& worker_failures;    // workers that exited on their own
  metrics::Counter& answers_refused;
};

WebRtcMetrics& webrtc_metrics();

}  // namespace cp::media
