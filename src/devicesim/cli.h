#pragma once
#include <CLI/CLI.hpp>

namespace cp::devicesim {
// Adds `cloudphone devicesim ...` (runs one simulated device until SIGTERM/SIGINT).
void add_cli(CLI::App& app);
}  // namespace cp::devicesim
