#include "services/media/viewer_feed.h"

namespace cp::media {

std::string encode_video_message(FrameType type, int64_t pts_us, std::span<const uint8_t> annexb) {
  std::string out;
  out.reserve(kVideoHeaderSize + annexb.size());
  out.push_back(static_cast<char>(type));
  const auto pts = static_cast<uint64_t>(pts_us);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((pts >> shift) & 0xff));
  }
  out.append(reinterpret_cast<const char*>(annexb.data()), annexb.size());
  return out;
}

ViewerFeed::Offer ViewerFeed::offer(FrameType type, Message message) {
  switch (type) {
    case FrameType::kConfig:
      break;  // always delivered: tiny, and the decoder needs it
    case FrameType::kKey:
      gated_ = false;
      if (queue_.size() >= capacity_) {
        dropped_ += queue_.size();  // all older than this key frame: useless now
        queue_.clear();
      }
      break;
    case FrameType::kDelta:
      if (gated_) {
        ++dropped_;
        return Offer::kGated;
      }
      if (queue_.size() >= capacity_) {
        dropped_ += queue_.size() + 1;
        queue_.clear();
        gated_ = true;
        want_key_frame_ = true;
        return Offer::kOverflow;
      }
      break;
  }
  if (type == FrameType::kConfig && queue_.size() >= capacity_) {
    dropped_ += queue_.size();
    queue_.clear();
    gated_ = true;
  }
  queue_.push_back(std::move(message));
  return Offer::kQueued;
}

ViewerFeed::Offer ViewerFeed::offer(FrameType type, Message message, size_t backlog_bytes,
                                    size_t backlog_messages) {
  const bool over = backlog_bytes > limit_.bytes || backlog_messages > limit_.messages;
  if (over && type != FrameType::kConfig) {
    congested_ = true;
    gated_ = true;
    dropped_ += queue_.size() + 1;
    queue_.clear();
    return Offer::kCongested;
  }
  if (congested_ && !over) {
    congested_ = false;
    want_key_frame_ = true;  // caught up: the next key frame may be seconds away otherwise
  }
  return offer(type, std::move(message));
}

std::optional<ViewerFeed::Message> ViewerFeed::pop() {
  if (queue_.empty()) return std::nullopt;
  auto m = std::move(queue_.front());
  queue_.pop_front();
  return m;
}

}  // namespace cp::media
