// cloudphone: one binary for every service, the simulated device and the admin tools.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "devicesim/cli.h"
#include "services/host/service_host.h"
#include "services/media/webrtc_worker.h"

int main(int argc, char** argv, char** envp) {
  // Before any thread exists, so that only the shutdown waiter sees SIGINT/SIGTERM.
  cp::services::ServiceHost::block_shutdown_signals();
  CLI::App app{"cloudphone — cloud phone platform"};
  app.require_subcommand(1);
  int exit_code = 0;
  cp::app::add_up_command(app, envp, exit_code);
  cp::app::add_serve_command(app, envp, exit_code);
  cp::app::add_migrate_command(app, envp, exit_code);
  cp::app::add_admin_command(app, envp, exit_code);
  cp::devicesim::add_cli(app);
  cp::media::add_webrtc_worker_cli(app, exit_code);
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "cloudphone " << CP_VERSION << "\n";
  });
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
