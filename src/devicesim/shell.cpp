#include "devicesim/shell.h"

#include "devicesim/logcat.h"
#include "devicesim/package_manager.h"
#include "devicesim/props.h"
#include "devicesim/scrcpy_server.h"
#include "devicesim/screen.h"
#include "devicesim/shell_interpreter.h"

namespace cp::devicesim {
namespace {

// Gives the interpreter the device's Screen through the narrow interface it is tested with.
class DeviceScreen final : public ShellScreen {
 public:
  explicit DeviceScreen(SimulatedDevice& device) : device_(device) {}
  void touch(int action, int64_t pointer_id, int x, int y, float pressure) override {
    device_.screen().touch(action, pointer_id, x, y, pressure);
  }
  void tap(int x, int y) override { device_.screen().tap(x, y); }
  void swipe(int x1, int y1, int x2, int y2, int duration_ms) override {
    device_.screen().swipe(x1, y1, x2, y2, duration_ms);
  }
  void key(int keycode) override { device_.screen().key(keycode); }
  void text(const std::string& utf8) override { device_.screen().text(utf8); }
  void launch(const std::string& package) override { device_.screen().launch(package); }
  void force_stop(const std::string& package) override { device_.screen().force_stop(package); }
  std::vector<uint8_t> screenshot_png() override { return device_.screen().screenshot_png(); }
  int width() const override { return device_.screen().width(); }
  int height() const override { return device_.screen().height(); }

 private:
  SimulatedDevice& device_;
};

}  // namespace

Shell::Shell(SimulatedDevice& device) : device_(device) {
  screen_ = std::make_unique<DeviceScreen>(device_);
  ShellDevice parts{
      .config = device_.config(),
      .fs_root = device_.fs_root(),
      .props = device_.props(),
      .packages = device_.packages(),
      .logcat = device_.logcat(),
      .screen = screen_.get(),
      .scrcpy = [this](const std::vector<std::string>& args,
                       ShellIo& io) { return device_.scrcpy().serve(args, io); },
      .reboot = [this] { device_.request_reboot(); },
  };
  interpreter_ = std::make_unique<ShellInterpreter>(std::move(parts));
}

Shell::~Shell() = default;

int Shell::run(const std::string& command_line, ShellIo& io) {
  return interpreter_->run(command_line, io);
}

int Shell::interactive(ShellIo& io) {
  return interpreter_->interactive(io);
}

int Shell::run_stdin(ShellIo& io) {
  return interpreter_->run_stdin(io);
}

}  // namespace cp::devicesim
