// `input` of the simulated device: tap, swipe, text, keyevent, motionevent, as Android's
// InputShellCommand takes them (an optional source such as `touchscreen` first).
#include <algorithm>
#include <cctype>
#include <map>

#include "devicesim/logcat.h"
#include "devicesim/shell_commands.h"

namespace cp::devicesim {

ShellScreen* require_screen(ShellCommandContext& ctx, const std::string& cmd) {
  if (ctx.device.screen == nullptr) {
    ctx.err(cmd + ": this simulated device has no screen\n");
  }
  return ctx.device.screen;
}

namespace {

// Android's KeyEvent codes for the names clients use most.
int keycode_from_name(std::string name) {
  static const std::map<std::string, int> kCodes = {
      {"SOFT_LEFT", 1},
      {"SOFT_RIGHT", 2},
      {"HOME", 3},
      {"BACK", 4},
      {"CALL", 5},
      {"ENDCALL", 6},
      {"STAR", 17},
      {"POUND", 18},
      {"DPAD_UP", 19},
      {"DPAD_DOWN", 20},
      {"DPAD_LEFT", 21},
      {"DPAD_RIGHT", 22},
      {"DPAD_CENTER", 23},
      {"VOLUME_UP", 24},
      {"VOLUME_DOWN", 25},
      {"POWER", 26},
      {"CAMERA", 27},
      {"CLEAR", 28},
      {"COMMA", 55},
      {"PERIOD", 56},
      {"TAB", 61},
      {"SPACE", 62},
      {"ENTER", 66},
      {"DEL", 67},
      {"MENU", 82},
      {"NOTIFICATION", 83},
      {"SEARCH", 84},
      {"MEDIA_PLAY_PAUSE", 85},
      {"PAGE_UP", 92},
      {"PAGE_DOWN", 93},
      {"ESCAPE", 111},
      {"FORWARD_DEL", 112},
      {"MOVE_HOME", 122},
      {"MOVE_END", 123},
      {"VOLUME_MUTE", 164},
      {"APP_SWITCH", 187},
      {"BRIGHTNESS_DOWN", 220},
      {"BRIGHTNESS_UP", 221},
      {"SLEEP", 223},
      {"WAKEUP", 224},
  };
  if (name.starts_with("KEYCODE_")) {
    name = name.substr(8);
  }
  if (name.size() == 1 && std::isdigit(static_cast<unsigned char>(name[0]))) {
    return 7 + (name[0] - '0');  // KEYCODE_0 .. KEYCODE_9
  }
  if (name.size() == 1 && std::isalpha(static_cast<unsigned char>(name[0]))) {
    return 29 + (std::toupper(static_cast<unsigned char>(name[0])) - 'A');  // KEYCODE_A ..
  }
  auto it = kCodes.find(name);
  return it == kCodes.end() ? -1 : it->second;
}

bool ints(const std::vector<std::string>& args, size_t from, size_t count, std::vector<int>& out) {
  if (args.size() < from + count) {
    return false;
  }
  for (size_t i = from; i < from + count; ++i) {
    // Android accepts floats for coordinates; the simulator's screen is in whole pixels.
    try {
      size_t used = 0;
      const float v = std::stof(args[i], &used);
      if (used != args[i].size()) {
        return false;
      }
      out.push_back(static_cast<int>(v));
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

int usage(ShellCommandContext& ctx) {
  ctx.err(
      "Usage: input [<source>] <command> [<arg>...]\n"
      "  text <string>\n"
      "  keyevent [--longpress] <key code number or name> ...\n"
      "  tap <x> <y>\n"
      "  swipe <x1> <y1> <x2> <y2> [duration(ms)]\n"
      "  motionevent <DOWN|UP|MOVE> <x> <y>\n");
  return 1;
}

int cmd_input(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  static const char* const kSources[] = {"keyboard", "mouse",  "touchscreen",
                                         "touchpad", "stylus", "trackball",
                                         "joystick", "dpad",   "gamepad"};
  size_t i = 1;
  if (i < argv.size() &&
      std::find(std::begin(kSources), std::end(kSources), argv[i]) != std::end(kSources)) {
    ++i;
  }
  if (i >= argv.size()) {
    return usage(ctx);
  }
  ShellScreen* screen = require_screen(ctx, "input");
  if (screen == nullptr) {
    return 1;
  }
  const std::string& verb = argv[i];
  std::vector<int> n;
  if (verb == "tap" && ints(argv, i + 1, 2, n)) {
    screen->tap(n[0], n[1]);
  } else if ((verb == "swipe" || verb == "draganddrop") && ints(argv, i + 1, 4, n)) {
    std::vector<int> duration;
    const int ms = ints(argv, i + 5, 1, duration) ? duration[0] : 300;
    screen->swipe(n[0], n[1], n[2], n[3], std::max(ms, 0));
  } else if (verb == "text" && argv.size() > i + 1) {
    // Android's `input text` spells spaces %s.
    const std::string& raw = argv[i + 1];
    std::string text;
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '%' && k + 1 < raw.size() && raw[k + 1] == 's') {
        text += ' ';
        ++k;
      } else {
        text += raw[k];
      }
    }
    screen->text(text);
  } else if (verb == "keyevent" && argv.size() > i + 1) {
    std::vector<int> codes;
    for (size_t k = i + 1; k < argv.size(); ++k) {
      if (argv[k] == "--longpress" || argv[k] == "--doubletap") {
        continue;
      }
      auto number = parse_int(argv[k]);
      const int code = number ? static_cast<int>(*number) : keycode_from_name(argv[k]);
      if (code < 0) {
        ctx.err("Error: Unknown keycode: " + argv[k] + "\n");
        return 1;
      }
      codes.push_back(code);
    }
    for (int code : codes) {
      screen->key(code);
    }
  } else if (verb == "motionevent" && argv.size() > i + 1 && ints(argv, i + 2, 2, n)) {
    const std::string& action = argv[i + 1];
    const int code = action == "DOWN" ? 0 : action == "UP" ? 1 : action == "MOVE" ? 2 : -1;
    if (code < 0) {
      return usage(ctx);
    }
    screen->touch(code, 0, n[0], n[1], code == 1 ? 0.0f : 1.0f);
  } else {
    return usage(ctx);
  }
  ctx.device.logcat.append(Logcat::Priority::kDebug, "InputDispatcher",
                           "input " + verb + " from shell");
  return 0;
}

}  // namespace

void register_input_commands(ShellCommands& commands) {
  commands.add("input", cmd_input);
}

}  // namespace cp::devicesim
