#pragma once
// The simulated device's `sh`: what ADB's shell: and exec: services run commands in. A small,
// honest shell (quotes, backslashes, $VAR/$?, `;` `&&` `||` `|`, `<` `>` `>>` `2>` `2>&1`) with
// the Android commands clients use (getprop, pm, cmd package, input, wm, screencap, am, ...).
// Files live in the device tree under SimulatedDevice::fs_root(). Thread-safe: every run() and
// interactive() call has its own session (cwd, variables).
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "devicesim/device.h"

namespace cp::devicesim {

struct ShellIo {
  ByteStream& in;                             // stdin (raw bytes from the ADB stream)
  std::function<bool(std::string_view)> out;  // stdout; false = peer gone
  std::function<bool(std::string_view)> err;  // stderr (merged into out for shell v1)
  const std::atomic<bool>& cancelled;         // set when the ADB stream closes
};

class ShellInterpreter;
class ShellScreen;

class Shell {
 public:
  explicit Shell(SimulatedDevice& device);
  ~Shell();
  int run(const std::string& command_line, ShellIo& io);  // blocking; returns exit code
  // `adb shell` without a command: prompt, read lines, run, until `exit`/EOF. Behaves like sh
  // on a PTY (what adbd gives an interactive shell): echoes input, handles backspace and ^C,
  // and writes "\r\n" line ends.
  int interactive(ShellIo& io);
  // `adb shell` without a command and without a PTY (`echo ls | adb shell`, shell,v2,raw:):
  // sh reading command lines from stdin, no prompt, no echo; returns the last exit code.
  int run_stdin(ShellIo& io);

 private:
  SimulatedDevice& device_;
  std::unique_ptr<ShellScreen> screen_;  // declared first: the interpreter uses it
  std::unique_ptr<ShellInterpreter> interpreter_;
};

}  // namespace cp::devicesim
