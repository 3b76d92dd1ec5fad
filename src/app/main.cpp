#include <CLI/CLI.hpp>
#include <iostream>

#include "devicesim/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"cloudphone — cloud phone platform"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "cloudphone " << CP_VERSION << "\n"; });
  cp::devicesim::add_cli(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
