// The video loop of a scrcpy session: codec meta, then a config packet and H.264 access units
// from the Screen. Frames are encoded when the screen changed, at most at the session's rate,
// and the last picture is repeated every 100 ms when idle (as Android's encoder does with
// KEY_REPEAT_PREVIOUS_FRAME_AFTER) so a decoder that joins late still gets pictures.
#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "android/scrcpy/protocol.h"
#include "android/scrcpy/video_stream.h"
#include "devicesim/encoder.h"
#include "devicesim/scrcpy_server_session.h"
#include "devicesim/screen.h"

namespace cp::devicesim {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::pair<int, int> scrcpy_video_size(int width, int height, int max_size) {
  int w = width & ~7;
  int h = height & ~7;
  if (max_size > 0 && std::max(w, h) > max_size) {
    if (w >= h) {
      h = static_cast<int>(static_cast<int64_t>(h) * max_size / w) & ~7;
      w = max_size;
    } else {
      w = static_cast<int>(static_cast<int64_t>(w) * max_size / h) & ~7;
      h = max_size;
    }
  }
  return {std::max(8, w), std::max(8, h)};
}

void ScrcpySession::run_video() {
  const auto& o = options;
  const int rate = o.max_fps && *o.max_fps > 0 ? std::min(fps, static_cast<int>(*o.max_fps)) : fps;
  const auto frame_interval = std::chrono::microseconds(1'000'000 / std::max(1, rate));
  const auto start = SteadyClock::now();
  auto send_packet = [&](bool config, bool key, int64_t pts, const std::vector<uint8_t>& data) {
    if (o.send_frame_meta &&
        !write_all(*video, scrcpy::encode_packet_header(config, key, pts,
                                                        static_cast<uint32_t>(data.size())))) {
      return false;
    }
    return write_all(*video, data);
  };

  std::unique_ptr<H264Encoder> encoder;
  int screen_w = 0, screen_h = 0;
  uint64_t last_generation = 0;
  auto last_sent = SteadyClock::time_point{};
  bool first = true;
  while (!stop) {
    // The frame slot starts before rendering: render + encode time is part of the interval,
    // not added to it (otherwise 60 fps became ~38 fps).
    const auto slot_start = SteadyClock::now();
    const auto frame = screen.frame();
    const auto capture_time = std::chrono::system_clock::now();
    const bool resized = frame->width != screen_w || frame->height != screen_h;
    if (!encoder || resized || reset_video.exchange(false)) {
      // New capture session: a fresh encoder, so a config packet and an IDR come first.
      screen_w = frame->width;
      screen_h = frame->height;
      const auto [vw, vh] = scrcpy_video_size(screen_w, screen_h, o.max_size);
      video_width = vw;
      video_height = vh;
      if (first && o.send_codec_meta &&
          !write_all(*video,
                     scrcpy::encode_codec_meta({scrcpy::kCodecH264, uint32_t(vw), uint32_t(vh)}))) {
        break;  // codec meta carries the initial size only; not resent on rotation (v3)
      }
      first = false;
      EncoderConfig config;
      config.width = vw;
      config.height = vh;
      config.fps = rate;
      config.bitrate = o.video_bit_rate;
      encoder = std::make_unique<H264Encoder>(config);
      if (!send_packet(true, false, 0, encoder->headers())) {
        break;
      }
      last_generation = 0;  // force an encode now
      log("INFO: Video " + std::to_string(vw) + "x" + std::to_string(vh) + " h264 @" +
          std::to_string(rate) + " fps");
    }
    const auto now = SteadyClock::now();
    if (stamp || frame->generation != last_generation || now - last_sent >= 100ms) {
      const int64_t pts =
          std::chrono::duration_cast<std::chrono::microseconds>(now - start).count();
      std::optional<uint64_t> stamp_ms;
      if (stamp) {  // the capture time: when the frame was taken from the screen
        stamp_ms = static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(capture_time.time_since_epoch())
                .count());
      }
      const EncodedFrame out = encoder->encode(*frame, pts, stamp_ms);
      if (!out.annexb.empty() && !send_packet(false, out.key_frame, pts, out.annexb)) {
        break;
      }
      last_generation = frame->generation;
      last_sent = now;
    }
    // Wake on the next change (input, animation, clock) or for the idle repeat, but never
    // faster than the frame rate.
    const auto next_slot = slot_start + frame_interval;
    if (!stamp) screen.wait_for_change(last_generation, 100ms);
    std::this_thread::sleep_until(next_slot);
  }
  stop = true;
}

bool ScrcpySession::write_all(ByteStream& stream, const std::vector<uint8_t>& bytes) {
  return stream.write(bytes);
}

}  // namespace cp::devicesim
