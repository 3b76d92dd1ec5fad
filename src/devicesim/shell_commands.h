#pragma once
// The simulated device's commands, by name. Each group lives in its own cmd_*.cpp and adds
// itself through one register_* function, so finding a command is one grep for its name.
#include <map>
#include <string>

#include "devicesim/shell_context.h"

namespace cp::devicesim {

class ShellCommands {
 public:
  void add(const std::string& name, ShellCommand command) { commands_[name] = std::move(command); }
  const ShellCommand* find(const std::string& name) const {
    auto it = commands_.find(name);
    return it == commands_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, ShellCommand> commands_;
};

void register_file_commands(ShellCommands& commands);      // ls cat rm mkdir touch pwd
void register_basic_commands(ShellCommands& commands);     // echo sleep id whoami uname true false
void register_prop_commands(ShellCommands& commands);      // getprop setprop
void register_pm_commands(ShellCommands& commands);        // pm, cmd package
void register_input_commands(ShellCommands& commands);     // input
void register_wm_commands(ShellCommands& commands);        // wm, screencap
void register_am_commands(ShellCommands& commands);        // am, monkey
void register_system_commands(ShellCommands& commands);    // dumpsys, logcat, reboot, cmd
void register_settings_commands(ShellCommands& commands);  // settings
void register_app_process_command(ShellCommands& commands);  // app_process (scrcpy server)

inline void register_all_commands(ShellCommands& commands) {
  register_file_commands(commands);
  register_basic_commands(commands);
  register_prop_commands(commands);
  register_pm_commands(commands);
  register_input_commands(commands);
  register_wm_commands(commands);
  register_am_commands(commands);
  register_system_commands(commands);
  register_settings_commands(commands);
  register_app_process_command(commands);
}

// Helpers shared by the cmd_*.cpp files.
std::optional<long long> parse_int(const std::string& text);
// `pm ...` and `cmd package ...` (argv[0] is the command name).
int run_package_command(ShellCommandContext& ctx, const std::vector<std::string>& argv);
// install-create/-write/-commit/-abandon (args[0] is the verb).
int run_install_session_command(ShellCommandContext& ctx, const std::vector<std::string>& args);
// The screen, or nullopt after printing "<cmd>: no screen" when the device has none.
ShellScreen* require_screen(ShellCommandContext& ctx, const std::string& cmd);

}  // namespace cp::devicesim
