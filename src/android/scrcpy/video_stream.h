#pragma once
// The video socket of scrcpy v3: [dummy byte] [64-byte device name] [codec id, width, height]
// then packets, each a 12-byte header (CONFIG / KEY_FRAME flags + PTS, size) and Annex-B
// payload (protocols.md §6.2–6.3). The writer helpers are used by the simulated device's
// server, the demuxer by the media service.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace cp::scrcpy {

struct DeviceMeta {
  std::string name;
  bool operator==(const DeviceMeta&) const = default;
};
struct CodecMeta {
  uint32_t codec_id = 0;  // kCodecH264...; kCodecDisabled when the device has no video
  uint32_t width = 0, height = 0;
  bool operator==(const CodecMeta&) const = default;
};
struct VideoPacket {
  bool config = false;  // SPS/PPS: merge with the next media packet before decoding
  bool key_frame = false;
  int64_t pts_us = -1;  // -1 for config packets and raw streams
  std::vector<uint8_t> data;
};
using VideoEvent = std::variant<DeviceMeta, CodecMeta, VideoPacket>;

// Writer side.
std::vector<uint8_t> encode_device_meta(const std::string& device_name);  // 64 bytes
std::vector<uint8_t> encode_codec_meta(const CodecMeta& meta);            // 12 bytes
std::vector<uint8_t> encode_packet_header(bool config, bool key_frame, int64_t pts_us,
                                          uint32_t size);  // 12 bytes

struct VideoStreamLayout {
  bool dummy_byte = true;   // forward tunnel: the first socket starts with 0x00
  bool device_meta = true;  // only when the video socket is the first socket
  bool codec_meta = true;
  bool frame_meta = true;  // false: raw Annex-B, passed through in chunks as it arrives
};

// Incremental demuxer; feed it bytes in any chunking and pull events.
class VideoDemuxer {
 public:
  static constexpr uint32_t kMaxPacketSize = 32 * 1024 * 1024;
  static constexpr uint32_t kMaxDimension = 16384;

  explicit VideoDemuxer(VideoStreamLayout layout = {});
  void feed(std::span<const uint8_t> bytes);
  // Next complete event, or nullopt when more bytes are needed. Throws ProtocolError on
  // nonsense: a non-zero dummy byte, unknown codec, zero/huge sizes, bytes after "disabled".
  std::optional<VideoEvent> next();

 private:
  enum class State { kDummy, kDeviceMeta, kCodecMeta, kHeader, kPayload, kRaw, kDisabled };
  size_t available() const { return buffer_.size() - pos_; }
  void compact();

  State state_;
  VideoStreamLayout layout_;
  std::vector<uint8_t> buffer_;
  size_t pos_ = 0;
  VideoPacket pending_;  // header read, payload not yet complete
  uint32_t pending_size_ = 0;
};

}  // namespace cp::scrcpy
