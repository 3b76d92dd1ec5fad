#pragma once
// Test helpers for the simulated screen, encoder and scrcpy server: a tiny FFmpeg H.264 decoder
// and pixel comparisons.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

#include <cairo.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "devicesim/screen.h"

namespace cp::devicesim::testing {

// A decoded picture's luma plane.
struct LumaPicture {
  int width = 0, height = 0;
  std::vector<uint8_t> y;
  int at(int x, int yy) const { return y[static_cast<size_t>(yy) * width + x]; }
};

class H264TestDecoder {
 public:
  H264TestDecoder() {
    ctx_ = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
    if (ctx_ == nullptr || avcodec_open2(ctx_, ctx_->codec, nullptr) < 0) {
      throw std::runtime_error("no H.264 decoder");
    }
    frame_ = av_frame_alloc();
    packet_ = av_packet_alloc();
  }
  ~H264TestDecoder() {
    av_packet_free(&packet_);
    av_frame_free(&frame_);
    avcodec_free_context(&ctx_);
  }
  // Feeds one access unit (Annex-B); returns the pictures it produced.
  std::vector<LumaPicture> decode(const std::vector<uint8_t>& annexb) {
    std::vector<uint8_t> padded(annexb);
    padded.resize(annexb.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
    packet_->data = padded.data();
    packet_->size = static_cast<int>(annexb.size());
    std::vector<LumaPicture> out;
    if (avcodec_send_packet(ctx_, packet_) < 0) {
      throw std::runtime_error("decoder rejected a packet");
    }
    while (avcodec_receive_frame(ctx_, frame_) == 0) {
      LumaPicture pic{frame_->width, frame_->height, {}};
      pic.y.resize(static_cast<size_t>(pic.width) * pic.height);
      for (int row = 0; row < pic.height; ++row) {
        std::copy_n(frame_->data[0] + static_cast<ptrdiff_t>(row) * frame_->linesize[0], pic.width,
                    pic.y.begin() + static_cast<ptrdiff_t>(row) * pic.width);
      }
      out.push_back(std::move(pic));
    }
    return out;
  }

 private:
  AVCodecContext* ctx_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
};

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
