#pragma once
// What one viewer receives: the wire format of a video message, the IDR gate (a new viewer, or
// one that asked for a key frame or fell behind, gets nothing but config until the next key
// frame) and a bounded queue (a full queue is flushed and the viewer waits for the next key
// frame, so a slow viewer never holds frames for, or blocks, the others).
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace cp::media {

enum class FrameType : uint8_t { kConfig = 0x01, kKey = 0x02, kDelta = 0x03 };

// 1 byte type, 8 bytes PTS in µs (big-endian, two's complement), then the Annex-B bytes.
std::string encode_video_message(FrameType type, int64_t pts_us, std::span<const uint8_t> annexb);
inline constexpr size_t kVideoHeaderSize = 9;

class ViewerFeed {
 public:
  enum class Offer { kQueued, kGated, kOverflow };
  using Message = std::shared_ptr<const std::string>;

  explicit ViewerFeed(size_t capacity) : capacity_(capacity < 2 ? 2 : capacity) {}

  Offer offer(FrameType type, Message message);
  std::optional<Message> pop();
  // Drop delta frames until the next key frame (new viewer, keyframe request).
  void wait_for_key_frame() { gated_ = true; }
  bool gated() const { return gated_; }
  size_t queued() const { return queue_.size(); }
  uint64_t dropped() const { return dropped_; }

 private:
  size_t capacity_;
  std::deque<Message> queue_;
  bool gated_ = true;
  uint64_t dropped_ = 0;
};

}  // namespace cp::media
