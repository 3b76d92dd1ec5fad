// `wm size|density` and `screencap` of the simulated device.
#include <fstream>

#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace {

int cmd_wm(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  const DeviceConfig& c = ctx.device.config;
  const std::string verb = argv.size() > 1 ? argv[1] : "";
  if (verb == "size") {
    if (argv.size() > 2 && argv[2] != "reset") {
      ctx.err("Error: the simulated device cannot change its display size\n");
      return 1;
    }
    if (argv.size() == 2) {
      ctx.out("Physical size: " + std::to_string(c.width) + "x" + std::to_string(c.height) + "\n");
    }
    return 0;
  }
  if (verb == "density") {
    if (argv.size() > 2 && argv[2] != "reset") {
      ctx.err("Error: the simulated device cannot change its density\n");
      return 1;
    }
    if (argv.size() == 2) {
      ctx.out("Physical density: " + std::to_string(c.dpi) + "\n");
    }
    return 0;
  }
  ctx.err(
      "Window manager (window) commands (simulated device):\n"
      "  size [reset]\n"
      "  density [reset]\n");
  return verb.empty() || verb == "help" ? 0 : 1;
}

// `screencap -p` writes PNG to stdout; `screencap [-p] FILE` writes a file (PNG when -p is given
// or the name ends in .png, as on Android). The raw RGBA format is not produced by the simulator.
int cmd_screencap(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  bool png = false;
  std::string file;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "-p") {
      png = true;
    } else if (argv[i] == "-d") {
      ++i;  // display id: the simulator has one display
    } else if (argv[i] == "-h") {
      ctx.err("usage: screencap [-hp] [-d display-id] [FILENAME]\n");
      return 0;
    } else if (!argv[i].empty() && argv[i][0] == '-') {
      ctx.err("usage: screencap [-hp] [-d display-id] [FILENAME]\n");
      return 1;
    } else {
      file = argv[i];
    }
  }
  png = png || file.ends_with(".png");
  if (!png) {
    ctx.err("screencap: the simulated device writes PNG only; use -p\n");
    return 1;
  }
  ShellScreen* screen = require_screen(ctx, "screencap");
  if (screen == nullptr) {
    return 1;
  }
  const std::vector<uint8_t> bytes = screen->screenshot_png();
  const std::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (file.empty()) {
    return ctx.out(data) ? 0 : 1;
  }
  auto target = ctx.resolve("screencap", file);
  if (!target) {
    return 1;
  }
  std::ofstream out(target->host_path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) {
    ctx.err("Error opening file: " + file + " (No such file or directory)\n");
    return 1;
  }
  return 0;
}

}  // namespace

void register_wm_commands(ShellCommands& commands) {
  commands.add("wm", cmd_wm);
  commands.add("screencap", cmd_screencap);
}

}  // namespace cp::devicesim
