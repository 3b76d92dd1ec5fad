// Layout, shared drawing helpers, navigation bar, touch feedback and the SIMULATOR watermark.
#include <algorithm>
#include <cmath>
#include <functional>

#include "devicesim/screen_ui.h"

namespace cp::devicesim {

ScreenLayout::ScreenLayout(const ScreenState& s) {
  const double status_h = std::round(24 * s.dp);
  const double nav_h = std::round(48 * s.dp);
  status_bar = {0, 0, double(s.width), status_h};
  nav_bar = {0, s.height - nav_h, double(s.width), nav_h};
  content = {0, status_h, double(s.width), s.height - status_h - nav_h};
}

void rounded_rect(cairo_t* cr, const Rect& r, double radius) {
  radius = std::min({radius, r.w / 2, r.h / 2});
  cairo_new_sub_path(cr);
  cairo_arc(cr, r.x + r.w - radius, r.y + radius, radius, -M_PI / 2, 0);
  cairo_arc(cr, r.x + r.w - radius, r.y + r.h - radius, radius, 0, M_PI / 2);
  cairo_arc(cr, r.x + radius, r.y + r.h - radius, radius, M_PI / 2, M_PI);
  cairo_arc(cr, r.x + radius, r.y + radius, radius, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

void set_font(cairo_t* cr, double size_px, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size_px);
}

double draw_text(cairo_t* cr, const std::string& text, double x, double cy) {
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  cairo_text_extents_t te;
  cairo_text_extents(cr, text.c_str(), &te);
  cairo_move_to(cr, x, cy + (fe.ascent - fe.descent) / 2);
  cairo_show_text(cr, text.c_str());
  return te.x_advance;
}

void draw_text_centered(cairo_t* cr, const std::string& text, double cx, double cy) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, text.c_str(), &te);
  draw_text(cr, text, cx - te.x_advance / 2, cy);
}

void set_package_color(cairo_t* cr, const std::string& package, double lightness) {
  const size_t h = std::hash<std::string>{}(package);
  const double hue = (h % 360) / 360.0 * 2 * M_PI;
  // A cheap hue wheel: three phase-shifted cosines, mixed with grey for the lightness.
  auto channel = [&](double phase) {
    return std::clamp(lightness + 0.35 * std::cos(hue + phase), 0.0, 1.0);
  };
  cairo_set_source_rgb(cr, channel(0), channel(2 * M_PI / 3), channel(4 * M_PI / 3));
}

void draw_app_icon(cairo_t* cr, const AppEntry* app, const std::string& fallback_label, double x,
                   double y, double size) {
  cairo_save(cr);
  if (app != nullptr && app->icon) {
    const int iw = cairo_image_surface_get_width(app->icon.get());
    const int ih = cairo_image_surface_get_height(app->icon.get());
    const double scale = size / std::max(1, std::max(iw, ih));
    cairo_translate(cr, x + (size - iw * scale) / 2, y + (size - ih * scale) / 2);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, app->icon.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
  } else {
    const std::string package = app != nullptr ? app->app.package : fallback_label;
    cairo_arc(cr, x + size / 2, y + size / 2, size / 2, 0, 2 * M_PI);
    set_package_color(cr, package, 0.55);
    cairo_fill(cr);
    const std::string label = app != nullptr ? app->app.label : fallback_label;
    cairo_set_source_rgb(cr, 1, 1, 1);
    set_font(cr, size * 0.5, true);
    draw_text_centered(cr, label.empty() ? "?" : label.substr(0, 1), x + size / 2, y + size / 2);
  }
  cairo_restore(cr);
}

NavButton nav_button_at(const Rect& area, double x, double y) {
  if (!area.contains(x, y)) {
    return NavButton::kNone;
  }
  const int third = static_cast<int>((x - area.x) / (area.w / 3));
  return static_cast<NavButton>(std::clamp(third, 0, 2));
}

void paint_nav_bar(cairo_t* cr, const ScreenState& s, const Rect& area) {
  cairo_save(cr);
  cairo_rectangle(cr, area.x, area.y, area.w, area.h);
  cairo_set_source_rgb(cr, 0.05, 0.05, 0.07);
  cairo_fill(cr);
  const double cy = area.y + area.h / 2;
  const double u = 9 * s.dp;  // half-size of a button glyph
  for (int i = 0; i < 3; ++i) {
    const double cx = area.x + area.w * (i + 0.5) / 3;
    if (static_cast<int>(s.pressed_nav) == i) {
      cairo_arc(cr, cx, cy, 2.2 * u, 0, 2 * M_PI);
      cairo_set_source_rgba(cr, 1, 1, 1, 0.25);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.92, 0.92, 0.95);
    cairo_set_line_width(cr, 1.6 * s.dp);
    if (i == 0) {  // back: a triangle pointing left
      cairo_move_to(cr, cx - u, cy);
      cairo_line_to(cr, cx + 0.8 * u, cy - u);
      cairo_line_to(cr, cx + 0.8 * u, cy + u);
      cairo_close_path(cr);
    } else if (i == 1) {  // home: a circle
      cairo_arc(cr, cx, cy, u, 0, 2 * M_PI);
    } else {  // recents: a square
      cairo_rectangle(cr, cx - 0.85 * u, cy - 0.85 * u, 1.7 * u, 1.7 * u);
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

void paint_touch_feedback(cairo_t* cr, const ScreenState& s, Clock::time_point now) {
  cairo_save(cr);
  const double life = std::chrono::duration<double>(kRippleLifetime).count();
  for (const auto& r : s.ripples) {
    const double t =
        std::clamp(std::chrono::duration<double>(now - r.start).count() / life, 0.0, 1.0);
    const double alpha = 1.0 - t;
    if (r.trail) {
      cairo_arc(cr, r.x, r.y, 5 * s.dp, 0, 2 * M_PI);
      cairo_set_source_rgba(cr, 1.0, 0.35, 0.1, 0.8 * alpha);
      cairo_fill(cr);
      continue;
    }
    // An expanding ring with a dark rim and a bright core, visible on light and dark backgrounds.
    const double radius = (14 + 30 * t) * s.dp;
    cairo_arc(cr, r.x, r.y, radius, 0, 2 * M_PI);
    cairo_set_source_rgba(cr, 1.0, 0.55, 0.1, 0.35 * alpha);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 2.5 * s.dp);
    cairo_set_source_rgba(cr, 0.15, 0.1, 0.4, 0.8 * alpha);
    cairo_stroke(cr);
    cairo_arc(cr, r.x, r.y, 6 * s.dp, 0, 2 * M_PI);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9 * alpha);
    cairo_fill(cr);
  }
  // Fingers still down get a steady dot (Android's "show touches").
  for (const auto& [id, p] : s.pointers) {
    cairo_arc(cr, p.x, p.y, 10 * s.dp, 0, 2 * M_PI);
    cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.55);
    cairo_fill(cr);
  }
  cairo_restore(cr);
}

void paint_watermark(cairo_t* cr, const ScreenState& s, const Rect& area) {
  cairo_save(cr);
  cairo_rectangle(cr, area.x, area.y, area.w, area.h);
  cairo_clip(cr);
  cairo_translate(cr, area.x + area.w / 2, area.y + area.h / 2);
  cairo_rotate(cr, -M_PI / 7);
  set_font(cr, std::min(area.w, area.h) * 0.14, true);
  cairo_set_source_rgba(cr, 0.5, 0.5, 0.55, 0.13);
  draw_text_centered(cr, "SIMULATOR", 0, 0);
  cairo_restore(cr);
  (void)s;
}

}  // namespace cp::devicesim
