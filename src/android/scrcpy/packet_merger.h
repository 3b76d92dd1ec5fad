#pragma once
// A config packet (SPS/PPS) cannot be decoded alone: it is kept and prepended to the next media
// packet, as scrcpy's client does (packet_merger.c). Decoders, WebCodecs and MP4 muxers then see
// self-contained key frames.
#include <optional>
#include <vector>

#include "android/scrcpy/video_stream.h"

namespace cp::scrcpy {

class PacketMerger {
 public:
  // nullopt for a config packet (held back); otherwise the packet, with any pending config
  // bytes in front of its data.
  std::optional<VideoPacket> merge(VideoPacket&& packet);
  // The last config seen (parameter sets), e.g. for a viewer joining mid-stream.
  const std::vector<uint8_t>& last_config() const { return last_config_; }

 private:
  std::vector<uint8_t> pending_;
  std::vector<uint8_t> last_config_;
};

}  // namespace cp::scrcpy
