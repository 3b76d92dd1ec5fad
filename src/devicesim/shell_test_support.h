#pragma once
// Test helpers for the simulated device's shell: a device made of real parts (properties,
// packages, logcat, files in a temporary state dir) with a recording fake screen, and a way to
// run a command line and collect its exit code, stdout and stderr.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "devicesim/logcat.h"
#include "devicesim/memory_pipe.h"
#include "devicesim/package_manager.h"
#include "devicesim/props.h"
#include "devicesim/shell_interpreter.h"

namespace cp::devicesim::testing {

// Records what the shell asked the screen to do, one line per call ("tap 10 20").
class FakeScreen final : public ShellScreen {
 public:
  std::vector<std::string> calls;
  void touch(int action, int64_t id, int x, int y, float pressure) override {
    calls.push_back("touch " + std::to_string(action) + " " + std::to_string(id) + " " +
                    std::to_string(x) + " " + std::to_string(y) + " " +
                    std::to_string(static_cast<int>(pressure * 10)));
  }
  void tap(int x, int y) override { calls.push_back("tap " + ints({x, y})); }
  void swipe(int x1, int y1, int x2, int y2, int ms) override {
    calls.push_back("swipe " + ints({x1, y1, x2, y2, ms}));
  }
  void key(int keycode) override { calls.push_back("key " + std::to_string(keycode)); }
  void text(const std::string& utf8) override { calls.push_back("text " + utf8); }
  void launch(const std::string& package) override { calls.push_back("launch " + package); }
  void force_stop(const std::string& package) override { calls.push_back("stop " + package); }
  std::vector<uint8_t> screenshot_png() override {
    return {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'f', 'a', 'k', 'e'};
  }
  int width() const override { return 720; }
  int height() const override { return 1280; }

 private:
  static std::string ints(std::initializer_list<int> values) {
    std::string s;
    for (int v : values) {
      s += (s.empty() ? "" : " ") + std::to_string(v);
    }
    return s;
  }
};

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// A fresh state dir per test (removed afterwards).
class ShellTest : public ::testing::Test {
 protected:
  ShellTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    state_dir_ = std::filesystem::temp_directory_path() /
                 ("cp-shell-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
                  std::to_string(::getpid()));
    std::filesystem::remove_all(state_dir_);
    config_.state_dir = state_dir_;
    make_device();
  }
  ~ShellTest() override {
    shell_.reset();
    std::error_code ec;
    std::filesystem::remove_all(state_dir_, ec);
  }

  // (Re)creates every part from the state dir, like a device restart.
  void make_device() {
    shell_.reset();
    packages_.reset();
    props_ = std::make_unique<DeviceProperties>(config_);
    packages_ = std::make_unique<PackageManager>(config_.state_dir, config_.sdk);
    ShellDevice device{
        .config = config_,
        .fs_root = state_dir_ / "fs",
        .props = *props_,
        .packages = *packages_,
        .logcat = logcat_,
        .screen = &screen_,
        .scrcpy =
            [this](const std::vector<std::string>& args, ShellIo& io) {
              scrcpy_args_ = args;
              io.out("scrcpy served\n");
              return 0;
            },
        .reboot = [this] { ++reboots_; },
    };
    shell_ = std::make_unique<ShellInterpreter>(std::move(device));
  }

  RunResult run(const std::string& line, std::string_view stdin_bytes = "") {
    auto in = MemoryPipe::from_bytes(stdin_bytes);
    RunResult r;
    ShellIo io{*in,
               [&](std::string_view s) {
                 r.out.append(s);
                 return true;
               },
               [&](std::string_view s) {
                 r.err.append(s);
                 return true;
               },
               cancelled_};
    r.status = shell_->run(line, io);
    return r;
  }

  std::filesystem::path host(const std::string& device_path) {
    return state_dir_ / "fs" / device_path.substr(1);
  }

  // The aapt-built test APKs (scripts/testdata/make-test-apks.sh); empty when unavailable.
  static std::filesystem::path test_apk(const std::string& name) {
    std::filesystem::path dir;
    if (const char* d = std::getenv("CP_TEST_APK_DIR")) {
      dir = d;
    } else if (const char* b = std::getenv("CP_BINARY_DIR")) {
      dir = std::filesystem::path(b) / "test-apks";
    } else {
      return {};
    }
    const char* src = std::getenv("CP_SOURCE_DIR");
    if (!std::filesystem::exists(dir / name) && src != nullptr) {
      const std::string script = std::string(src) + "/scripts/testdata/make-test-apks.sh";
      if (std::filesystem::exists(script)) {
        const std::string cmd = "bash '" + script + "' '" + dir.string() + "' >/dev/null 2>&1";
        (void)std::system(cmd.c_str());
      }
    }
    return std::filesystem::exists(dir / name) ? dir / name : std::filesystem::path();
  }

  DeviceConfig config_;
  std::filesystem::path state_dir_;
  Logcat logcat_;
  std::unique_ptr<DeviceProperties> props_;
  std::unique_ptr<PackageManager> packages_;
  FakeScreen screen_;
  std::unique_ptr<ShellInterpreter> shell_;
  std::atomic<bool> cancelled_{false};
  std::vector<std::string> scrcpy_args_;
  int reboots_ = 0;
};

#define CP_REQUIRE_APK(var, name)                                                       \
  const std::filesystem::path var = test_apk(name);                                     \
  if (var.empty()) {                                                                    \
    GTEST_SKIP() << "test APK " << name                                                 \
                 << " unavailable (scripts/testdata/make-test-apks.sh needs aapt; set " \
                    "CP_TEST_APK_DIR)";                                                 \
  }

}  // namespace cp::devicesim::testing
