#include "android/scrcpy/control_message.h"

#include <algorithm>
#include <cmath>

#include "android/scrcpy/binary.h"
#include "android/scrcpy/utf8.h"

namespace cp::scrcpy {
namespace {

void put_position(std::vector<uint8_t>& out, const Position& p) {
  put_u32(out, static_cast<uint32_t>(p.x));
  put_u32(out, static_cast<uint32_t>(p.y));
  put_u16(out, p.screen_width);
  put_u16(out, p.screen_height);
}

Position get_position(const uint8_t* p) {
  return Position{static_cast<int32_t>(get_u32(p)), static_cast<int32_t>(get_u32(p + 4)),
                  get_u16(p + 8), get_u16(p + 10)};
}

struct Encoder {
  std::vector<uint8_t>& out;
  void operator()(const InjectKeycode& m) {
    out.push_back(static_cast<uint8_t>(m.action));
    put_u32(out, m.keycode);
    put_u32(out, m.repeat);
    put_u32(out, m.metastate);
  }
  void operator()(const InjectText& m) {
    const auto text = truncate_utf8(m.text, kInjectTextMaxLength);
    put_u32(out, static_cast<uint32_t>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
  }
  void operator()(const InjectTouch& m) {
    out.push_back(static_cast<uint8_t>(m.action));
    put_u64(out, m.pointer_id);
    put_position(out, m.position);
    put_u16(out, encode_pressure(m.pressure));
    put_u32(out, m.action_button);
    put_u32(out, m.buttons);
  }
  void operator()(const InjectScroll& m) {
    put_position(out, m.position);
    put_u16(out, static_cast<uint16_t>(encode_scroll(m.hscroll)));
    put_u16(out, static_cast<uint16_t>(encode_scroll(m.vscroll)));
    put_u32(out, m.buttons);
  }
  void operator()(const BackOrScreenOn& m) { out.push_back(static_cast<uint8_t>(m.action)); }
  void operator()(const GetClipboard& m) { out.push_back(static_cast<uint8_t>(m.copy_key)); }
  void operator()(const SetClipboard& m) {
    const auto text = truncate_utf8(m.text, kClipboardTextMaxLength);
    put_u64(out, m.sequence);
    out.push_back(m.paste ? 1 : 0);
    put_u32(out, static_cast<uint32_t>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
  }
  void operator()(const SetDisplayPower& m) { out.push_back(m.on ? 1 : 0); }
  void operator()(const StartApp& m) {
    const auto name = truncate_utf8(m.name, 255);
    out.push_back(static_cast<uint8_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
  }
  // Type byte only.
  void operator()(const ExpandNotificationPanel&) {}
  void operator()(const ExpandSettingsPanel&) {}
  void operator()(const CollapsePanels&) {}
  void operator()(const RotateDevice&) {}
  void operator()(const ResetVideo&) {}
  void operator()(const UnsupportedControl&) {
    throw ProtocolError("cannot encode an unsupported control message");
  }
};

ControlType type_of(const ControlMessage& m) {
  return std::visit(
      [](const auto& v) -> ControlType {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, InjectKeycode>) return ControlType::kInjectKeycode;
        if constexpr (std::is_same_v<T, InjectText>) return ControlType::kInjectText;
        if constexpr (std::is_same_v<T, InjectTouch>) return ControlType::kInjectTouch;
        if constexpr (std::is_same_v<T, InjectScroll>) return ControlType::kInjectScroll;
        if constexpr (std::is_same_v<T, BackOrScreenOn>) return ControlType::kBackOrScreenOn;
        if constexpr (std::is_same_v<T, ExpandNotificationPanel>)
          return ControlType::kExpandNotificationPanel;
        if constexpr (std::is_same_v<T, ExpandSettingsPanel>)
          return ControlType::kExpandSettingsPanel;
        if constexpr (std::is_same_v<T, CollapsePanels>) return ControlType::kCollapsePanels;
        if constexpr (std::is_same_v<T, GetClipboard>) return ControlType::kGetClipboard;
        if constexpr (std::is_same_v<T, SetClipboard>) return ControlType::kSetClipboard;
        if constexpr (std::is_same_v<T, SetDisplayPower>) return ControlType::kSetDisplayPower;
        if constexpr (std::is_same_v<T, RotateDevice>) return ControlType::kRotateDevice;
        if constexpr (std::is_same_v<T, StartApp>) return ControlType::kStartApp;
        if constexpr (std::is_same_v<T, ResetVideo>) return ControlType::kResetVideo;
        if constexpr (std::is_same_v<T, UnsupportedControl>) return v.type;
      },
      m);
}

}  // namespace

std::vector<uint8_t> encode(const ControlMessage& message) {
  std::vector<uint8_t> out;
  out.push_back(static_cast<uint8_t>(type_of(message)));
  std::visit(Encoder{out}, message);
  return out;
}

uint16_t encode_pressure(float pressure) {
  const float clamped = std::clamp(pressure, 0.0f, 1.0f);
  const auto v = static_cast<uint32_t>(clamped * 65536.0f);
  return static_cast<uint16_t>(std::min<uint32_t>(v, 0xffff));
}

float decode_pressure(uint16_t value) {
  return value == 0xffff ? 1.0f : static_cast<float>(value) / 65536.0f;
}

int16_t encode_scroll(float value) {
  const float unit = std::clamp(value, -16.0f, 16.0f) / 16.0f;
  const auto v = static_cast<int32_t>(unit * 32768.0f);
  return static_cast<int16_t>(std::clamp<int32_t>(v, -32768, 0x7fff));
}

float decode_scroll(int16_t value) {
  const float unit = value == 0x7fff ? 1.0f : static_cast<float>(value) / 32768.0f;
  return unit * 16.0f;
}

void ControlMessageReader::feed(std::span<const uint8_t> bytes) {
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
  consumed_ = 0;
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<ControlMessage> ControlMessageReader::next() {
  const uint8_t* p = buffer_.data() + consumed_;
  const size_t avail = buffer_.size() - consumed_;
  if (avail == 0) {
    return std::nullopt;
  }
  // Returns the total size of the message at p, or 0 when the length is not readable yet.
  auto need = [&](size_t fixed) { return avail >= fixed; };
  const auto type = static_cast<ControlType>(p[0]);
  size_t size = 0;
  switch (type) {
    case ControlType::kInjectKeycode:
      size = 14;
      break;
    case ControlType::kInjectText:
      size = need(5) ? 5 + size_t{get_u32(p + 1)} : 0;
      break;
    case ControlType::kInjectTouch:
      size = 32;
      break;
    case ControlType::kInjectScroll:
      size = 21;
      break;
    case ControlType::kBackOrScreenOn:
    case ControlType::kGetClipboard:
    case ControlType::kSetDisplayPower:
      size = 2;
      break;
    case ControlType::kExpandNotificationPanel:
    case ControlType::kExpandSettingsPanel:
    case ControlType::kCollapsePanels:
    case ControlType::kRotateDevice:
    case ControlType::kOpenHardKeyboardSettings:
    case ControlType::kResetVideo:
      size = 1;
      break;
    case ControlType::kSetClipboard:
      size = need(14) ? 14 + size_t{get_u32(p + 10)} : 0;
      break;
    case ControlType::kUhidCreate:
      if (need(8)) {
        const size_t name_len = p[7];
        size = need(8 + name_len + 2) ? 8 + name_len + 2 + get_u16(p + 8 + name_len) : 0;
      }
      break;
    case ControlType::kUhidInput:
      size = need(5) ? 5 + size_t{get_u16(p + 3)} : 0;
      break;
    case ControlType::kUhidDestroy:
      size = 3;
      break;
    case ControlType::kStartApp:
      size = need(2) ? 2 + size_t{p[1]} : 0;
      break;
    default:
      throw ProtocolError("unknown control message type " + std::to_string(p[0]));
  }
  if (size > kControlMessageMaxSize) {
    throw ProtocolError("control message too large");
  }
  if (size == 0 || avail < size) {
    return std::nullopt;
  }
  consumed_ += size;
  auto text_at = [&](size_t offset, size_t len) {
    return std::string(reinterpret_cast<const char*>(p + offset), len);
  };
  switch (type) {
    case ControlType::kInjectKeycode:
      return InjectKeycode{static_cast<KeyAction>(p[1]), get_u32(p + 2), get_u32(p + 6),
                           get_u32(p + 10)};
    case ControlType::kInjectText:
      return InjectText{text_at(5, size - 5)};
    case ControlType::kInjectTouch:
      return InjectTouch{static_cast<MotionAction>(p[1]),  get_u64(p + 2),  get_position(p + 10),
                         decode_pressure(get_u16(p + 22)), get_u32(p + 24), get_u32(p + 28)};
    case ControlType::kInjectScroll:
      return InjectScroll{get_position(p + 1), decode_scroll(static_cast<int16_t>(get_u16(p + 13))),
                          decode_scroll(static_cast<int16_t>(get_u16(p + 15))), get_u32(p + 17)};
    case ControlType::kBackOrScreenOn:
      return BackOrScreenOn{static_cast<KeyAction>(p[1])};
    case ControlType::kExpandNotificationPanel:
      return ExpandNotificationPanel{};
    case ControlType::kExpandSettingsPanel:
      return ExpandSettingsPanel{};
    case ControlType::kCollapsePanels:
      return CollapsePanels{};
    case ControlType::kGetClipboard:
      return GetClipboard{static_cast<CopyKey>(p[1])};
    case ControlType::kSetClipboard:
      return SetClipboard{get_u64(p + 1), p[9] != 0, text_at(14, size - 14)};
    case ControlType::kSetDisplayPower:
      return SetDisplayPower{p[1] != 0};
    case ControlType::kRotateDevice:
      return RotateDevice{};
    case ControlType::kStartApp:
      return StartApp{text_at(2, size - 2)};
    case ControlType::kResetVideo:
      return ResetVideo{};
    default:
      return UnsupportedControl{type};
  }
}

}  // namespace cp::scrcpy
