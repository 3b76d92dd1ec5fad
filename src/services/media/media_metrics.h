#pragma once
// Prometheus series of the media service (registered once, in the global registry).
#include <string>

#include "core/metrics.h"

namespace cp::media {

struct MediaMetrics {
  metrics::Gauge& viewers;
  metrics::Gauge& streams;
  metrics::Counter& frames_sent;
  metrics::Counter& bytes_sent;
  metrics::Counter& frames_dropped;
  metrics::Counter& keyframe_requests;
  metrics::Counter& input_applied;
  metrics::Counter& stream_failures;
  metrics::Counter& frames_received;
  metrics::Counter& bytes_received;
  metrics::Histogram& session_seconds;
  metrics::Counter& recordings;
  // Per device, over the last second (0 once its stream stopped).
  metrics::Gauge& stream_fps(const std::string& device_id);
  metrics::Gauge& stream_bit_rate(const std::string& device_id);
  // Input ignored, by reason (malformed field, "not_controller", ...).
  metrics::Counter& input_rejected(const std::string& reason);
};

MediaMetrics& metrics();

}  // namespace cp::media
