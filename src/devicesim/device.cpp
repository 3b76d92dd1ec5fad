#include "devicesim/device.h"

#include <spdlog/spdlog.h>

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/props.h"
#include "devicesim/scrcpy_server.h"
#include "devicesim/screen.h"
#include "devicesim/shell.h"
#include "devicesim/shell_paths.h"

namespace cp::devicesim {

void AbstractSockets::listen(const std::string& name, Acceptor acceptor) {
  std::lock_guard lock(mu_);
  listeners_[name] = std::move(acceptor);
}

void AbstractSockets::unlisten(const std::string& name) {
  std::lock_guard lock(mu_);
  listeners_.erase(name);
}

bool AbstractSockets::connect(const std::string& name, std::shared_ptr<ByteStream> stream) {
  Acceptor acceptor;
  {
    std::lock_guard lock(mu_);
    auto it = listeners_.find(name);
    if (it == listeners_.end()) return false;
    acceptor = it->second;  // called unlocked: an acceptor may listen/unlisten itself
  }
  acceptor(std::move(stream));
  return true;
}

SimulatedDevice::SimulatedDevice(DeviceConfig config) : config_(std::move(config)) {
  std::filesystem::create_directories(config_.state_dir);
  create_standard_device_dirs(fs_root());
  logcat_ = std::make_unique<Logcat>();
  props_ = std::make_unique<DeviceProperties>(config_);
  packages_ = std::make_unique<PackageManager>(config_.state_dir, config_.sdk);
  screen_ = std::make_unique<Screen>(config_, *packages_);
  scrcpy_ = std::make_unique<ScrcpyServer>(*this);
  shell_ = std::make_unique<Shell>(*this);
  logcat_->info("SimulatedDevice", "cloudphone simulated device booted (this is not Android)");
}

SimulatedDevice::~SimulatedDevice() = default;

void SimulatedDevice::request_reboot() {
  // The simulator has no kernel to restart: a reboot is logged and the devicesim main loop
  // (cli.cpp) drops the ADB connections, as a rebooting phone does.
  spdlog::info("devicesim: reboot requested (simulated)");
  logcat_->info("SimulatedDevice", "reboot requested");
  std::function<void()> hook;
  {
    std::lock_guard lock(reboot_mu_);
    hook = reboot_hook_;
  }
  if (hook) hook();
}

void SimulatedDevice::set_reboot_hook(std::function<void()> hook) {
  std::lock_guard lock(reboot_mu_);
  reboot_hook_ = std::move(hook);
}

}  // namespace cp::devicesim
