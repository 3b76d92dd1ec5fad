// `am start|force-stop` and `monkey -p PKG ... 1` of the simulated device. Launching an app means
// asking the Screen to show it; output follows ActivityManagerShellCommand.
#include <chrono>

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace {

constexpr int kHomeKeycode = 3;

// "pkg/.Main" -> {"pkg", "pkg.Main"}; "pkg/com.x.Main" -> {"pkg", "com.x.Main"}.
std::pair<std::string, std::string> split_component(const std::string& component) {
  const size_t slash = component.find('/');
  if (slash == std::string::npos) {
    return {component, ""};
  }
  const std::string package = component.substr(0, slash);
  std::string activity = component.substr(slash + 1);
  if (activity.starts_with(".")) {
    activity = package + activity;
  }
  return {package, activity};
}

int am_start(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  std::string action, category, data, component;
  bool wait = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (a == "-a") {
      action = value();
    } else if (a == "-c") {
      category = value();
    } else if (a == "-d") {
      data = value();
    } else if (a == "-n") {
      component = value();
    } else if (a == "-W") {
      wait = true;
    } else if (a == "--user" || a == "-f" || a == "-t" || a == "--es" || a == "--ei" ||
               a == "--ez") {
      value();
      if (a.starts_with("--e")) {
        value();  // extras take a key and a value
      }
    } else if (a == "-S" || a == "-R" || a == "--activity-clear-task" || a == "-D") {
      // accepted; the simulator starts apps fresh anyway
    } else if (a.find('/') != std::string::npos && component.empty()) {
      component = a;
    }
  }
  std::string intent;
  auto field = [&](const std::string& name, const std::string& v) {
    if (!v.empty()) {
      intent += (intent.empty() ? "" : " ") + name + v;
    }
  };
  field("act=", action);
  field("cat=", category.empty() ? "" : "[" + category + "]");
  field("dat=", data);
  field("cmp=", component);
  ctx.out("Starting: Intent { " + intent + " }\n");

  ShellScreen* screen = require_screen(ctx, "am");
  if (screen == nullptr) {
    return 1;
  }
  if (component.empty()) {
    if (category == "android.intent.category.HOME") {
      screen->key(kHomeKeycode);
      return 0;
    }
    ctx.err("Error: Activity not started, unable to resolve Intent { " + intent + " }\n");
    return 1;
  }
  const auto [package, activity] = split_component(component);
  const auto info = ctx.device.packages.info(package);
  if (!info || (activity.empty() && info->launchable_activity.empty())) {
    ctx.err("Error type 3\nError: Activity class {" + package + "/" + activity +
            "} does not exist.\n");
    return 1;
  }
  screen->launch(package);
  ctx.device.logcat.info("ActivityTaskManager",
                         "START u0 {" + intent + "} from uid 2000 (simulated device)");
  if (wait) {
    ctx.out("Status: ok\nLaunchState: COLD\nActivity: " + package + "/" +
            (activity.empty() ? info->launchable_activity : activity) +
            "\nTotalTime: 0\nWaitTime: 0\nComplete\n");
  }
  return 0;
}

int cmd_am(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  const std::string verb = args.empty() ? "" : args[0];
  if (verb == "start" || verb == "start-activity") {
    return am_start(ctx, args);
  }
  if (verb == "force-stop" || verb == "kill") {
    if (args.size() < 2) {
      ctx.err("Error: package name not specified\n");
      return 1;
    }
    if (ShellScreen* screen = require_screen(ctx, "am")) {
      screen->force_stop(args.back());
      ctx.device.logcat.info("ActivityManager", "Force stopping " + args.back() + " from shell");
      return 0;
    }
    return 1;
  }
  ctx.err(
      "Activity manager (activity) commands (simulated device):\n"
      "  start [-W] [-a ACTION] [-c CATEGORY] [-d DATA] -n PACKAGE/ACTIVITY\n"
      "  force-stop PACKAGE\n");
  return verb.empty() || verb == "help" ? 0 : 1;
}

// Only the launch form `monkey -p PKG [-c CATEGORY] COUNT` is simulated: it starts the package's
// launcher activity once, which is what clients use it for.
int cmd_monkey(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  const auto started = std::chrono::steady_clock::now();
  std::string package;
  std::string text;
  for (size_t i = 1; i < argv.size(); ++i) {
    text += "  bash arg: " + argv[i] + "\n";
    if (argv[i] == "-p" && i + 1 < argv.size()) {
      package = argv[i + 1];
    }
  }
  ctx.out(text);
  const auto info = package.empty() ? std::nullopt : ctx.device.packages.info(package);
  if (!info || info->launchable_activity.empty()) {
    ctx.out("** No activities found to run, monkey aborted.\n");
    return 1;
  }
  ShellScreen* screen = require_screen(ctx, "monkey");
  if (screen == nullptr) {
    return 1;
  }
  screen->launch(package);
  ctx.device.logcat.info("ActivityTaskManager",
                         "START u0 {act=android.intent.action.MAIN cat=[android.intent.category."
                         "LAUNCHER] cmp=" +
                             package + "/" + info->launchable_activity +
                             "} from uid 2000 (monkey, simulated device)");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  ctx.out("Events injected: 1\n## Network stats: elapsed time=" + std::to_string(ms) +
          "ms (0ms mobile, 0ms wifi, " + std::to_string(ms) + "ms not connected)\n");
  return 0;
}

}  // namespace

void register_am_commands(ShellCommands& commands) {
  commands.add("am", cmd_am);
  commands.add("monkey", cmd_monkey);
}

}  // namespace cp::devicesim
