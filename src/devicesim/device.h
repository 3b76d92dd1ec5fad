#pragma once
// The simulated Android device (`cloudphone devicesim`). It is a SIMULATOR: no Android runs
// here. It exists so that the platform's real ADB and scrcpy code paths can be exercised on
// machines that cannot run Android. Every part of it is named as a simulator in logs and UI.
//
// Composition (each part owned by SimulatedDevice, built in this order):
//   DeviceProperties  getprop/setprop store, persisted in <state>/props.json   (props.h)
//   PackageManager    installed packages read from real APKs, persisted        (package_manager.h)
//   Screen            cairo-drawn phone UI, input, rendering to RGBA frames     (screen.h)
//   AbstractSockets   localabstract: namespace inside the device                (this file)
//   ScrcpyServer      scrcpy-server behaviour: video + control sockets          (scrcpy_server.h)
//   Shell             the `sh` that shell:/exec: services run commands in       (shell.h)
//   Adbd              device side of the ADB transport on a TCP port            (adbd.h)
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>

namespace cp::devicesim {

struct DeviceConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t port = 5555;  // 0 = pick a free port (printed on start)
  std::filesystem::path state_dir = "devicesim-state";
  int width = 720;
  int height = 1280;
  int dpi = 320;
  int fps = 30;
  int bitrate = 4'000'000;  // bits per second for the H.264 encoder
  std::string model = "Cloudphone Simulator";
  std::string manufacturer = "cloudphone";
  std::string brand = "cloudphone";
  std::string android_version = "13";
  int sdk = 33;
  std::string serial;  // default: derived from host:port
  bool auth_required = false;
  std::filesystem::path
      adb_keys;  // file with accepted public keys (adb format), when auth_required
};

// A bidirectional, blocking byte pipe between two parts of the simulator: an ADB stream on one
// end, a shell command, scrcpy socket or TCP socket on the other. read/write may be called from
// different threads; each direction is used by one thread at a time.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Blocks until at least one byte is available; returns 0 when the peer closed.
  virtual size_t read(std::span<uint8_t> buf) = 0;
  // Blocks until accepted (flow control); returns false when the peer closed.
  virtual bool write(std::span<const uint8_t> data) = 0;
  virtual void close() = 0;
};

// The device's localabstract: socket namespace. The scrcpy server listens on
// "scrcpy_<scid>"; adbd's `localabstract:NAME` service connects to it.
class AbstractSockets {
 public:
  using Acceptor = std::function<void(std::shared_ptr<ByteStream>)>;
  void listen(const std::string& name, Acceptor acceptor);
  void unlisten(const std::string& name);
  // Hands the stream to the listener; false when nothing listens (connection refused).
  bool connect(const std::string& name, std::shared_ptr<ByteStream> stream);

 private:
  std::mutex mu_;
  std::map<std::string, Acceptor> listeners_;
};

class DeviceProperties;
class PackageManager;
class Screen;
class ScrcpyServer;
class Shell;
class Logcat;

class SimulatedDevice {
 public:
  explicit SimulatedDevice(DeviceConfig config);
  ~SimulatedDevice();
  SimulatedDevice(const SimulatedDevice&) = delete;
  SimulatedDevice& operator=(const SimulatedDevice&) = delete;

  const DeviceConfig& config() const { return config_; }
  DeviceProperties& props() { return *props_; }
  PackageManager& packages() { return *packages_; }
  Screen& screen() { return *screen_; }
  AbstractSockets& sockets() { return sockets_; }
  ScrcpyServer& scrcpy() { return *scrcpy_; }
  Shell& shell() { return *shell_; }
  Logcat& logcat() { return *logcat_; }
  // Root of the device's own file tree (/sdcard, /data/local/tmp, ... live below it).
  std::filesystem::path fs_root() const { return config_.state_dir / "fs"; }
  // Set by `reboot`; the devicesim main loop restarts the device's parts.
  void request_reboot();
  // What request_reboot() does beyond logging (adbd drops its connections); set by the owner.
  void set_reboot_hook(std::function<void()> hook);

 private:
  DeviceConfig config_;
  std::unique_ptr<Logcat> logcat_;
  std::unique_ptr<DeviceProperties> props_;
  std::unique_ptr<PackageManager> packages_;
  std::unique_ptr<Screen> screen_;
  AbstractSockets sockets_;
  std::unique_ptr<ScrcpyServer> scrcpy_;
  std::unique_ptr<Shell> shell_;
  std::mutex reboot_mu_;
  std::function<void()> reboot_hook_;
};

}  // namespace cp::devicesim
