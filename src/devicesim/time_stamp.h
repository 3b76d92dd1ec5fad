#pragma once
// The capture-time stamp the simulated device can draw into its video (for glass-to-glass
// latency measurements, enabled per scrcpy session by `setprop debug.cloudphone.stamp 1`):
// 48 bits in 3 rows of 16 square blocks at the top-left corner, white = 1, black = 0, written
// straight into the encoder's luma plane (chroma neutral). The value is the capture time in
// Unix milliseconds modulo 2^40, followed by an 8-bit check (the five bytes summed, xor 0xA5),
// so a reader can reject a misread. A page reads it back by sampling each block's centre.
#include <cstdint>
#include <optional>

namespace cp::devicesim {

inline constexpr int kStampBlock = 12;  // pixels per block side: survives ultrafast x264 at 4 Mbps
inline constexpr int kStampColumns = 16, kStampRows = 3;

inline uint64_t stamp_bits(uint64_t unix_ms) {
  const uint64_t v = unix_ms & ((uint64_t{1} << 40) - 1);
  uint8_t check = 0;
  for (int i = 0; i < 5; ++i) check = static_cast<uint8_t>(check + ((v >> (8 * i)) & 0xff));
  return (v << 8) | static_cast<uint8_t>(check ^ 0xA5);
}

// The value (ms modulo 2^40) if the check matches.
inline std::optional<uint64_t> stamp_value(uint64_t bits) {
  const uint64_t v = bits >> 8;
  if (stamp_bits(v) != bits) return std::nullopt;
  return v;
}

// Bit i (0 = most significant of 48) sits at column i % 16, row i / 16.
inline void draw_stamp(uint8_t* y, int y_stride, uint8_t* u, int u_stride, uint8_t* v, int v_stride,
                       int width, int height, uint64_t unix_ms) {
  if (width < kStampColumns * kStampBlock || height < kStampRows * kStampBlock) return;
  const uint64_t bits = stamp_bits(unix_ms);
  for (int i = 0; i < kStampColumns * kStampRows; ++i) {
    const bool one = (bits >> (47 - i)) & 1;
    const int x0 = (i % kStampColumns) * kStampBlock, y0 = (i / kStampColumns) * kStampBlock;
    for (int row = y0; row < y0 + kStampBlock; ++row) {
      for (int col = x0; col < x0 + kStampBlock; ++col) y[row * y_stride + col] = one ? 235 : 16;
    }
    for (int row = y0 / 2; row < (y0 + kStampBlock) / 2; ++row) {
      for (int col = x0 / 2; col < (x0 + kStampBlock) / 2; ++col) {
        u[row * u_stride + col] = 128;
        v[row * v_stride + col] = 128;
      }
    }
  }
}

}  // namespace cp::devicesim
