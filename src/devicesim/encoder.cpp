#include "devicesim/encoder.h"

#include <cairo.h>
#include <x264.h>

#include <stdexcept>
#include <string>

#include "devicesim/screen.h"
#include "devicesim/time_stamp.h"

namespace cp::devicesim {
namespace {

x264_picture_t* as_picture(void* p) {
  return static_cast<x264_picture_t*>(p);
}

void append_nals(std::vector<uint8_t>& out, const x264_nal_t* nals, int count) {
  for (int i = 0; i < count; ++i) {
    out.insert(out.end(), nals[i].p_payload, nals[i].p_payload + nals[i].i_payload);
  }
}

}  // namespace

void H264Encoder::PictureDeleter::operator()(void* p) const {
  x264_picture_clean(as_picture(p));
  delete as_picture(p);
}

H264Encoder::H264Encoder(const EncoderConfig& config) : config_(config) {
  if (config.width < 2 || config.height < 2 || config.width % 2 || config.height % 2) {
    throw std::runtime_error("H.264 encoder needs an even, non-empty size");
  }
  x264_param_t p;
  if (x264_param_default_preset(&p, config.preset, "zerolatency") < 0) {
    throw std::runtime_error(std::string("unknown x264 preset ") + config.preset);
  }
  p.i_log_level = X264_LOG_NONE;
  p.i_csp = X264_CSP_I420;
  p.i_width = config.width;
  p.i_height = config.height;
  p.i_fps_num = static_cast<uint32_t>(std::max(1, config.fps));
  p.i_fps_den = 1;
  p.b_vfr_input = 0;  // frames come at the configured rate; rate control uses fps, not PTS
  p.i_threads = config.threads;
  p.i_keyint_max = std::max(1, config.fps * config.keyframe_interval_s);
  p.i_bframe = 0;
  p.b_repeat_headers = config.repeat_headers ? 1 : 0;
  p.b_annexb = 1;
  const int kbps = std::max(100, config.bitrate / 1000);
  p.rc.i_rc_method = X264_RC_ABR;
  p.rc.i_bitrate = kbps;
  p.rc.i_vbv_max_bitrate = kbps;
  p.rc.i_vbv_buffer_size = kbps;  // one second of buffer: steady but not starved on key frames
  // Constrained Baseline: Chromium without a GPU refuses High (media-notes.md).
  if (x264_param_apply_profile(&p, "baseline") < 0) {
    throw std::runtime_error("x264 refused the baseline profile");
  }
  encoder_ = x264_encoder_open(&p);
  if (encoder_ == nullptr) {
    throw std::runtime_error("x264_encoder_open failed");
  }
  auto* pic = new x264_picture_t;
  if (x264_picture_alloc(pic, X264_CSP_I420, config.width, config.height) < 0) {
    delete pic;
    x264_encoder_close(encoder_);
    throw std::runtime_error("x264_picture_alloc failed");
  }
  picture_.reset(pic);
  x264_nal_t* nals = nullptr;
  int count = 0;
  if (x264_encoder_headers(encoder_, &nals, &count) < 0) {
    x264_encoder_close(encoder_);
    throw std::runtime_error("x264_encoder_headers failed");
  }
  append_nals(headers_, nals, count);
}

H264Encoder::~H264Encoder() {
  picture_.reset();
  if (encoder_ != nullptr) {
    x264_encoder_close(encoder_);
  }
}

EncodedFrame H264Encoder::encode(const Frame& frame, int64_t pts_us,
                                 std::optional<uint64_t> stamp_ms) {
  const uint8_t* pixels = frame.bgra.data();
  int stride = frame.stride;
  if (frame.width != config_.width || frame.height != config_.height) {
    // max_size: scale down with cairo's bilinear filter into a scratch surface.
    stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, config_.width);
    scaled_.resize(static_cast<size_t>(stride) * config_.height);
    cairo_surface_t* src = cairo_image_surface_create_for_data(
        const_cast<uint8_t*>(frame.bgra.data()), CAIRO_FORMAT_RGB24, frame.width, frame.height,
        frame.stride);
    cairo_surface_t* dst = cairo_image_surface_create_for_data(
        scaled_.data(), CAIRO_FORMAT_RGB24, config_.width, config_.height, stride);
    cairo_t* cr = cairo_create(dst);
    cairo_scale(cr, double(config_.width) / frame.width, double(config_.height) / frame.height);
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(dst);
    cairo_surface_destroy(src);
    pixels = scaled_.data();
  }
  x264_picture_t* pic = as_picture(picture_.get());
  bgra_to_i420(pixels, stride, config_.width, config_.height, pic->img.plane[0],
               pic->img.i_stride[0], pic->img.plane[1], pic->img.i_stride[1], pic->img.plane[2],
               pic->img.i_stride[2]);
  if (stamp_ms) {
    draw_stamp(pic->img.plane[0], pic->img.i_stride[0], pic->img.plane[1], pic->img.i_stride[1],
               pic->img.plane[2], pic->img.i_stride[2], config_.width, config_.height, *stamp_ms);
  }
  pic->i_pts = pts_us;
  pic->i_type = keyframe_requested_ ? X264_TYPE_IDR : X264_TYPE_AUTO;
  keyframe_requested_ = false;
  x264_nal_t* nals = nullptr;
  int count = 0;
  x264_picture_t out_pic;
  const int size = x264_encoder_encode(encoder_, &nals, &count, pic, &out_pic);
  if (size < 0) {
    throw std::runtime_error("x264_encoder_encode failed");
  }
  EncodedFrame out;
  out.pts_us = pts_us;
  if (size > 0) {
    append_nals(out.annexb, nals, count);
    out.key_frame = out_pic.b_keyframe != 0;
  }
  return out;
}

void bgra_to_i420(const uint8_t* bgra, int stride, int width, int height, uint8_t* y, int y_stride,
                  uint8_t* u, int u_stride, uint8_t* v, int v_stride) {
  for (int row = 0; row < height; ++row) {
    const uint8_t* px = bgra + static_cast<ptrdiff_t>(row) * stride;
    uint8_t* out = y + static_cast<ptrdiff_t>(row) * y_stride;
    for (int col = 0; col < width; ++col, px += 4) {
      out[col] = static_cast<uint8_t>(((66 * px[2] + 129 * px[1] + 25 * px[0] + 128) >> 8) + 16);
    }
  }
  for (int row = 0; row < height / 2; ++row) {
    const uint8_t* top = bgra + static_cast<ptrdiff_t>(2 * row) * stride;
    const uint8_t* bottom = top + stride;
    for (int col = 0; col < width / 2; ++col) {
      const int i = col * 8;
      const int b = top[i] + top[i + 4] + bottom[i] + bottom[i + 4];
      const int g = top[i + 1] + top[i + 5] + bottom[i + 1] + bottom[i + 5];
      const int r = top[i + 2] + top[i + 6] + bottom[i + 2] + bottom[i + 6];
      // Sums of four samples: scale the coefficients' shift by 2 more bits.
      u[row * u_stride + col] =
          static_cast<uint8_t>(((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128);
      v[row * v_stride + col] =
          static_cast<uint8_t>(((112 * r - 94 * g - 18 * b + 512) >> 10) + 128);
    }
  }
}

}  // namespace cp::devicesim
