#pragma once
// Internal to the simulated screen: its state, its layout and the painters that draw it with
// cairo. screen.cpp owns the state and input; status_bar.cpp, launcher_view.cpp,
// app_window_view.cpp and screen_painter.cpp draw it.
#include <cairo.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devicesim/screen.h"

namespace cp::devicesim {

using Clock = std::chrono::steady_clock;

struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;

// A launcher entry with its icon decoded once.
struct AppEntry {
  LauncherApp app;
  SurfacePtr icon;  // null when the package has no (decodable) PNG icon
};

// What one launched app shows; kept while the app "runs" (until force-stop).
struct AppSession {
  std::string text;      // the text field's content
  uint64_t touches = 0;  // touches received while this app was in front
  double scroll_px = 0;  // list scroll offset
};

// A fading circle where a finger touched or moved.
struct Ripple {
  double x = 0, y = 0;
  Clock::time_point start;
  bool trail = false;  // small dot along a move, not a full ripple
};

struct Pointer {
  double start_x = 0, start_y = 0, x = 0, y = 0, last_trail_x = 0, last_trail_y = 0;
  bool moved = false;
};

enum class View { kHome, kApp, kRecents };
enum class NavButton { kNone = -1, kBack = 0, kHome = 1, kRecents = 2 };

inline constexpr auto kRippleLifetime = std::chrono::milliseconds(700);

struct ScreenState {
  int width = 720, height = 1280;
  double dp = 2.0;  // pixels per density-independent pixel (dpi / 160)
  std::string device_model;
  bool screen_on = true;
  View view = View::kHome;
  std::string foreground;            // package shown when view == kApp
  std::vector<std::string> recents;  // most recent first
  std::map<std::string, AppSession> sessions;
  std::vector<AppEntry> apps;
  std::string search_text;  // typed on the home screen
  std::vector<Ripple> ripples;
  std::map<int64_t, Pointer> pointers;
  NavButton pressed_nav = NavButton::kNone;
  uint64_t total_touches = 0;
  std::string clipboard;

  const AppEntry* find_app(const std::string& package) const;
};

// Layout, derived from the size and density so both orientations work.
struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
  bool contains(double px, double py) const {
    return px >= x && px < x + w && py >= y && py < y + h;
  }
};
struct ScreenLayout {
  Rect status_bar, content, nav_bar;
  explicit ScreenLayout(const ScreenState& s);
};

// Painters (cairo state is saved/restored by each).
void paint_status_bar(cairo_t* cr, const ScreenState& s, const Rect& area,
                      const std::string& clock);
void paint_nav_bar(cairo_t* cr, const ScreenState& s, const Rect& area);
void paint_launcher(cairo_t* cr, const ScreenState& s, const Rect& area);
void paint_recents(cairo_t* cr, const ScreenState& s, const Rect& area);
void paint_app_window(cairo_t* cr, const ScreenState& s, const Rect& area);
void paint_touch_feedback(cairo_t* cr, const ScreenState& s, Clock::time_point now);
void paint_watermark(cairo_t* cr, const ScreenState& s, const Rect& area);

// Hit tests: the package whose launcher icon / recents card is at (x, y), or empty.
std::string launcher_app_at(const ScreenState& s, const Rect& area, double x, double y);
std::string recents_app_at(const ScreenState& s, const Rect& area, double x, double y);
NavButton nav_button_at(const Rect& area, double x, double y);
// Where the app window's text field is (tests check pixels there).
Rect app_text_field_rect(const ScreenState& s, const Rect& area);

// Drawing helpers shared by the painters.
void rounded_rect(cairo_t* cr, const Rect& r, double radius);
void set_font(cairo_t* cr, double size_px, bool bold = false);
// Draws `text` with its left edge at x and its vertical centre at cy; returns its width.
double draw_text(cairo_t* cr, const std::string& text, double x, double cy);
void draw_text_centered(cairo_t* cr, const std::string& text, double cx, double cy);
// The app's icon scaled into a square, or a coloured circle with the label's first letter.
void draw_app_icon(cairo_t* cr, const AppEntry* app, const std::string& fallback_label, double x,
                   double y, double size);
// A stable colour derived from a package name.
void set_package_color(cairo_t* cr, const std::string& package, double lightness);

}  // namespace cp::devicesim
