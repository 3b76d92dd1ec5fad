// The home screen (wallpaper, search field, grid of launchable packages) and the recents list.
#include <algorithm>

#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

Rect search_rect(const ScreenState& s, const Rect& area) {
  return {area.x + 16 * s.dp, area.y + 16 * s.dp, area.w - 32 * s.dp, 44 * s.dp};
}

int grid_columns(const ScreenState& s) {
  return s.width > s.height ? 6 : 4;
}

// The cell of the index-th app; the grid starts under the search field and the banner.
Rect grid_cell(const ScreenState& s, const Rect& area, size_t index) {
  const int cols = grid_columns(s);
  const double cell_w = (area.w - 16 * s.dp) / cols;
  const double cell_h = 96 * s.dp;
  const double top = area.y + 120 * s.dp;
  return {area.x + 8 * s.dp + cell_w * static_cast<double>(index % cols),
          top + cell_h * static_cast<double>(index / cols), cell_w, cell_h};
}

Rect recents_card(const ScreenState& s, const Rect& area, size_t index) {
  const double h = 96 * s.dp;
  return {area.x + 24 * s.dp, area.y + 56 * s.dp + (h + 12 * s.dp) * static_cast<double>(index),
          area.w - 48 * s.dp, h};
}

void paint_wallpaper(cairo_t* cr, const Rect& area) {
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, area.y, area.w, area.y + area.h);
  cairo_pattern_add_color_stop_rgb(gradient, 0.0, 0.13, 0.20, 0.45);
  cairo_pattern_add_color_stop_rgb(gradient, 0.55, 0.33, 0.18, 0.50);
  cairo_pattern_add_color_stop_rgb(gradient, 1.0, 0.85, 0.45, 0.35);
  cairo_set_source(cr, gradient);
  cairo_paint(cr);  // under the status and navigation bars too
  cairo_pattern_destroy(gradient);
}

// Labels are ellipsised to the cell so long names do not overlap.
std::string fit_label(cairo_t* cr, const std::string& label, double max_w) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, label.c_str(), &te);
  if (te.x_advance <= max_w) {
    return label;
  }
  std::string cut = label;
  while (!cut.empty()) {
    do {
      cut.pop_back();
    } while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
    if (!cut.empty()) {
      cut.pop_back();  // the lead byte, or a plain ASCII character
    }
    const std::string candidate = cut + "…";
    cairo_text_extents(cr, candidate.c_str(), &te);
    if (te.x_advance <= max_w) {
      return candidate;
    }
  }
  return "…";
}

}  // namespace

void paint_launcher(cairo_t* cr, const ScreenState& s, const Rect& area) {
  cairo_save(cr);
  paint_wallpaper(cr, area);
  paint_watermark(cr, s, area);
  const double dp = s.dp;

  const Rect search = search_rect(s, area);
  rounded_rect(cr, search, search.h / 2);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
  cairo_fill(cr);
  set_font(cr, 15 * dp);
  if (s.search_text.empty()) {
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.5);
    draw_text(cr, "Search apps", search.x + 18 * dp, search.y + search.h / 2);
  } else {
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
    draw_text(cr, s.search_text, search.x + 18 * dp, search.y + search.h / 2);
  }

  cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
  set_font(cr, 12 * dp, true);
  draw_text_centered(cr, "Cloudphone SIMULATOR · not a real phone", area.x + area.w / 2,
                     area.y + 84 * dp);
  set_font(cr, 11 * dp);
  draw_text_centered(
      cr, s.device_model + " · " + std::to_string(s.width) + "×" + std::to_string(s.height),
      area.x + area.w / 2, area.y + 102 * dp);

  const double icon = 52 * dp;
  set_font(cr, 11.5 * dp);
  for (size_t i = 0; i < s.apps.size(); ++i) {
    const Rect cell = grid_cell(s, area, i);
    if (cell.y + cell.h > area.y + area.h) {
      break;  // one page only; what does not fit is reachable through `am start`
    }
    draw_app_icon(cr, &s.apps[i], s.apps[i].app.label, cell.x + (cell.w - icon) / 2,
                  cell.y + 8 * dp, icon);
    cairo_set_source_rgb(cr, 1, 1, 1);
    draw_text_centered(cr, fit_label(cr, s.apps[i].app.label, cell.w - 6 * dp), cell.x + cell.w / 2,
                       cell.y + icon + 22 * dp);
  }
  if (s.apps.empty()) {
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    draw_text_centered(cr, "No apps installed — try adb install", area.x + area.w / 2,
                       area.y + area.h / 2);
  }
  cairo_restore(cr);
}

std::string launcher_app_at(const ScreenState& s, const Rect& area, double x, double y) {
  for (size_t i = 0; i < s.apps.size(); ++i) {
    const Rect cell = grid_cell(s, area, i);
    if (cell.y + cell.h > area.y + area.h) {
      break;
    }
    if (cell.contains(x, y)) {
      return s.apps[i].app.package;
    }
  }
  return {};
}

void paint_recents(cairo_t* cr, const ScreenState& s, const Rect& area) {
  cairo_save(cr);
  cairo_rectangle(cr, area.x, area.y, area.w, area.h);
  cairo_set_source_rgb(cr, 0.16, 0.17, 0.2);
  cairo_fill(cr);
  paint_watermark(cr, s, area);
  const double dp = s.dp;
  cairo_set_source_rgb(cr, 1, 1, 1);
  set_font(cr, 16 * dp, true);
  draw_text(cr, s.recents.empty() ? "No recent apps" : "Recent apps", area.x + 24 * dp,
            area.y + 28 * dp);
  for (size_t i = 0; i < s.recents.size(); ++i) {
    const Rect card = recents_card(s, area, i);
    if (card.y + card.h > area.y + area.h) {
      break;
    }
    rounded_rect(cr, card, 14 * dp);
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.98);
    cairo_fill(cr);
    const AppEntry* app = s.find_app(s.recents[i]);
    const std::string label = app != nullptr ? app->app.label : s.recents[i];
    draw_app_icon(cr, app, label, card.x + 16 * dp, card.y + (card.h - 48 * dp) / 2, 48 * dp);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.12);
    set_font(cr, 16 * dp, true);
    draw_text(cr, label, card.x + 80 * dp, card.y + card.h / 2 - 10 * dp);
    set_font(cr, 11 * dp);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.45);
    draw_text(cr, s.recents[i], card.x + 80 * dp, card.y + card.h / 2 + 14 * dp);
  }
  cairo_restore(cr);
}

std::string recents_app_at(const ScreenState& s, const Rect& area, double x, double y) {
  for (size_t i = 0; i < s.recents.size(); ++i) {
    if (recents_card(s, area, i).contains(x, y)) {
      return s.recents[i];
    }
  }
  return {};
}

}  // namespace cp::devicesim
