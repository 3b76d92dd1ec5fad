#pragma once
// Test helpers for the simulated screen, encoder and scrcpy server: a tiny FFmpeg H.264 decoder
// and pixel comparisons.
#include <cairo.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "devicesim/h264_test_decoder.h"
#include "devicesim/screen.h"

namespace cp::devicesim::testing {

// Pixels (of a square of half-size r around x, y) whose luma differs by more than 24.
inline int changed_luma(const LumaPicture& a, const LumaPicture& b, int x, int y, int r) {
  int n = 0;
  for (int yy = std::max(0, y - r); yy < std::min(a.height, y + r); ++yy) {
    for (int xx = std::max(0, x - r); xx < std::min(a.width, x + r); ++xx) {
      n += std::abs(a.at(xx, yy) - b.at(xx, yy)) > 24;
    }
  }
  return n;
}

// Same for two rendered frames (any channel differing by more than 24).
inline int changed_pixels(const Frame& a, const Frame& b, int x, int y, int r) {
  int n = 0;
  for (int yy = std::max(0, y - r); yy < std::min(a.height, y + r); ++yy) {
    for (int xx = std::max(0, x - r); xx < std::min(a.width, x + r); ++xx) {
      const size_t i = static_cast<size_t>(yy) * a.stride + xx * 4;
      bool differs = false;
      for (int c = 0; c < 3; ++c) {
        differs |= std::abs(a.bgra[i + c] - b.bgra[i + c]) > 24;
      }
      n += differs;
    }
  }
  return n;
}

// A small PNG icon (a filled square of the given colour) as an APK would carry.
inline std::vector<uint8_t> make_icon_png(double r, double g, double b) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 96, 96);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_paint(cr);
  cairo_destroy(cr);
  std::vector<uint8_t> png;
  cairo_surface_write_to_png_stream(
      s,
      [](void* out, const unsigned char* data, unsigned int len) {
        auto* v = static_cast<std::vector<uint8_t>*>(out);
        v->insert(v->end(), data, data + len);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(s);
  return png;
}

inline std::vector<LauncherApp> sample_apps() {
  return {{"com.example.notes", "Notes", make_icon_png(0.9, 0.7, 0.1), true},
          {"com.example.maps", "Maps", make_icon_png(0.1, 0.6, 0.3), true},
          {"org.demo.camera", "Camera", {}, true},
          {"com.android.settings", "Settings", {}, true}};
}

// Where the app window's text field sits at 720×1280, 320 dpi (dp = 2): below the 24 dp status
// bar and the 56 dp title bar (app_window_view.cpp).
inline constexpr int kTextFieldX = 40, kTextFieldY = 48 + 144 + 40;

}  // namespace cp::devicesim::testing
