#pragma once
// The simulated device's screen: a cairo-drawn phone UI (status bar, launcher with the installed
// packages, app windows, navigation bar, touch feedback) that reacts to input and renders BGRA
// frames on demand. Rendering happens only when something visible changed (input, packages,
// the clock's minute, a fading touch ripple), so an idle screen costs nothing.
// Thread-safe: input may come from the shell, the scrcpy control socket and the video thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "devicesim/device.h"

namespace cp::devicesim {

class PackageManager;
struct ScreenState;

// One rendered picture. Pixels are cairo ARGB32 in native (little-endian) order, i.e. bytes
// B, G, R, A per pixel, opaque.
struct Frame {
  int width = 0;
  int height = 0;
  int stride = 0;           // bytes per row
  uint64_t generation = 0;  // increases with every newly rendered frame
  std::vector<uint8_t> bgra;
};

// What the launcher shows for one installed package.
struct LauncherApp {
  std::string package;
  std::string label;
  std::vector<uint8_t> icon_png;  // empty: a lettered circle is drawn
  bool launchable = true;
};

class Screen {
 public:
  Screen(const DeviceConfig&, PackageManager&);
  // Without a package manager: the launcher shows `apps` (tests, benchmarks).
  Screen(const DeviceConfig&, std::vector<LauncherApp> apps);
  ~Screen();
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;

  // Input, in screen pixels of the current orientation.
  void touch(int action /*0 down 1 up 2 move*/, int64_t pointer_id, int x, int y, float pressure);
  void tap(int x, int y);
  // Blocks for duration_ms like `input swipe`, sending moves along the way.
  void swipe(int x1, int y1, int x2, int y2, int duration_ms);
  void key(int keycode);  // Android KEYCODE_*: HOME, BACK, APP_SWITCH, POWER, DEL, ENTER, A-Z...
  void text(const std::string& utf8);
  // hscroll/vscroll in notches (scrcpy's ±16 range), positive vscroll scrolls content up.
  void scroll(int x, int y, float hscroll, float vscroll);
  // Shows the package's window; false when it is not installed.
  bool launch(const std::string& package);
  void force_stop(const std::string& package);
  std::string foreground_package() const;  // empty on the home screen

  // Turns the device a quarter: width and height swap.
  void rotate();
  void set_screen_on(bool on);
  bool screen_on() const;

  std::string clipboard() const;
  void set_clipboard(const std::string& text);
  // Puts the clipboard into the focused text field (scrcpy SET_CLIPBOARD with paste).
  void paste();
  // Copies (cut: and clears) the focused text field to the clipboard (scrcpy copy/cut keys).
  void copy_focused_text(bool cut);
  // Called (outside the lock) when the device's clipboard changes. Returns an id.
  int subscribe_clipboard(std::function<void(const std::string&)> listener);
  void unsubscribe_clipboard(int id);

  // The current picture, re-rendered first if anything visible changed.
  std::shared_ptr<const Frame> frame();
  // Blocks until something visible may have changed since frame generation `seen` (input,
  // animation, clock) or until the timeout. True when a new frame() is worth asking for.
  bool wait_for_change(uint64_t seen, std::chrono::milliseconds timeout);

  std::vector<uint8_t> screenshot_png();
  int width() const;
  int height() const;
  uint64_t touch_count() const;

 private:
  void init(const DeviceConfig& config);
  void set_apps(std::vector<LauncherApp> apps);
  void mark_dirty_locked();  // caller holds mu_; wakes wait_for_change
  bool needs_render_locked() const;
  void click_locked(double x, double y);
  void notify_clipboard(const std::string& text);

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::unique_ptr<ScreenState> state_;
  std::shared_ptr<Frame> current_;
  std::shared_ptr<Frame> spare_;  // reused when no consumer still holds it
  uint64_t generation_ = 0;
  bool dirty_ = true;
  std::string rendered_clock_;

  PackageManager* packages_ = nullptr;
  int package_subscription_ = 0;

  std::mutex listeners_mu_;
  std::map<int, std::function<void(const std::string&)>> clipboard_listeners_;
  int next_listener_id_ = 1;
};

}  // namespace cp::devicesim
