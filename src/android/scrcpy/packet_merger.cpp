#include "android/scrcpy/packet_merger.h"

namespace cp::scrcpy {

std::optional<VideoPacket> PacketMerger::merge(VideoPacket&& packet) {
  if (packet.config) {
    last_config_ = packet.data;
    pending_ = std::move(packet.data);
    return std::nullopt;
  }
  if (!pending_.empty()) {
    pending_.insert(pending_.end(), packet.data.begin(), packet.data.end());
    packet.data = std::move(pending_);
    pending_.clear();
  }
  return std::move(packet);
}

}  // namespace cp::scrcpy
