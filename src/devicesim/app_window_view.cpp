// The window of a launched package. The simulator cannot run the app's code, so it shows a
// stand-in activity: title bar with the app's icon and label, a text field that receives typed
// text, a touch counter and a scrollable list.
#include <algorithm>
#include <cmath>

#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

constexpr size_t kVisibleTextLines = 3;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines{""};
  for (char c : text) {
    if (c == '\n') {
      lines.emplace_back();
    } else {
      lines.back() += c;
    }
  }
  return lines;
}

}  // namespace

Rect app_text_field_rect(const ScreenState& s, const Rect& area) {
  return {area.x + 16 * s.dp, area.y + 72 * s.dp, area.w - 32 * s.dp, 88 * s.dp};
}

void paint_app_window(cairo_t* cr, const ScreenState& s, const Rect& area) {
  cairo_save(cr);
  const double dp = s.dp;
  const AppEntry* app = s.find_app(s.foreground);
  const std::string label = app != nullptr ? app->app.label : s.foreground;
  const auto session_it = s.sessions.find(s.foreground);
  const AppSession session = session_it != s.sessions.end() ? session_it->second : AppSession{};

  // Window background under the status bar too, as an edge-to-edge activity.
  cairo_set_source_rgb(cr, 0.97, 0.97, 0.98);
  cairo_paint(cr);

  // Title bar in a colour derived from the package.
  const Rect title{area.x, area.y, area.w, 56 * dp};
  cairo_rectangle(cr, 0, 0, area.w, title.y + title.h);
  set_package_color(cr, s.foreground, 0.38);
  cairo_fill(cr);
  draw_app_icon(cr, app, label, title.x + 12 * dp, title.y + 10 * dp, 36 * dp);
  cairo_set_source_rgb(cr, 1, 1, 1);
  set_font(cr, 18 * dp, true);
  draw_text(cr, label, title.x + 60 * dp, title.y + title.h / 2);

  // The text field: shows what text()/key events typed, last lines first visible, with a caret.
  const Rect field = app_text_field_rect(s, area);
  rounded_rect(cr, field, 8 * dp);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  set_package_color(cr, s.foreground, 0.45);
  cairo_set_line_width(cr, 2 * dp);
  cairo_stroke(cr);
  set_font(cr, 16 * dp);
  auto lines = split_lines(session.text);
  if (lines.size() > kVisibleTextLines) {
    lines.erase(lines.begin(), lines.end() - kVisibleTextLines);
  }
  cairo_save(cr);
  cairo_rectangle(cr, field.x, field.y, field.w, field.h);
  cairo_clip(cr);
  const double line_h = 24 * dp;
  double caret_x = field.x + 12 * dp;
  double caret_y = field.y + 20 * dp;
  if (session.text.empty()) {
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.6);
    draw_text(cr, "Type here (adb shell input text …)", field.x + 12 * dp, caret_y);
  } else {
    cairo_set_source_rgb(cr, 0.08, 0.08, 0.1);
    for (size_t i = 0; i < lines.size(); ++i) {
      caret_y = field.y + 20 * dp + line_h * static_cast<double>(i);
      const double w = draw_text(cr, lines[i], field.x + 12 * dp, caret_y);
      caret_x = field.x + 12 * dp + w;
    }
  }
  cairo_rectangle(cr, caret_x + 1 * dp, caret_y - 9 * dp, 2 * dp, 18 * dp);
  set_package_color(cr, s.foreground, 0.35);
  cairo_fill(cr);
  cairo_restore(cr);

  // Touch counter.
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.25);
  set_font(cr, 14 * dp, true);
  draw_text(cr, "Touches: " + std::to_string(session.touches), field.x,
            field.y + field.h + 24 * dp);
  set_font(cr, 11 * dp);
  cairo_set_source_rgb(cr, 0.45, 0.45, 0.5);
  draw_text(cr, "Simulated window: the app's code does not run here", field.x,
            field.y + field.h + 48 * dp);

  // A scrollable list so scroll events and drags have something to move.
  const Rect list{area.x, field.y + field.h + 68 * dp, area.w,
                  area.y + area.h - (field.y + field.h + 68 * dp)};
  cairo_save(cr);
  cairo_rectangle(cr, list.x, list.y, list.w, list.h);
  cairo_clip(cr);
  const double row_h = 56 * dp;
  const int first = static_cast<int>(session.scroll_px / row_h);
  for (int row = first; row < first + static_cast<int>(list.h / row_h) + 2; ++row) {
    const double y = list.y + row * row_h - session.scroll_px;
    cairo_rectangle(cr, list.x + 16 * dp, y + 4 * dp, list.w - 32 * dp, row_h - 8 * dp);
    cairo_set_source_rgb(cr, row % 2 ? 0.93 : 0.89, row % 2 ? 0.94 : 0.9, row % 2 ? 0.97 : 0.95);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.3);
    set_font(cr, 14 * dp);
    draw_text(cr, "Item " + std::to_string(row + 1), list.x + 32 * dp, y + row_h / 2);
  }
  cairo_restore(cr);
  paint_watermark(cr, s, area);
  cairo_restore(cr);
}

}  // namespace cp::devicesim
