#include "services/media/input.h"

#include <boost/json/parse.hpp>
#include <cmath>

namespace cp::media {
namespace {

using namespace cp::scrcpy;
namespace json = boost::json;

struct Reject {
  std::string reason;
};

const json::value& field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) throw Reject{"missing_" + std::string(key)};
  return *v;
}

double number(const json::object& o, std::string_view key) {
  const auto& v = field(o, key);
  double d = 0;
  if (v.is_int64()) {
    d = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    d = static_cast<double>(v.get_uint64());
  } else if (v.is_double()) {
    d = v.get_double();
  } else {
    throw Reject{"bad_" + std::string(key)};
  }
  if (!std::isfinite(d)) throw Reject{"bad_" + std::string(key)};
  return d;
}

std::string_view string(const json::object& o, std::string_view key) {
  const auto& v = field(o, key);
  if (!v.is_string()) throw Reject{"bad_" + std::string(key)};
  return v.get_string();
}

Position position(const json::object& o, FrameSize frame, bool clamp) {
  auto p = map_to_device({number(o, "x"), number(o, "y"), number(o, "w"), number(o, "h")}, frame, 0,
                         clamp);
  if (!p) throw Reject{"outside_picture"};
  return *p;
}

void key_press(ParsedInput& out, int keycode) {
  out.messages.push_back(InjectKeycode{KeyAction::kDown, static_cast<uint32_t>(keycode), 0, 0});
  out.messages.push_back(InjectKeycode{KeyAction::kUp, static_cast<uint32_t>(keycode), 0, 0});
}

void parse_object(const json::object& o, FrameSize frame, ParsedInput& out) {
  const auto t = string(o, "t");
  if (t == "touch") {
    const auto action = string(o, "action");
    MotionAction a;
    if (action == "down") {
      a = MotionAction::kDown;
    } else if (action == "move") {
      a = MotionAction::kMove;
    } else if (action == "up") {
      a = MotionAction::kUp;
    } else if (action == "cancel") {
      a = MotionAction::kCancel;
    } else {
      throw Reject{"bad_action"};
    }
    uint64_t pointer = kPointerIdGenericFinger;
    if (o.contains("pointer")) {
      const double p = number(o, "pointer");
      if (p < 0 || p > 31 || p != std::floor(p)) throw Reject{"bad_pointer"};
      pointer = static_cast<uint64_t>(p);
    }
    const float pressure = a == MotionAction::kUp ? 0.0f : 1.0f;
    out.messages.push_back(
        InjectTouch{a, pointer, position(o, frame, a != MotionAction::kDown), pressure, 0, 0});
  } else if (t == "key") {
    const double code = number(o, "code");
    if (code < 0 || code > 400 || code != std::floor(code)) throw Reject{"bad_code"};
    const auto action = o.contains("action") ? string(o, "action") : std::string_view("press");
    const auto k = static_cast<uint32_t>(code);
    if (action == "down") {
      out.messages.push_back(InjectKeycode{KeyAction::kDown, k, 0, 0});
    } else if (action == "up") {
      out.messages.push_back(InjectKeycode{KeyAction::kUp, k, 0, 0});
    } else if (action == "press") {
      key_press(out, static_cast<int>(k));
    } else {
      throw Reject{"bad_action"};
    }
  } else if (t == "text") {
    const auto text = string(o, "text");
    if (text.empty() || text.size() > kInjectTextMaxLength) throw Reject{"bad_text"};
    out.messages.push_back(InjectText{std::string(text)});
  } else if (t == "scroll") {
    const double dx = number(o, "dx"), dy = number(o, "dy");
    out.messages.push_back(InjectScroll{position(o, frame, false), static_cast<float>(std::clamp(dx, -16.0, 16.0)),
                                        static_cast<float>(std::clamp(dy, -16.0, 16.0)), 0});
  } else if (t == "back") {
    key_press(out, kKeycodeBack);
  } else if (t == "home") {
    key_press(out, kKeycodeHome);
  } else if (t == "recents") {
    key_press(out, kKeycodeAppSwitch);
  } else if (t == "clipboard") {
    const auto text = string(o, "text");
    if (text.size() > kClipboardTextMaxLength) throw Reject{"bad_text"};
    out.messages.push_back(SetClipboard{0, false, std::string(text)});
  } else if (t == "rotate") {
    out.messages.push_back(RotateDevice{});
  } else if (t == "keyframe") {
    out.keyframe = true;
  } else {
    throw Reject{"unknown_type"};
  }
}

}  // namespace

ParsedInput parse_input(std::string_view text, FrameSize frame) {
  ParsedInput out;
  if (text.size() > kMaxInputMessageSize) {
    out.error = "too_large";
    return out;
  }
  boost::system::error_code ec;
  const auto value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    out.error = "not_json_object";
    return out;
  }
  try {
    parse_object(value.get_object(), frame, out);
  } catch (const Reject& r) {
    out = ParsedInput{};
    out.error = r.reason;
  }
  return out;
}

}  // namespace cp::media
