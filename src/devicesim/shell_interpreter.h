#pragma once
// Runs parsed scripts for the simulated device's sh: expansion, redirection, pipes (run one after
// the other, each command's output buffered for the next), builtins (cd, exit, export) and the
// registered commands. Stateless between calls apart from the settings store.
#include <memory>
#include <string>

#include "devicesim/cmd_settings.h"
#include "devicesim/shell_commands.h"
#include "devicesim/shell_context.h"
#include "devicesim/shell_parser.h"

namespace cp::devicesim {

// A session as `sh` starts one: cwd "/", Android's usual environment variables.
ShellSession new_shell_session();

class ShellInterpreter {
 public:
  explicit ShellInterpreter(ShellDevice device);

  // A fresh session (cwd "/") per call, as `sh -c` would have.
  int run(const std::string& command_line, ShellIo& io);
  int run_in(ShellSession& session, const std::string& command_line, ShellIo& io);
  // PTY-like interactive loop: prompt, echo, backspace, ^C, ^D, "\r\n" line ends.
  int interactive(ShellIo& io);
  // Command lines read from stdin without a terminal: no prompt, no echo.
  int run_stdin(ShellIo& io);

  ShellDevice& device() { return device_; }
  SettingsStore& settings() { return settings_; }
  const ShellCommands& commands() const { return commands_; }

 private:
  int run_pipeline(const Pipeline& pipeline, ShellSession& session, ShellIo& io);
  int run_command(const SimpleCommand& command, ShellSession& session, ShellIo& io);
  int run_words(const std::vector<std::string>& argv, ShellSession& session, ShellIo& io);
  std::string expand(const Word& word, const ShellSession& session) const;

  ShellDevice device_;
  ShellCommands commands_;
  SettingsStore settings_;
};

}  // namespace cp::devicesim
