#pragma once
// What one viewer receives: the wire format of a video message, the IDR gate (a new viewer, or
// one that asked for a key frame or fell behind, gets nothing but config until the next key
// frame) and a bounded queue (a full queue is flushed and the viewer waits for the next key
// frame, so a slow viewer never holds frames for, or blocks, the others). The transport's own
// send backlog is checked too: a viewer whose socket is not draining gets nothing (key frames
// included: they would only queue behind the stall) until it has caught up, then a fresh IDR.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace cp::media {

enum class FrameType : uint8_t { kConfig = 0x01, kKey = 0x02, kDelta = 0x03 };

// 1 byte type, 8 bytes PTS in µs (big-endian, two's complement), then the Annex-B bytes.
std::string encode_video_message(FrameType type, int64_t pts_us, std::span<const uint8_t> annexb);
inline constexpr size_t kVideoHeaderSize = 9;

// Bounds on what the transport holds for one viewer (sent, not yet written to the socket).
struct ViewerBacklogLimit {
  size_t bytes = 1 << 20;
  size_t messages = 30;  // half a second at 60 fps
};

class ViewerFeed {
 public:
  enum class Offer { kQueued, kGated, kOverflow, kCongested };
  using Message = std::shared_ptr<const std::string>;
  using BacklogLimit = ViewerBacklogLimit;

  explicit ViewerFeed(size_t capacity, ViewerBacklogLimit limit = ViewerBacklogLimit{})
      : capacity_(capacity < 2 ? 2 : capacity), limit_(limit) {}

  Offer offer(FrameType type, Message message);
  // The same, first checking the transport's backlog against the limit.
  Offer offer(FrameType type, Message message, size_t backlog_bytes, size_t backlog_messages);
  // True once each time the viewer needs a key frame it cannot get by waiting (it overflowed, or
  // drained after congestion): the caller asks the device for an IDR.
  bool take_key_frame_request() { return std::exchange(want_key_frame_, false); }
  bool congested() const { return congested_; }
  std::optional<Message> pop();
  // Drop delta frames until the next key frame (new viewer, keyframe request).
  void wait_for_key_frame() { gated_ = true; }
  bool gated() const { return gated_; }
  size_t queued() const { return queue_.size(); }
  uint64_t dropped() const { return dropped_; }

 private:
  size_t capacity_;
  BacklogLimit limit_;
  std::deque<Message> queue_;
  bool gated_ = true;
  bool congested_ = false;
  bool want_key_frame_ = false;
  uint64_t dropped_ = 0;
};

}  // namespace cp::media
