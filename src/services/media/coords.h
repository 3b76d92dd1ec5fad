#pragma once
// Browser → device coordinates. The page shows the video frame scaled to fit its element
// (object-fit: contain, so letterboxed), possibly rotated by CSS; a pointer position in the
// element becomes a point in video-frame coordinates, which is what scrcpy wants.
#include <cstdint>
#include <optional>

#include "android/scrcpy/control_message.h"

namespace cp::media {

struct ElementPoint {
  double x = 0, y = 0;  // pointer position in the element (CSS px, origin top-left)
  double w = 0, h = 0;  // the element's displayed size (CSS px)
};

struct FrameSize {
  uint32_t width = 0, height = 0;  // current video frame size (already reflects device rotation)
};

// css_rotation: 0, 90, 180 or 270 degrees clockwise the page rotates the picture by.
// Points in the letterbox bars give nullopt unless `clamp` (moves/ups of a drag that left the
// picture are clamped to its edge). Degenerate sizes or a bad rotation give nullopt.
std::optional<scrcpy::Position> map_to_device(const ElementPoint& p, FrameSize frame,
                                              int css_rotation = 0, bool clamp = false);

}  // namespace cp::media
