// `pm` and `cmd package` of the simulated device: install (from a device file or streamed on stdin
// with -S, as `adb install` does), uninstall, list packages, path, clear. Output follows Android's
// PackageManagerShellCommand: "Success", "Failure [CODE: reason]", "package:NAME".
#include <atomic>
#include <fstream>

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace fs = std::filesystem;
namespace {

constexpr long long kMaxStreamedApk = 4LL << 30;  // refuse absurd -S sizes

int failure(ShellCommandContext& ctx, const std::string& what) {
  ctx.out("Failure [" + what + "]\n");
  return 1;
}

// Copies exactly `size` bytes of stdin into `file`. Returns an error text, empty on success.
std::string receive_apk(ShellCommandContext& ctx, long long size, const fs::path& file) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    return "cannot create staging file";
  }
  long long left = size;
  uint8_t buf[64 * 1024];
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<long long>(left, sizeof buf));
    const size_t n = ctx.io.in.read(std::span(buf, want));
    if (n == 0) {
      return "Short read: got " + std::to_string(size - left) + " of " + std::to_string(size) +
             " bytes";
    }
    out.write(reinterpret_cast<const char*>(buf), static_cast<std::streamsize>(n));
    left -= static_cast<long long>(n);
  }
  return out ? "" : "cannot write staging file";
}

int pm_install(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  InstallOptions options;
  std::optional<long long> streamed_size;
  std::string apk_path;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool takes_value = a == "-S" || a == "-i" || a == "--user" || a == "-p" ||
                             a == "--install-location" || a == "--abi" || a == "--pkg" ||
                             a == "--originating-uri" || a == "--referrer" ||
                             a == "--install-reason";
    if (takes_value) {
      if (i + 1 >= args.size()) {
        ctx.err("Error: option " + a + " requires an argument\n");
        return 1;
      }
      if (a == "-S") {
        streamed_size = parse_int(args[i + 1]);
        if (!streamed_size || *streamed_size <= 0 || *streamed_size > kMaxStreamedApk) {
          ctx.err("Error: invalid size " + args[i + 1] + "\n");
          return 1;
        }
      }
      ++i;
    } else if (a == "-r" || a == "-t" || a == "-f" || a == "-l" || a == "--dont-kill" ||
               a == "--force-queryable" || a == "--full" || a == "--skip-verification") {
      // -r is Android 13's default; the others do not change what the simulator keeps.
    } else if (a == "-R") {
      options.allow_replace = false;
    } else if (a == "-d") {
      options.allow_downgrade = true;
    } else if (a == "-g") {
      options.grant_all = true;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      ctx.err("Error: Unknown option: " + a + "\n");
      return 1;
    } else if (apk_path.empty()) {
      apk_path = a;
    } else {
      ctx.err("Error: the simulator installs a single APK per command (got " + a + ")\n");
      return 1;
    }
  }

  fs::path host_apk;
  fs::path staged;
  if (streamed_size && (apk_path.empty() || apk_path == "-")) {
    static std::atomic<int> counter{0};
    const fs::path staging_dir = ctx.device.config.state_dir / "staging";
    fs::create_directories(staging_dir);
    staged = staging_dir / ("vmdl" + std::to_string(++counter) + ".tmp");
    const std::string error = receive_apk(ctx, *streamed_size, staged);
    if (!error.empty()) {
      std::error_code ec;
      fs::remove(staged, ec);
      return failure(ctx, "INSTALL_FAILED_INVALID_APK: " + error);
    }
    host_apk = staged;
  } else if (apk_path.empty() || apk_path == "-") {
    ctx.err("Error: APK content must be streamed with -S SIZE or given as a path\n");
    return 1;
  } else {
    auto file = ctx.resolve("pm", apk_path);
    std::error_code ec;
    if (!file) {
      return 1;
    }
    if (!fs::is_regular_file(file->host_path, ec)) {
      ctx.err("Error: Can't stat file: " + apk_path + "\n");
      return 1;
    }
    host_apk = file->host_path;
  }

  int status = 0;
  try {
    const PackageInfo info = ctx.device.packages.install(host_apk, options);
    ctx.device.logcat.info(
        "PackageManager",
        "Package " + info.package + " installed, versionCode " + std::to_string(info.version_code));
    ctx.out("Success\n");
  } catch (const PackageError& e) {
    ctx.device.logcat.warn("PackageManager", std::string("Install failed: ") + e.what());
    status = failure(ctx, e.what());
  }
  if (!staged.empty()) {
    std::error_code ec;
    fs::remove(staged, ec);
  }
  return status;
}

int pm_uninstall(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  std::string package;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--user" || args[i] == "--versionCode") {
      ++i;
    } else if (args[i] != "-k") {
      package = args[i];
    }
  }
  if (package.empty()) {
    ctx.err("Error: package name not specified\n");
    return 1;
  }
  try {
    ctx.device.packages.uninstall(package);
  } catch (const PackageError& e) {
    return failure(ctx, e.what());
  }
  ctx.device.logcat.info("PackageManager", "Package " + package + " removed");
  ctx.out("Success\n");
  return 0;
}

int pm_list(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] != "packages") {
    ctx.err("Error: the simulator lists only packages (pm list packages)\n");
    return 1;
  }
  bool third_party = false, system = false, show_path = false, show_version = false,
       show_installer = false;
  std::string filter;
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-3") {
      third_party = true;
    } else if (a == "-s") {
      system = true;
    } else if (a == "-f") {
      show_path = true;
    } else if (a == "-i") {
      show_installer = true;
    } else if (a == "--show-versioncode") {
      show_version = true;
    } else if (a == "--user") {
      ++i;
    } else if (a == "-e" || a == "-d" || a == "-a" || a == "-u") {
      // every package is enabled in the simulator
    } else if (!a.empty() && a[0] == '-') {
      ctx.err("Error: Unknown option: " + a + "\n");
      return 1;
    } else {
      filter = a;
    }
  }
  std::string text;
  for (const PackageInfo& p : ctx.device.packages.list()) {
    if ((third_party && p.system) || (system && !p.system) ||
        p.package.find(filter) == std::string::npos) {
      continue;
    }
    text += "package:" + (show_path ? p.apk_path + "=" : "") + p.package;
    if (show_version) {
      text += " versionCode:" + std::to_string(p.version_code);
    }
    if (show_installer) {
      text += "  installer=null";
    }
    text += "\n";
  }
  ctx.out(text);
  return 0;
}

int pm_path(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) {
    ctx.err("Error: package name not specified\n");
    return 1;
  }
  auto path = ctx.device.packages.path(args.back());
  if (!path) {
    return 1;
  }
  ctx.out("package:" + *path + "\n");
  return 0;
}

}  // namespace

// Shared by `pm ...` and `cmd package ...`; argv[0] is the command name.
int run_package_command(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  const std::string verb = args.empty() ? "help" : args[0];
  if (verb == "install") {
    return pm_install(ctx, args);
  }
  if (verb == "install-create" || verb == "install-write" || verb == "install-commit" ||
      verb == "install-abandon") {
    return run_install_session_command(ctx, args);
  }
  if (verb == "uninstall") {
    return pm_uninstall(ctx, args);
  }
  if (verb == "list") {
    return pm_list(ctx, args);
  }
  if (verb == "path") {
    return pm_path(ctx, args);
  }
  if (verb == "clear") {
    if (args.size() < 2 || !ctx.device.packages.contains(args.back())) {
      ctx.out("Failed\n");
      return 1;
    }
    ctx.out("Success\n");  // the simulator keeps no app data to clear
    return 0;
  }
  if (verb == "help" || verb == "-h") {
    ctx.out(
        "Package manager (package) commands (simulated device):\n"
        "  install [-r] [-t] [-g] [-d] [-R] [-S SIZE] [PATH|-]\n"
        "  install-create | install-write [-S SIZE] ID NAME [PATH|-] | install-commit ID\n"
        "  uninstall [-k] PACKAGE\n"
        "  list packages [-3] [-s] [-f] [--show-versioncode] [FILTER]\n"
        "  path PACKAGE\n"
        "  clear PACKAGE\n");
    return 0;
  }
  ctx.err("Unknown command: " + verb + "\n");
  return 1;
}

void register_pm_commands(ShellCommands& commands) {
  commands.add("pm", run_package_command);
}

}  // namespace cp::devicesim
