// `app_process` of the simulated device. No Java runs here; the one program clients start this
// way, scrcpy's server (`CLASSPATH=/data/local/tmp/scrcpy-server.jar app_process /
// com.genymobile.scrcpy.Server 3.x key=value ...`), is handed to the device's ScrcpyServer with
// the arguments after the class name. The jar must have been pushed, as on Android.
#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace {

constexpr const char* kScrcpyServerClass = "com.genymobile.scrcpy.Server";

int cmd_app_process(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  // app_process [vm-options] cmd-dir [--options] class-name [args...]
  size_t i = 1;
  while (i < argv.size() && argv[i].starts_with("-")) {
    ++i;  // VM options before the directory
  }
  ++i;  // the parent directory ("/")
  while (i < argv.size() && argv[i].starts_with("--")) {
    ++i;
  }
  if (i >= argv.size()) {
    ctx.err("Usage: app_process [java-options] cmd-dir start-class-name [options]\n");
    return 1;
  }
  const std::string& class_name = argv[i];
  const auto cp = ctx.session.variables.find("CLASSPATH");
  const std::string classpath = cp == ctx.session.variables.end() ? "" : cp->second;
  std::error_code ec;
  std::optional<DeviceFile> jar;
  if (!classpath.empty()) {
    jar = ctx.resolve("app_process", classpath);
  }
  const bool found = jar && std::filesystem::is_regular_file(jar->host_path, ec);
  if (class_name != kScrcpyServerClass || !found) {
    ctx.err("java.lang.ClassNotFoundException: Didn't find class \"" + class_name +
            "\" on path: DexPathList[[zip file \"" + classpath +
            "\"],nativeLibraryDirectories=[/system/lib64, /system_ext/lib64]]\n");
    return 1;
  }
  if (!ctx.device.scrcpy) {
    ctx.err("app_process: the simulated device has no scrcpy server\n");
    return 1;
  }
  const std::vector<std::string> args(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                      argv.end());
  return ctx.device.scrcpy(args, ctx.io);
}

}  // namespace

void register_app_process_command(ShellCommands& commands) {
  commands.add("app_process", cmd_app_process);
}

}  // namespace cp::devicesim
