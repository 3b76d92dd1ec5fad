#pragma once
// H.264 encoder of the simulated device (libx264): low latency (zerolatency tune, no B-frames,
// one frame in, one access unit out), Constrained Baseline so browsers decode it without a GPU,
// Annex-B output with SPS/PPS available separately (scrcpy's config packet) and repeated before
// every IDR so a decoder can join at any key frame.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

struct x264_t;

namespace cp::devicesim {

struct Frame;

struct EncoderConfig {
  int width = 720;  // output size; even. Input frames of another size are scaled.
  int height = 1280;
  int fps = 30;
  int bitrate = 4'000'000;       // bits per second
  int keyframe_interval_s = 10;  // periodic IDR, like scrcpy's default I-frame interval
  bool repeat_headers = true;    // SPS/PPS before every IDR
  const char* preset = "ultrafast";
  int threads = 1;  // 1 keeps latency to a single frame
};

struct EncodedFrame {
  std::vector<uint8_t> annexb;  // one access unit
  bool key_frame = false;
  int64_t pts_us = 0;
};

class H264Encoder {
 public:
  explicit H264Encoder(const EncoderConfig& config);  // throws std::runtime_error
  ~H264Encoder();
  H264Encoder(const H264Encoder&) = delete;
  H264Encoder& operator=(const H264Encoder&) = delete;

  // SPS + PPS as Annex-B (scrcpy's CONFIG packet).
  std::vector<uint8_t> headers() const { return headers_; }
  // Makes the next encoded frame an IDR.
  void request_keyframe() { keyframe_requested_ = true; }
  // Encodes one frame. Returns an empty annexb when x264 produced nothing (should not happen with
  // zerolatency, which has no lookahead).
  // stamp_ms: draw this capture time into the picture (time_stamp.h).
  EncodedFrame encode(const Frame& frame, int64_t pts_us, std::optional<uint64_t> stamp_ms = {});

  const EncoderConfig& config() const { return config_; }

 private:
  struct PictureDeleter {
    void operator()(void* p) const;
  };
  EncoderConfig config_;
  x264_t* encoder_ = nullptr;
  std::unique_ptr<void, PictureDeleter> picture_;  // x264_picture_t with our I420 planes
  std::vector<uint8_t> headers_;
  std::vector<uint8_t> scaled_;  // BGRA scratch when the frame needs scaling
  bool keyframe_requested_ = false;
};

// BGRA (cairo ARGB32 little-endian) to I420, BT.601 limited range, 2×2 chroma averaging.
void bgra_to_i420(const uint8_t* bgra, int stride, int width, int height, uint8_t* y, int y_stride,
                  uint8_t* u, int u_stride, uint8_t* v, int v_stride);

}  // namespace cp::devicesim
