#include "devicesim/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>

#include "devicesim/adbd.h"
#include "devicesim/device.h"

namespace cp::devicesim {
namespace {

int sdk_for_android_version(const std::string& version) {
  static const std::map<std::string, int> kSdk = {{"8.1", 27}, {"9", 28},  {"10", 29},
                                                  {"11", 30},  {"12", 31}, {"12L", 32},
                                                  {"13", 33},  {"14", 34}, {"15", 35}};
  auto it = kSdk.find(version);
  return it == kSdk.end() ? 33 : it->second;
}

int run_device(DeviceConfig config) {
  // Block the stop signals in every thread we create; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // stdout carries only the "listening on" line that parents parse; logs go to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("devicesim"));
  spdlog::info("cloudphone devicesim: starting a SIMULATED Android device (not Android) '{}'",
               config.model);
  SimulatedDevice device(config);
  Adbd adbd(device);
  device.set_reboot_hook([&adbd] { adbd.drop_connections(); });
  uint16_t port = adbd.start();
  std::cout << "listening on " << config.listen_host << ":" << port << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("cloudphone devicesim: signal {}, shutting the simulated device down", signal);
  device.set_reboot_hook(nullptr);
  adbd.stop();
  return 0;
}

}  // namespace

void add_cli(CLI::App& app) {
  auto config = std::make_shared<DeviceConfig>();
  auto* cmd = app.add_subcommand("devicesim", "Run one SIMULATED Android device (ADB + scrcpy)");
  cmd->add_option("--host", config->listen_host, "Address adbd listens on")->capture_default_str();
  cmd->add_option("--port", config->port, "adbd TCP port (0 = pick a free port)")
      ->capture_default_str();
  cmd->add_option("--state-dir", config->state_dir, "Device state (files, packages, props)")
      ->capture_default_str();
  cmd->add_option("--width", config->width)->capture_default_str();
  cmd->add_option("--height", config->height)->capture_default_str();
  cmd->add_option("--dpi", config->dpi)->capture_default_str();
  cmd->add_option("--fps", config->fps)->capture_default_str();
  cmd->add_option("--bitrate", config->bitrate, "H.264 bits per second")->capture_default_str();
  cmd->add_option("--model", config->model)->capture_default_str();
  cmd->add_option("--manufacturer", config->manufacturer)->capture_default_str();
  cmd->add_option("--android-version", config->android_version)->capture_default_str();
  cmd->add_option("--serial", config->serial, "Serial number (default: derived from host:port)");
  cmd->add_flag("--auth-required", config->auth_required, "Require ADB AUTH with a known key");
  cmd->add_option("--adb-keys", config->adb_keys, "Accepted public keys (adbkey.pub lines)");
  cmd->callback([config] {
    config->sdk = sdk_for_android_version(config->android_version);
    int rc = run_device(*config);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace cp::devicesim
