// The status bar: clock on the left, "SIMULATOR" tag, signal bars, Wi-Fi and battery on the right.
#include <cmath>

#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

// The simulator has no battery; it reports a mains-powered, full one (as `dumpsys battery` would).
constexpr int kBatteryPercent = 100;

void paint_signal_bars(cairo_t* cr, double x, double bottom, double dp) {
  for (int i = 0; i < 4; ++i) {
    const double h = (3 + 2.5 * i) * dp;
    cairo_rectangle(cr, x + i * 4 * dp, bottom - h, 2.6 * dp, h);
  }
  cairo_fill(cr);
}

void paint_wifi(cairo_t* cr, double cx, double bottom, double dp) {
  cairo_set_line_width(cr, 1.6 * dp);
  for (int i = 1; i <= 3; ++i) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, bottom, 3.6 * i * dp, -3 * M_PI / 4, -M_PI / 4);
    cairo_stroke(cr);
  }
  cairo_arc(cr, cx, bottom - 0.5 * dp, 1.4 * dp, 0, 2 * M_PI);
  cairo_fill(cr);
}

// Returns the battery icon's width.
double paint_battery(cairo_t* cr, double x, double cy, double dp) {
  const Rect body{x, cy - 5 * dp, 18 * dp, 10 * dp};
  cairo_set_line_width(cr, 1.2 * dp);
  rounded_rect(cr, body, 1.5 * dp);
  cairo_stroke(cr);
  cairo_rectangle(cr, body.x + body.w, cy - 2 * dp, 1.6 * dp, 4 * dp);
  cairo_fill(cr);
  const double inner = (body.w - 3 * dp) * kBatteryPercent / 100.0;
  cairo_rectangle(cr, body.x + 1.5 * dp, body.y + 1.5 * dp, inner, body.h - 3 * dp);
  cairo_fill(cr);
  return body.w + 2 * dp;
}

}  // namespace

void paint_status_bar(cairo_t* cr, const ScreenState& s, const Rect& area,
                      const std::string& clock) {
  cairo_save(cr);
  cairo_rectangle(cr, area.x, area.y, area.w, area.h);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
  cairo_fill(cr);
  const double dp = s.dp;
  const double cy = area.y + area.h / 2;
  cairo_set_source_rgb(cr, 1, 1, 1);
  set_font(cr, 13 * dp, true);
  const double clock_w = draw_text(cr, clock, area.x + 12 * dp, cy);

  // An honest tag next to the clock: this is not a real phone.
  set_font(cr, 9 * dp, true);
  cairo_text_extents_t te;
  cairo_text_extents(cr, "SIMULATOR", &te);
  const Rect tag{area.x + 20 * dp + clock_w, cy - 7 * dp, te.x_advance + 8 * dp, 14 * dp};
  rounded_rect(cr, tag, 3 * dp);
  cairo_set_source_rgb(cr, 0.95, 0.55, 0.1);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.1, 0.05, 0);
  draw_text(cr, "SIMULATOR", tag.x + 4 * dp, cy);

  // Right side, laid out from the right edge leftwards: battery %, battery, wifi, signal.
  cairo_set_source_rgb(cr, 1, 1, 1);
  set_font(cr, 12 * dp, false);
  const std::string percent = std::to_string(kBatteryPercent) + "%";
  cairo_text_extents(cr, percent.c_str(), &te);
  double x = area.x + area.w - 10 * dp - te.x_advance;
  draw_text(cr, percent, x, cy);
  x -= 24 * dp;
  paint_battery(cr, x, cy, dp);
  x -= 16 * dp;
  paint_wifi(cr, x, cy + 6 * dp, dp);
  x -= 28 * dp;
  paint_signal_bars(cr, x, cy + 6 * dp, dp);
  cairo_restore(cr);
}

}  // namespace cp::devicesim
