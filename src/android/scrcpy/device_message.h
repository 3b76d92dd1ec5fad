#pragma once
// Device messages, device → client, on the control socket (device_msg.h, protocols.md §6.5).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace cp::scrcpy {

enum class DeviceMessageType : uint8_t { kClipboard = 0, kAckClipboard = 1, kUhidOutput = 2 };

struct ClipboardMessage {
  std::string text;
  bool operator==(const ClipboardMessage&) const = default;
};
struct AckClipboardMessage {
  uint64_t sequence = 0;
  bool operator==(const AckClipboardMessage&) const = default;
};
struct UhidOutputMessage {
  uint16_t id = 0;
  std::vector<uint8_t> data;
  bool operator==(const UhidOutputMessage&) const = default;
};

using DeviceMessage = std::variant<ClipboardMessage, AckClipboardMessage, UhidOutputMessage>;

std::vector<uint8_t> encode(const DeviceMessage& message);

// Incremental decoder of the device → client direction of the control socket.
class DeviceMessageReader {
 public:
  void feed(std::span<const uint8_t> bytes);
  // Next complete message or nullopt; throws ProtocolError on unknown types or oversize.
  std::optional<DeviceMessage> next();

 private:
  std::vector<uint8_t> buffer_;
};

}  // namespace cp::scrcpy
