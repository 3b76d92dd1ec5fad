#include "services/media/coords.h"

#include <algorithm>
#include <cmath>

namespace cp::media {

std::optional<scrcpy::Position> map_to_device(const ElementPoint& p, FrameSize frame,
                                              int css_rotation, bool clamp) {
  if (frame.width == 0 || frame.height == 0 || frame.width > 65535 || frame.height > 65535) {
    return std::nullopt;
  }
  if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.w) || !std::isfinite(p.h) ||
      p.w <= 0 || p.h <= 0) {
    return std::nullopt;
  }
  const int r = ((css_rotation % 360) + 360) % 360;
  if (r % 90 != 0) {
    return std::nullopt;
  }
  const double fw = frame.width, fh = frame.height;
  // Size of the picture as displayed (before scaling), then the fit.
  const double dw = (r % 180 == 0) ? fw : fh;
  const double dh = (r % 180 == 0) ? fh : fw;
  const double scale = std::min(p.w / dw, p.h / dh);
  const double u = (p.x - (p.w - dw * scale) / 2) / scale;  // displayed-picture coordinates
  const double v = (p.y - (p.h - dh * scale) / 2) / scale;
  if (!clamp && (u < 0 || v < 0 || u > dw || v > dh)) {
    return std::nullopt;
  }
  double fx = u, fy = v;
  switch (r) {
    case 90:  // frame (fx, fy) is displayed at (fh - fy, fx)
      fx = v;
      fy = fh - u;
      break;
    case 180:
      fx = fw - u;
      fy = fh - v;
      break;
    case 270:  // displayed at (fy, fw - fx)
      fx = fw - v;
      fy = u;
      break;
    default:
      break;
  }
  const auto to_pixel = [](double value, double limit) {
    return static_cast<int32_t>(std::clamp(std::floor(value), 0.0, limit - 1));
  };
  return scrcpy::Position{to_pixel(fx, fw), to_pixel(fy, fh), static_cast<uint16_t>(frame.width),
                          static_cast<uint16_t>(frame.height)};
}

}  // namespace cp::media
