#pragma once
#include <CLI/CLI.hpp>

namespace cp::app {

// Each adds one subcommand; the callback runs it and sets the exit code.
void add_up_command(CLI::App& app, char** envp, int& exit_code);
void add_serve_command(CLI::App& app, char** envp, int& exit_code);
void add_migrate_command(CLI::App& app, char** envp, int& exit_code);
void add_admin_command(CLI::App& app, char** envp, int& exit_code);

}  // namespace cp::app
