// `dumpsys`, `logcat`, `reboot` and the `cmd SERVICE ...` front end of the simulated device.
#include <chrono>
#include <thread>

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/shell_commands.h"
#include "devicesim/shell_interpreter.h"

namespace cp::devicesim {
namespace {

// The simulator is always on mains power with a full battery.
constexpr const char* kBatteryDump =
    "Current Battery Service state:\n"
    "  AC powered: true\n"
    "  USB powered: false\n"
    "  Wireless powered: false\n"
    "  Dock powered: false\n"
    "  Max charging current: 0\n"
    "  Max charging voltage: 0\n"
    "  Charging counter: 0\n"
    "  status: 5\n"
    "  health: 2\n"
    "  present: true\n"
    "  level: 100\n"
    "  scale: 100\n"
    "  voltage: 5000\n"
    "  temperature: 250\n"
    "  technology: Li-ion\n";

int dumpsys_package(ShellCommandContext& ctx, const std::string& package) {
  const auto info = ctx.device.packages.info(package);
  if (!info) {
    ctx.out("Unable to find package: " + package + "\n");
    return 0;
  }
  std::string text = "Packages:\n  Package [" + info->package + "]:\n";
  text += "    codePath=" + info->apk_path.substr(0, info->apk_path.rfind('/')) + "\n";
  text += "    versionCode=" + std::to_string(info->version_code) +
          " minSdk=" + std::to_string(info->min_sdk) +
          " targetSdk=" + std::to_string(info->target_sdk) + "\n";
  text += "    versionName=" + info->version_name + "\n";
  text += std::string("    flags=[ ") + (info->system ? "SYSTEM " : "") + "HAS_CODE ]\n";
  text += "    requested permissions:\n";
  for (const auto& p : info->permissions) {
    text += "      " + p + "\n";
  }
  ctx.out(text);
  return 0;
}

int cmd_dumpsys(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  const std::string service = argv.size() > 1 ? argv[1] : "";
  if (service == "battery") {
    ctx.out(kBatteryDump);
    return 0;
  }
  if (service == "package" && argv.size() > 2) {
    return dumpsys_package(ctx, argv[2]);
  }
  if (service == "-l" || service.empty()) {
    ctx.out(
        "Currently running services:\n  activity\n  battery\n  input\n  package\n"
        "  settings\n  window\n");
    return 0;
  }
  ctx.err("Can't find service: " + service + " (the simulated device dumps battery and package)\n");
  return 1;
}

int cmd_logcat(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  bool dump = false;
  std::optional<long long> tail;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-c") {
      ctx.device.logcat.clear();
      return 0;
    }
    if (a == "-d") {
      dump = true;
    } else if ((a == "-t" || a == "-T") && i + 1 < argv.size()) {
      tail = parse_int(argv[++i]);
      dump = dump || a == "-t";
    } else if ((a == "-v" || a == "-b") && i + 1 < argv.size()) {
      ++i;  // one buffer, threadtime format: the simulator keeps nothing else
    } else if (a.starts_with("-")) {
      ctx.err("logcat: the simulated device does not support option " + a + "\n");
      return 1;
    }
  }
  uint64_t seq = 0;
  std::vector<std::string> lines = ctx.device.logcat.lines_since(0, seq);
  if (tail && *tail >= 0 && static_cast<size_t>(*tail) < lines.size()) {
    lines.erase(lines.begin(), lines.end() - *tail);
  }
  while (true) {
    std::string text;
    for (const auto& line : lines) {
      text += line + "\n";
    }
    if (!text.empty() && !ctx.out(text)) {
      return 0;
    }
    if (dump) {
      return 0;
    }
    // Follow the log until the ADB stream closes, like `adb logcat`.
    for (int i = 0; i < 4 && !ctx.io.cancelled.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (ctx.io.cancelled.load()) {
      return 0;
    }
    lines = ctx.device.logcat.lines_since(seq, seq);
  }
}

int cmd_reboot(ShellCommandContext& ctx, const std::vector<std::string>&) {
  ctx.device.logcat.info("ShutdownThread", "Rebooting, reason: shell (simulated device)");
  if (ctx.device.reboot) {
    ctx.device.reboot();
  }
  return 0;
}

// `cmd SERVICE ARGS...`: the services the simulator has map onto the matching commands.
int cmd_cmd(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  static const std::map<std::string, std::string> kServices = {
      {"package", "pm"},  {"activity", "am"},       {"window", "wm"},
      {"input", "input"}, {"settings", "settings"},
  };
  if (argv.size() < 2) {
    ctx.err("cmd: No service specified; use -l to list all running services.\n");
    return 20;
  }
  if (argv[1] == "-l") {
    std::string text = "Currently running services:\n";
    for (const auto& [service, command] : kServices) {
      text += "  " + service + "\n";
    }
    ctx.out(text);
    return 0;
  }
  auto it = kServices.find(argv[1]);
  const ShellCommand* command =
      it == kServices.end() ? nullptr : ctx.shell.commands().find(it->second);
  if (command == nullptr) {
    ctx.err("cmd: Can't find service: " + argv[1] + "\n");
    return 20;
  }
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  args[0] = it->second;
  return (*command)(ctx, args);
}

}  // namespace

void register_system_commands(ShellCommands& commands) {
  commands.add("dumpsys", cmd_dumpsys);
  commands.add("logcat", cmd_logcat);
  commands.add("reboot", cmd_reboot);
  commands.add("cmd", cmd_cmd);
}

}  // namespace cp::devicesim
