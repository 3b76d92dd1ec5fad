#include "services/media/webrtc_wire.h"

namespace cp::media {

std::string wire_frame(WireKind kind, std::string_view payload) {
  std::string out;
  out.reserve(kWireHeaderSize + payload.size());
  out.push_back(static_cast<char>(kind));
  const auto n = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(payload);
  return out;
}

std::optional<WireMessage> WireReader::next() {
  if (failed_ || buffer_.size() - offset_ < kWireHeaderSize) return std::nullopt;
  const auto* p = reinterpret_cast<const uint8_t*>(buffer_.data() + offset_);
  const auto kind = static_cast<WireKind>(p[0]);
  switch (kind) {
    case WireKind::kConfig:
    case WireKind::kVideo:
    case WireKind::kSignal:
    case WireKind::kInput:
    case WireKind::kKeyFrame:
    case WireKind::kError:
      break;
    default:
      failed_ = true;
      return std::nullopt;
  }
  const size_t n = (size_t{p[1]} << 24) | (size_t{p[2]} << 16) | (size_t{p[3]} << 8) | size_t{p[4]};
  if (n > kMaxWirePayload) {
    failed_ = true;
    return std::nullopt;
  }
  if (buffer_.size() - offset_ < kWireHeaderSize + n) return std::nullopt;
  WireMessage m{kind, buffer_.substr(offset_ + kWireHeaderSize, n)};
  offset_ += kWireHeaderSize + n;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ > 1024 * 1024) {  // compact now and then, not on every message
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  return m;
}

}  // namespace cp::media
