// The control loop of a scrcpy session: decodes control messages and applies them to the Screen,
// answering clipboard requests with device messages on the same socket.
#include <array>
#include <type_traits>

#include "android/scrcpy/protocol.h"
#include "devicesim/scrcpy_server_session.h"
#include "devicesim/screen.h"

namespace cp::devicesim {
namespace {

using namespace cp::scrcpy;

// Android motion actions to Screen::touch actions (0 down, 1 up, 2 move, 3 cancel); -1 = ignore.
int screen_touch_action(MotionAction action) {
  switch (action) {
    case MotionAction::kDown:
    case MotionAction::kPointerDown:
      return 0;
    case MotionAction::kUp:
    case MotionAction::kPointerUp:
      return 1;
    case MotionAction::kMove:
      return 2;
    case MotionAction::kCancel:
      return 3;
    default:
      return -1;  // hover: the simulated UI has no pointer hover state
  }
}

}  // namespace

void ScrcpySession::run_control() {
  std::array<uint8_t, 16 * 1024> buf{};
  ControlMessageReader reader;
  while (!stop) {
    const size_t n = control->read(buf);
    if (n == 0) {
      break;  // the client closed the control socket: end of session
    }
    try {
      reader.feed(std::span(buf.data(), n));
      while (auto message = reader.next()) {
        apply(*message);
      }
    } catch (const ProtocolError& e) {
      log(std::string("ERROR: control socket: ") + e.what());
      break;
    }
  }
  stop = true;
}

bool ScrcpySession::send(const DeviceMessage& message) {
  std::lock_guard lock(control_write_mu);
  if (const auto* clip = std::get_if<ClipboardMessage>(&message)) {
    last_synced_clipboard = clip->text;
  }
  return control && control->write(encode(message));
}

void ScrcpySession::on_device_clipboard(const std::string& text) {
  {
    std::lock_guard lock(control_write_mu);
    if (text == last_synced_clipboard) {
      return;  // the client set it, or already has it: no echo
    }
  }
  send(ClipboardMessage{text});
}

void ScrcpySession::apply(const ControlMessage& message) {
  // Positions are in video coordinates; events for another video size are stale (the client
  // has not seen a rotation yet) and are dropped, as the real server does.
  auto to_screen = [this](const Position& p, int& x, int& y) {
    const int vw = video_width, vh = video_height;
    const int sw = screen.width(), sh = screen.height();
    if (vw == 0 || vh == 0) {  // no video stream: positions are screen pixels
      x = p.x;
      y = p.y;
      return p.screen_width == sw && p.screen_height == sh;
    }
    if (p.screen_width != vw || p.screen_height != vh) {
      return false;
    }
    x = static_cast<int>(static_cast<int64_t>(p.x) * sw / vw);
    y = static_cast<int>(static_cast<int64_t>(p.y) * sh / vh);
    return true;
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        int x = 0, y = 0;
        if constexpr (std::is_same_v<T, InjectKeycode>) {
          if (m.action == KeyAction::kDown) {
            screen.key(static_cast<int>(m.keycode));
          }
        } else if constexpr (std::is_same_v<T, InjectText>) {
          screen.text(m.text);
          if (input_log) {
            input_log("scrcpy inject text \"" + m.text + "\"");  // a simulator-only trace
          }
        } else if constexpr (std::is_same_v<T, InjectTouch>) {
          const int action = screen_touch_action(m.action);
          if (action >= 0 && to_screen(m.position, x, y)) {
            screen.touch(action, static_cast<int64_t>(m.pointer_id), x, y, m.pressure);
          }
        } else if constexpr (std::is_same_v<T, InjectScroll>) {
          if (to_screen(m.position, x, y)) {
            screen.scroll(x, y, m.hscroll, m.vscroll);
          }
        } else if constexpr (std::is_same_v<T, BackOrScreenOn>) {
          if (m.action == KeyAction::kDown) {
            if (screen.screen_on()) {
              screen.key(kKeycodeBack);
            } else {
              screen.set_screen_on(true);
            }
          }
        } else if constexpr (std::is_same_v<T, GetClipboard>) {
          if (m.copy_key != CopyKey::kNone) {
            screen.copy_focused_text(m.copy_key == CopyKey::kCut);
          }
          send(ClipboardMessage{screen.clipboard()});
        } else if constexpr (std::is_same_v<T, SetClipboard>) {
          {
            std::lock_guard lock(control_write_mu);
            last_synced_clipboard = m.text;  // do not echo it back through autosync
          }
          screen.set_clipboard(m.text);
          if (m.paste) {
            screen.paste();
          }
          if (m.sequence != 0) {
            send(AckClipboardMessage{m.sequence});
          }
        } else if constexpr (std::is_same_v<T, SetDisplayPower>) {
          screen.set_screen_on(m.on);
        } else if constexpr (std::is_same_v<T, RotateDevice>) {
          screen.rotate();
        } else if constexpr (std::is_same_v<T, StartApp>) {
          std::string name = m.name;
          if (name.starts_with("+")) {  // "+pkg": force-stop before starting
            name.erase(0, 1);
            screen.force_stop(name);
          }
          if (!screen.launch(name)) {
            log("WARN: No app found for " + m.name);
          }
        } else if constexpr (std::is_same_v<T, ResetVideo>) {
          reset_video = true;
        }
        // Panels, UHID and keyboard settings have no counterpart in the simulated UI.
      },
      message);
}

}  // namespace cp::devicesim
