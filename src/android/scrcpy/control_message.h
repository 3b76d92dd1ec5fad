#pragma once
// Control messages, client → device (control_msg.c / ControlMessageReader.java, protocols.md §6.4).
// The client encodes them; the simulated device's server decodes them with ControlMessageReader.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {

enum class ControlType : uint8_t {
  kInjectKeycode = 0,
  kInjectText = 1,
  kInjectTouch = 2,
  kInjectScroll = 3,
  kBackOrScreenOn = 4,
  kExpandNotificationPanel = 5,
  kExpandSettingsPanel = 6,
  kCollapsePanels = 7,
  kGetClipboard = 8,
  kSetClipboard = 9,
  kSetDisplayPower = 10,
  kRotateDevice = 11,
  kUhidCreate = 12,
  kUhidInput = 13,
  kUhidDestroy = 14,
  kOpenHardKeyboardSettings = 15,
  kStartApp = 16,
  kResetVideo = 17,
};

// A point in video coordinates plus the video size the client saw; the server ignores events
// whose screen size is not the current video size.
struct Position {
  int32_t x = 0, y = 0;
  uint16_t screen_width = 0, screen_height = 0;
  bool operator==(const Position&) const = default;
};

struct InjectKeycode {
  KeyAction action = KeyAction::kDown;
  uint32_t keycode = 0, repeat = 0, metastate = 0;
  bool operator==(const InjectKeycode&) const = default;
};
struct InjectText {
  std::string text;  // UTF-8; the encoder truncates to 300 bytes on a character boundary
  bool operator==(const InjectText&) const = default;
};
struct InjectTouch {
  MotionAction action = MotionAction::kDown;
  uint64_t pointer_id = kPointerIdGenericFinger;
  Position position;
  float pressure = 1.0f;  // 0..1
  uint32_t action_button = 0, buttons = 0;
  bool operator==(const InjectTouch&) const = default;
};
struct InjectScroll {
  Position position;
  float hscroll = 0, vscroll = 0;  // clamped to [-16, 16] (v3.3.1+ encoding)
  uint32_t buttons = 0;
  bool operator==(const InjectScroll&) const = default;
};
struct BackOrScreenOn {
  KeyAction action = KeyAction::kDown;
  bool operator==(const BackOrScreenOn&) const = default;
};
struct ExpandNotificationPanel {
  bool operator==(const ExpandNotificationPanel&) const = default;
};
struct ExpandSettingsPanel {
  bool operator==(const ExpandSettingsPanel&) const = default;
};
struct CollapsePanels {
  bool operator==(const CollapsePanels&) const = default;
};
struct GetClipboard {
  CopyKey copy_key = CopyKey::kNone;
  bool operator==(const GetClipboard&) const = default;
};
struct SetClipboard {
  uint64_t sequence = 0;  // != 0 asks the device for an ACK_CLIPBOARD
  bool paste = false;
  std::string text;
  bool operator==(const SetClipboard&) const = default;
};
struct SetDisplayPower {
  bool on = true;
  bool operator==(const SetDisplayPower&) const = default;
};
struct RotateDevice {
  bool operator==(const RotateDevice&) const = default;
};
struct StartApp {
  std::string name;  // package name; "+name" force-stops first, "?label" searches by label
  bool operator==(const StartApp&) const = default;
};
struct ResetVideo {
  bool operator==(const ResetVideo&) const = default;
};
// Messages the reader recognises by size but that the simulator does not model (UHID, keyboard
// settings); kept so a stream stays in sync.
struct UnsupportedControl {
  ControlType type = ControlType::kUhidDestroy;
  bool operator==(const UnsupportedControl&) const = default;
};

using ControlMessage = std::variant<InjectKeycode, InjectText, InjectTouch, InjectScroll,
                                    BackOrScreenOn, ExpandNotificationPanel, ExpandSettingsPanel,
                                    CollapsePanels, GetClipboard, SetClipboard, SetDisplayPower,
                                    RotateDevice, StartApp, ResetVideo, UnsupportedControl>;

std::vector<uint8_t> encode(const ControlMessage& message);

// Fixed-point encodings (protocols.md §6.4).
uint16_t encode_pressure(float pressure);
float decode_pressure(uint16_t value);
int16_t encode_scroll(float value);  // v3.3.1+: clamp to [-16, 16], /16, ×32768
float decode_scroll(int16_t value);

// Incremental decoder for the byte stream of the control socket. Messages may span reads.
class ControlMessageReader {
 public:
  void feed(std::span<const uint8_t> bytes);
  // Next complete message, or nullopt when more bytes are needed. Throws ProtocolError on an
  // unknown type or an oversized message.
  std::optional<ControlMessage> next();

 private:
  std::vector<uint8_t> buffer_;
  size_t consumed_ = 0;
};

}  // namespace cp::scrcpy
