// Install sessions of `pm`/`cmd package` (install-create, install-write, install-commit,
// install-abandon): what `adb install-multiple` and some adb versions use. A session is a
// directory under <state_dir>/staging/, so it is per device and needs no shared memory state.
// The simulated device installs single APKs: a session with several APKs (splits) fails.
#include <fstream>
#include <mutex>
#include <random>

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace fs = std::filesystem;
namespace {

fs::path session_dir(ShellCommandContext& ctx, const std::string& id) {
  return ctx.device.config.state_dir / "staging" / ("session-" + id);
}

// The session id must be a number naming an existing session (never a path).
std::optional<fs::path> existing_session(ShellCommandContext& ctx, const std::string& id) {
  std::error_code ec;
  if (!parse_int(id) || !fs::is_directory(session_dir(ctx, id), ec)) {
    ctx.err("Error: invalid session id " + id + "\n");
    return std::nullopt;
  }
  return session_dir(ctx, id);
}

int install_create(ShellCommandContext& ctx) {
  static std::mt19937 rng{std::random_device{}()};
  static std::mutex mu;
  std::string id;
  {
    std::lock_guard lock(mu);
    id = std::to_string(std::uniform_int_distribution<int>(100000000, 999999999)(rng));
  }
  fs::create_directories(session_dir(ctx, id));
  ctx.out("Success: created install session [" + id + "]\n");
  return 0;
}

// install-write [-S SIZE] ID NAME [PATH|-]
int install_write(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  std::optional<long long> size;
  std::vector<std::string> operands;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-S" && i + 1 < args.size()) {
      size = parse_int(args[++i]);
    } else {
      operands.push_back(args[i]);
    }
  }
  if (operands.size() < 2) {
    ctx.err("Error: usage: install-write [-S SIZE] SESSION_ID SPLIT_NAME [PATH|-]\n");
    return 1;
  }
  const auto dir = existing_session(ctx, operands[0]);
  if (!dir) {
    return 1;
  }
  const std::string name = fs::path(operands[1]).filename().string();
  if (name.empty() || name == "." || name == "..") {
    ctx.err("Error: invalid split name " + operands[1] + "\n");
    return 1;
  }
  const fs::path target = *dir / (name.ends_with(".apk") ? name : name + ".apk");
  const std::string source = operands.size() > 2 ? operands[2] : "-";
  if (source != "-") {
    auto file = ctx.resolve("pm", source);
    std::error_code ec;
    if (!file ||
        !fs::copy_file(file->host_path, target, fs::copy_options::overwrite_existing, ec)) {
      ctx.err("Error: Can't stat file: " + source + "\n");
      return 1;
    }
    ctx.out("Success: streamed " + std::to_string(fs::file_size(target)) + " bytes\n");
    return 0;
  }
  if (!size || *size <= 0) {
    ctx.err("Error: -S SIZE is required when streaming from stdin\n");
    return 1;
  }
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  long long left = *size;
  uint8_t buf[64 * 1024];
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<long long>(left, sizeof buf));
    const size_t n = ctx.io.in.read(std::span(buf, want));
    if (n == 0) {
      ctx.err("Error: short read: got " + std::to_string(*size - left) + " of " +
              std::to_string(*size) + " bytes\n");
      return 1;
    }
    out.write(reinterpret_cast<const char*>(buf), static_cast<std::streamsize>(n));
    left -= static_cast<long long>(n);
  }
  ctx.out("Success: streamed " + std::to_string(*size) + " bytes\n");
  return 0;
}

int install_commit(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) {
    ctx.err("Error: session id not specified\n");
    return 1;
  }
  const auto dir = existing_session(ctx, args[1]);
  if (!dir) {
    return 1;
  }
  std::vector<fs::path> apks;
  for (const auto& entry : fs::directory_iterator(*dir)) {
    apks.push_back(entry.path());
  }
  int status = 0;
  if (apks.size() != 1) {
    ctx.out("Failure [INSTALL_FAILED_INVALID_APK: " +
            std::string(apks.empty() ? "no APK was written to the session"
                                     : "the simulated device installs single APKs, not splits") +
            "]\n");
    status = 1;
  } else {
    try {
      const PackageInfo info = ctx.device.packages.install(apks.front());
      ctx.device.logcat.info("PackageManager", "Package " + info.package +
                                                   " installed (session), versionCode " +
                                                   std::to_string(info.version_code));
      ctx.out("Success\n");
    } catch (const PackageError& e) {
      ctx.out(std::string("Failure [") + e.what() + "]\n");
      status = 1;
    }
  }
  std::error_code ec;
  fs::remove_all(*dir, ec);
  return status;
}

}  // namespace

int run_install_session_command(ShellCommandContext& ctx, const std::vector<std::string>& args) {
  const std::string& verb = args.at(0);
  if (verb == "install-create") {
    return install_create(ctx);
  }
  if (verb == "install-write") {
    return install_write(ctx, args);
  }
  if (verb == "install-commit") {
    return install_commit(ctx, args);
  }
  // install-abandon
  if (args.size() < 2) {
    ctx.err("Error: session id not specified\n");
    return 1;
  }
  const auto dir = existing_session(ctx, args[1]);
  if (!dir) {
    return 1;
  }
  std::error_code ec;
  fs::remove_all(*dir, ec);
  ctx.out("Success\n");
  return 0;
}

}  // namespace cp::devicesim
