#include "android/scrcpy/device_message.h"

#include "android/scrcpy/binary.h"
#include "android/scrcpy/protocol.h"
#include "android/scrcpy/utf8.h"

namespace cp::scrcpy {

std::vector<uint8_t> encode(const DeviceMessage& message) {
  std::vector<uint8_t> out;
  if (const auto* clip = std::get_if<ClipboardMessage>(&message)) {
    const auto text = truncate_utf8(clip->text, kDeviceMessageMaxSize - 5);
    out.push_back(static_cast<uint8_t>(DeviceMessageType::kClipboard));
    put_u32(out, static_cast<uint32_t>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
  } else if (const auto* ack = std::get_if<AckClipboardMessage>(&message)) {
    out.push_back(static_cast<uint8_t>(DeviceMessageType::kAckClipboard));
    put_u64(out, ack->sequence);
  } else {
    const auto& uhid = std::get<UhidOutputMessage>(message);
    out.push_back(static_cast<uint8_t>(DeviceMessageType::kUhidOutput));
    put_u16(out, uhid.id);
    put_u16(out, static_cast<uint16_t>(uhid.data.size()));
    out.insert(out.end(), uhid.data.begin(), uhid.data.end());
  }
  return out;
}

void DeviceMessageReader::feed(std::span<const uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<DeviceMessage> DeviceMessageReader::next() {
  if (buffer_.empty()) {
    return std::nullopt;
  }
  const uint8_t* p = buffer_.data();
  const size_t avail = buffer_.size();
  size_t size = 0;
  switch (static_cast<DeviceMessageType>(p[0])) {
    case DeviceMessageType::kClipboard:
      if (avail < 5) return std::nullopt;
      size = 5 + size_t{get_u32(p + 1)};
      break;
    case DeviceMessageType::kAckClipboard:
      size = 9;
      break;
    case DeviceMessageType::kUhidOutput:
      if (avail < 5) return std::nullopt;
      size = 5 + size_t{get_u16(p + 3)};
      break;
    default:
      throw ProtocolError("unknown device message type " + std::to_string(p[0]));
  }
  if (size > kDeviceMessageMaxSize) {
    throw ProtocolError("device message too large");
  }
  if (avail < size) {
    return std::nullopt;
  }
  DeviceMessage out;
  switch (static_cast<DeviceMessageType>(p[0])) {
    case DeviceMessageType::kClipboard:
      out = ClipboardMessage{std::string(reinterpret_cast<const char*>(p + 5), size - 5)};
      break;
    case DeviceMessageType::kAckClipboard:
      out = AckClipboardMessage{get_u64(p + 1)};
      break;
    default:
      out = UhidOutputMessage{get_u16(p + 1), std::vector<uint8_t>(p + 5, p + size)};
      break;
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(size));
  return out;
}

}  // namespace cp::scrcpy
