#pragma once
// What the simulated device's shell commands work with. Shell builds a ShellDevice from the
// SimulatedDevice; tests build one from parts and fakes, so the interpreter and every command
// can be tested without a screen, an encoder or a socket.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devicesim/device.h"
#include "devicesim/shell.h"

namespace cp::devicesim {

class DeviceProperties;
class PackageManager;
class Logcat;
class ShellInterpreter;

// The part of Screen the shell drives (input, launch, screenshots). See screen.h.
class ShellScreen {
 public:
  virtual ~ShellScreen() = default;
  virtual void touch(int action, int64_t pointer_id, int x, int y, float pressure) = 0;
  virtual void tap(int x, int y) = 0;
  virtual void swipe(int x1, int y1, int x2, int y2, int duration_ms) = 0;
  virtual void key(int keycode) = 0;
  virtual void text(const std::string& utf8) = 0;
  virtual void launch(const std::string& package) = 0;
  virtual void force_stop(const std::string& package) = 0;
  virtual std::vector<uint8_t> screenshot_png() = 0;
  virtual int width() const = 0;
  virtual int height() const = 0;
};

struct ShellDevice {
  DeviceConfig config;
  std::filesystem::path fs_root;
  DeviceProperties& props;
  PackageManager& packages;
  Logcat& logcat;
  ShellScreen* screen = nullptr;  // null: input/screencap/am report that there is no screen
  // Runs the scrcpy server (app_process ... com.genymobile.scrcpy.Server); empty: unavailable.
  std::function<int(const std::vector<std::string>&, ShellIo&)> scrcpy;
  std::function<void()> reboot;
};

// Per run()/interactive() call: what a real sh process would hold.
struct ShellSession {
  std::string cwd = "/";
  std::map<std::string, std::string> variables;
  int last_status = 0;
  std::optional<int> exit_code;  // set by `exit`: stop running the script
};

// A file in the device tree: its device path (normalised, absolute) and where it lives on the host.
struct DeviceFile {
  std::string device_path;
  std::filesystem::path host_path;
};

struct ShellCommandContext {
  ShellIo& io;
  ShellSession& session;
  ShellDevice& device;
  ShellInterpreter& shell;

  bool out(std::string_view text) { return io.out(text); }
  bool err(std::string_view text) { return io.err(text); }
  // Resolves `path` against the cwd. nullopt (after printing "<cmd>: <path>: Permission denied")
  // when it would leave the device tree through `..` or a symlink.
  std::optional<DeviceFile> resolve(std::string_view cmd, const std::string& path);
  // Reads stdin to its end, at most `limit` bytes (nullopt when larger).
  std::optional<std::string> read_stdin(size_t limit);
};

using ShellCommand = std::function<int(ShellCommandContext&, const std::vector<std::string>&)>;

}  // namespace cp::devicesim
