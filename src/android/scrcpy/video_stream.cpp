#include "android/scrcpy/video_stream.h"

#include <algorithm>

#include "android/scrcpy/binary.h"
#include "android/scrcpy/protocol.h"
#include "android/scrcpy/utf8.h"

namespace cp::scrcpy {

std::vector<uint8_t> encode_device_meta(const std::string& device_name) {
  // ≤ 63 bytes of UTF-8 so the field always ends with a NUL, zero padded to 64.
  const auto name = truncate_utf8(device_name, kDeviceNameFieldLength - 1);
  std::vector<uint8_t> out(kDeviceNameFieldLength, 0);
  std::copy(name.begin(), name.end(), out.begin());
  return out;
}

std::vector<uint8_t> encode_codec_meta(const CodecMeta& meta) {
  std::vector<uint8_t> out;
  put_u32(out, meta.codec_id);
  put_u32(out, meta.width);
  put_u32(out, meta.height);
  return out;
}

std::vector<uint8_t> encode_packet_header(bool config, bool key_frame, int64_t pts_us,
                                          uint32_t size) {
  uint64_t word = config ? kPacketFlagConfig : (static_cast<uint64_t>(pts_us) & kPacketPtsMask);
  if (key_frame) {
    word |= kPacketFlagKeyFrame;
  }
  std::vector<uint8_t> out;
  put_u64(out, word);
  put_u32(out, size);
  return out;
}

VideoDemuxer::VideoDemuxer(VideoStreamLayout layout) : layout_(layout) {
  state_ = layout.dummy_byte    ? State::kDummy
           : layout.device_meta ? State::kDeviceMeta
           : layout.codec_meta  ? State::kCodecMeta
           : layout.frame_meta  ? State::kHeader
                                : State::kRaw;
}

void VideoDemuxer::feed(std::span<const uint8_t> bytes) {
  compact();
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void VideoDemuxer::compact() {
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
  pos_ = 0;
}

std::optional<VideoEvent> VideoDemuxer::next() {
  const auto after_meta = [this] {
    return layout_.codec_meta   ? State::kCodecMeta
           : layout_.frame_meta ? State::kHeader
                                : State::kRaw;
  };
  for (;;) {
    const uint8_t* p = buffer_.data() + pos_;
    switch (state_) {
      case State::kDummy:
        if (available() < 1) return std::nullopt;
        if (p[0] != 0) throw ProtocolError("scrcpy dummy byte is not 0");
        ++pos_;
        state_ = layout_.device_meta ? State::kDeviceMeta : after_meta();
        continue;
      case State::kDeviceMeta: {
        if (available() < kDeviceNameFieldLength) return std::nullopt;
        const auto* end = std::find(p, p + kDeviceNameFieldLength, uint8_t{0});
        DeviceMeta meta{std::string(reinterpret_cast<const char*>(p), end - p)};
        pos_ += kDeviceNameFieldLength;
        state_ = after_meta();
        return meta;
      }
      case State::kCodecMeta: {
        if (available() < kCodecMetaLength) return std::nullopt;
        CodecMeta meta{get_u32(p), get_u32(p + 4), get_u32(p + 8)};
        pos_ += kCodecMetaLength;
        if (meta.codec_id == kCodecConfigError) {
          throw ProtocolError("device reported a video configuration error");
        }
        if (meta.codec_id == kCodecDisabled) {
          state_ = State::kDisabled;
          return meta;
        }
        if (meta.codec_id != kCodecH264 && meta.codec_id != kCodecH265 &&
            meta.codec_id != kCodecAv1) {
          throw ProtocolError("unknown video codec id");
        }
        if (meta.width == 0 || meta.height == 0 || meta.width > kMaxDimension ||
            meta.height > kMaxDimension) {
          throw ProtocolError("nonsense video size");
        }
        state_ = layout_.frame_meta ? State::kHeader : State::kRaw;
        return meta;
      }
      case State::kHeader: {
        if (available() < kFrameHeaderLength) return std::nullopt;
        const uint64_t word = get_u64(p);
        const uint32_t size = get_u32(p + 8);
        if (size == 0 || size > kMaxPacketSize) {
          throw ProtocolError("nonsense video packet size " + std::to_string(size));
        }
        pending_ = VideoPacket{};
        pending_.config = (word & kPacketFlagConfig) != 0;
        pending_.key_frame = (word & kPacketFlagKeyFrame) != 0;
        pending_.pts_us = pending_.config ? -1 : static_cast<int64_t>(word & kPacketPtsMask);
        pending_size_ = size;
        pos_ += kFrameHeaderLength;
        state_ = State::kPayload;
        continue;
      }
      case State::kPayload: {
        if (available() < pending_size_) return std::nullopt;
        pending_.data.assign(p, p + pending_size_);
        pos_ += pending_size_;
        state_ = State::kHeader;
        return std::move(pending_);
      }
      case State::kRaw: {
        if (available() == 0) return std::nullopt;
        VideoPacket packet;
        packet.data.assign(p, p + available());
        pos_ = buffer_.size();
        return packet;
      }
      case State::kDisabled:
        if (available() > 0) throw ProtocolError("bytes after a disabled video stream");
        return std::nullopt;
    }
  }
}

}  // namespace cp::scrcpy
