#pragma once
// Client → server input on the stream WebSocket: one JSON object per text message, turned into
// scrcpy control messages. Anything malformed is rejected with a reason (the caller counts it
// and ignores the message); nothing here throws.
#include <string>
#include <string_view>
#include <vector>

#include "android/scrcpy/control_message.h"
#include "services/media/coords.h"

namespace cp::media {

struct ParsedInput {
  std::vector<scrcpy::ControlMessage> messages;
  bool keyframe = false;  // {t:"keyframe"}: the viewer wants a fresh IDR
  std::string error;      // non-empty: the input was rejected (short reason, for a metric label)
  bool ok() const { return error.empty(); }
};

inline constexpr size_t kMaxInputMessageSize = 64 * 1024;

// frame: the current video size, for mapping touch/scroll positions.
ParsedInput parse_input(std::string_view text, FrameSize frame);

}  // namespace cp::media
