// getprop / setprop of the simulated device, in Android's formats.
#include "devicesim/props.h"
#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace {

int cmd_getprop(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  if (argv.size() == 1) {
    std::string text;
    for (const auto& [name, value] : ctx.device.props.all()) {
      text += "[" + name + "]: [" + value + "]\n";
    }
    ctx.out(text);
    return 0;
  }
  // `getprop NAME [DEFAULT]`: an unknown property prints the default or an empty line.
  const std::string fallback = argv.size() > 2 ? argv[2] : "";
  ctx.out(ctx.device.props.get_or(argv[1], fallback) + "\n");
  return 0;
}

int cmd_setprop(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  if (argv.size() != 3) {
    ctx.err("usage: setprop NAME VALUE\n\nSets an Android system property.\n");
    return 1;
  }
  if (!ctx.device.props.set(argv[1], argv[2])) {
    ctx.err("Failed to set property '" + argv[1] + "' to '" + argv[2] +
            "'.\nSee dmesg for error reason.\n");
    return 1;
  }
  return 0;
}

}  // namespace

void register_prop_commands(ShellCommands& commands) {
  commands.add("getprop", cmd_getprop);
  commands.add("setprop", cmd_setprop);
}

}  // namespace cp::devicesim
