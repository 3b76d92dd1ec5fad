#include "devicesim/screen.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "devicesim/package_manager.h"
#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

// Android KEYCODE_* values the simulated UI understands.
enum Keycode : int {
  kKeyHome = 3,
  kKeyBack = 4,
  kKey0 = 7,
  kKey9 = 16,
  kKeyA = 29,
  kKeyZ = 54,
  kKeyComma = 55,
  kKeyPeriod = 56,
  kKeySpace = 62,
  kKeyEnter = 66,
  kKeyDel = 67,
  kKeyPower = 26,
  kKeySleep = 223,
  kKeyWakeup = 224,
  kKeyAppSwitch = 187,
};

cairo_status_t read_png_bytes(void* closure, unsigned char* data, unsigned int length) {
  auto* span = static_cast<std::span<const uint8_t>*>(closure);
  if (span->size() < length) {
    return CAIRO_STATUS_READ_ERROR;
  }
  std::copy_n(span->begin(), length, data);
  *span = span->subspan(length);
  return CAIRO_STATUS_SUCCESS;
}

SurfacePtr decode_png(const std::vector<uint8_t>& png) {
  if (png.empty()) {
    return nullptr;
  }
  std::span<const uint8_t> rest(png);
  SurfacePtr surface(cairo_image_surface_create_from_png_stream(read_png_bytes, &rest));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return nullptr;  // a broken icon in an APK must not break the launcher
  }
  return surface;
}

void erase_last_utf8_char(std::string& text) {
  while (!text.empty()) {
    const auto c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) {
      break;  // removed the lead byte (or an ASCII character)
    }
  }
}

std::vector<LauncherApp> launcher_apps_from(const PackageManager& packages) {
  std::vector<LauncherApp> apps;
  for (const auto& p : packages.list()) {
    if (!p.launchable_activity.empty()) {
      apps.push_back({p.package, p.label.empty() ? p.package : p.label, p.icon_png, true});
    }
  }
  return apps;
}

}  // namespace

const AppEntry* ScreenState::find_app(const std::string& package) const {
  for (const auto& a : apps) {
    if (a.app.package == package) {
      return &a;
    }
  }
  return nullptr;
}

Screen::Screen(const DeviceConfig& config, PackageManager& packages) : packages_(&packages) {
  init(config);
  set_apps(launcher_apps_from(packages));
  package_subscription_ = packages.subscribe([this] { set_apps(launcher_apps_from(*packages_)); });
}

Screen::Screen(const DeviceConfig& config, std::vector<LauncherApp> apps) {
  init(config);
  set_apps(std::move(apps));
}

Screen::~Screen() {
  if (packages_ != nullptr) {
    packages_->unsubscribe(package_subscription_);
  }
}

void Screen::init(const DeviceConfig& config) {
  state_ = std::make_unique<ScreenState>();
  // Frames go to a 4:2:0 encoder: keep both dimensions even.
  state_->width = std::max(2, config.width & ~1);
  state_->height = std::max(2, config.height & ~1);
  state_->dp = std::max(0.75, config.dpi / 160.0);
  state_->device_model = config.model;
}

void Screen::set_apps(std::vector<LauncherApp> apps) {
  std::vector<AppEntry> entries;
  for (auto& app : apps) {
    SurfacePtr icon = decode_png(app.icon_png);
    entries.push_back({std::move(app), std::move(icon)});
  }
  std::lock_guard lock(mu_);
  state_->apps = std::move(entries);
  // An uninstalled app stops running.
  std::erase_if(state_->recents, [&](const std::string& p) { return !state_->find_app(p); });
  if (state_->view == View::kApp && !state_->find_app(state_->foreground)) {
    state_->view = View::kHome;
  }
  mark_dirty_locked();
}

void Screen::mark_dirty_locked() {
  dirty_ = true;
  changed_.notify_all();
}

void Screen::touch(int action, int64_t pointer_id, int x, int y, float pressure) {
  (void)pressure;  // the simulated panel is not pressure sensitive; feedback is the same
  std::lock_guard lock(mu_);
  auto& s = *state_;
  if (!s.screen_on) {
    return;
  }
  const auto now = Clock::now();
  const double px = x, py = y;
  const ScreenLayout layout(s);
  if (action == 0) {  // down
    s.pointers[pointer_id] = Pointer{px, py, px, py, px, py, false};
    s.ripples.push_back({px, py, now, false});
    ++s.total_touches;
    if (s.view == View::kApp) {
      ++s.sessions[s.foreground].touches;
    }
    s.pressed_nav = nav_button_at(layout.nav_bar, px, py);
  } else if (action == 2) {  // move
    auto it = s.pointers.find(pointer_id);
    if (it == s.pointers.end()) {
      return;
    }
    auto& p = it->second;
    p.x = px;
    p.y = py;
    if (std::hypot(px - p.start_x, py - p.start_y) > 8 * s.dp) {
      p.moved = true;
      s.pressed_nav = NavButton::kNone;
    }
    if (std::hypot(px - p.last_trail_x, py - p.last_trail_y) > 6 * s.dp) {
      s.ripples.push_back({px, py, now, true});
      p.last_trail_x = px;
      p.last_trail_y = py;
    }
  } else if (action == 1) {  // up
    auto it = s.pointers.find(pointer_id);
    if (it == s.pointers.end()) {
      return;
    }
    const Pointer p = it->second;
    s.pointers.erase(it);
    s.pressed_nav = NavButton::kNone;
    if (!p.moved) {
      click_locked(p.start_x, p.start_y);
    } else if (s.view == View::kApp && layout.content.contains(p.start_x, p.start_y)) {
      s.sessions[s.foreground].scroll_px =
          std::max(0.0, s.sessions[s.foreground].scroll_px + (p.start_y - py));
    }
  } else {  // cancel and anything else: forget the pointer
    s.pointers.erase(pointer_id);
    s.pressed_nav = NavButton::kNone;
  }
  mark_dirty_locked();
}

void Screen::click_locked(double x, double y) {
  auto& s = *state_;
  const ScreenLayout layout(s);
  if (layout.nav_bar.contains(x, y)) {
    switch (nav_button_at(layout.nav_bar, x, y)) {
      case NavButton::kBack:
        s.view = s.view == View::kRecents && !s.foreground.empty() ? View::kApp : View::kHome;
        break;
      case NavButton::kHome:
        s.view = View::kHome;
        break;
      case NavButton::kRecents:
        s.view = s.view == View::kRecents ? View::kHome : View::kRecents;
        break;
      case NavButton::kNone:
        break;
    }
    return;
  }
  std::string package;
  if (s.view == View::kHome) {
    package = launcher_app_at(s, layout.content, x, y);
  } else if (s.view == View::kRecents) {
    package = recents_app_at(s, layout.content, x, y);
    if (package.empty()) {
      s.view = View::kHome;  // a tap outside the cards dismisses recents
    }
  }
  if (!package.empty()) {
    s.view = View::kApp;
    s.foreground = package;
    std::erase(s.recents, package);
    s.recents.insert(s.recents.begin(), package);
    s.sessions.try_emplace(package);
  }
}

void Screen::tap(int x, int y) {
  touch(0, 0, x, y, 1.0f);
  touch(1, 0, x, y, 0.0f);
}

void Screen::swipe(int x1, int y1, int x2, int y2, int duration_ms) {
  constexpr int kStepMs = 16;
  const int steps = std::max(1, duration_ms / kStepMs);
  touch(0, 0, x1, y1, 1.0f);
  for (int i = 1; i <= steps; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(duration_ms / steps));
    touch(2, 0, x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps, 1.0f);
  }
  touch(1, 0, x2, y2, 0.0f);
}

void Screen::key(int keycode) {
  std::lock_guard lock(mu_);
  auto& s = *state_;
  if (keycode == kKeyPower || keycode == kKeySleep || keycode == kKeyWakeup) {
    s.screen_on = keycode == kKeyPower ? !s.screen_on : keycode == kKeyWakeup;
    mark_dirty_locked();
    return;
  }
  if (!s.screen_on) {
    return;
  }
  std::string& field = s.view == View::kApp ? s.sessions[s.foreground].text : s.search_text;
  switch (keycode) {
    case kKeyHome:
      s.view = View::kHome;
      break;
    case kKeyBack:
      s.view = s.view == View::kRecents && !s.foreground.empty() ? View::kApp : View::kHome;
      break;
    case kKeyAppSwitch:
      s.view = s.view == View::kRecents ? View::kHome : View::kRecents;
      break;
    case kKeyDel:
      erase_last_utf8_char(field);
      break;
    case kKeyEnter:
      field += '\n';
      break;
    case kKeySpace:
      field += ' ';
      break;
    case kKeyComma:
      field += ',';
      break;
    case kKeyPeriod:
      field += '.';
      break;
    default:
      if (keycode >= kKeyA && keycode <= kKeyZ) {
        field += static_cast<char>('a' + (keycode - kKeyA));
      } else if (keycode >= kKey0 && keycode <= kKey9) {
        field += static_cast<char>('0' + (keycode - kKey0));
      } else {
        return;  // a key the simulated UI has no use for
      }
  }
  mark_dirty_locked();
}

void Screen::text(const std::string& utf8) {
  std::lock_guard lock(mu_);
  auto& s = *state_;
  if (!s.screen_on || s.view == View::kRecents) {
    return;
  }
  (s.view == View::kApp ? s.sessions[s.foreground].text : s.search_text) += utf8;
  mark_dirty_locked();
}

void Screen::scroll(int x, int y, float hscroll, float vscroll) {
  (void)hscroll;  // nothing in the simulated UI scrolls sideways
  std::lock_guard lock(mu_);
  auto& s = *state_;
  if (s.view != View::kApp || !s.screen_on) {
    return;
  }
  auto& session = s.sessions[s.foreground];
  session.scroll_px = std::max(0.0, session.scroll_px - vscroll * 48 * s.dp);
  s.ripples.push_back({static_cast<double>(x), static_cast<double>(y), Clock::now(), true});
  mark_dirty_locked();
}

bool Screen::launch(const std::string& package) {
  std::lock_guard lock(mu_);
  auto& s = *state_;
  if (!s.find_app(package)) {
    return false;
  }
  s.screen_on = true;  // starting an activity wakes the simulated screen, as `am start` does
  s.view = View::kApp;
  s.foreground = package;
  std::erase(s.recents, package);
  s.recents.insert(s.recents.begin(), package);
  s.sessions.try_emplace(package);
  mark_dirty_locked();
  return true;
}

void Screen::force_stop(const std::string& package) {
  std::lock_guard lock(mu_);
  auto& s = *state_;
  s.sessions.erase(package);
  std::erase(s.recents, package);
  if (s.foreground == package) {
    s.foreground.clear();
    if (s.view == View::kApp) {
      s.view = View::kHome;
    }
  }
  mark_dirty_locked();
}

std::string Screen::foreground_package() const {
  std::lock_guard lock(mu_);
  return state_->view == View::kApp ? state_->foreground : std::string();
}

void Screen::rotate() {
  std::lock_guard lock(mu_);
  std::swap(state_->width, state_->height);
  state_->pointers.clear();
  state_->ripples.clear();
  mark_dirty_locked();
}

void Screen::set_screen_on(bool on) {
  std::lock_guard lock(mu_);
  state_->screen_on = on;
  mark_dirty_locked();
}

bool Screen::screen_on() const {
  std::lock_guard lock(mu_);
  return state_->screen_on;
}

int Screen::width() const {
  std::lock_guard lock(mu_);
  return state_->width;
}

int Screen::height() const {
  std::lock_guard lock(mu_);
  return state_->height;
}

uint64_t Screen::touch_count() const {
  std::lock_guard lock(mu_);
  return state_->total_touches;
}

}  // namespace cp::devicesim
