#include "services/media/recording.h"

namespace cp::media {

Recording::Recording(std::string id, std::filesystem::path dir)
    : id_(std::move(id)), dir_(std::move(dir)), writer_(dir_ / (id_ + ".mdat")) {}

void Recording::on_config(std::span<const uint8_t> annexb) {
  std::lock_guard lock(mu_);
  if (!finished_) writer_.set_config(annexb);
}

void Recording::on_frame(std::span<const uint8_t> annexb, bool key_frame, int64_t pts_us) {
  std::lock_guard lock(mu_);
  if (finished_ || truncated_) return;
  const bool had_samples = writer_.samples() > 0;
  if (writer_.add(annexb, key_frame, pts_us)) {
    last_pts_ = pts_us;
    last_arrival_ = Clock::now();
  } else if (had_samples) {
    truncated_ = true;  // new parameter sets (settings changed): a new size needs a new file
  }
}

Recording::Result Recording::finish() {
  std::lock_guard lock(mu_);
  finished_ = true;
  Result r;
  // The last frame stays on screen until now (the device sends nothing while idle).
  const int64_t end_pts =
      last_pts_ +
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - last_arrival_).count();
  r.file = dir_ / (id_ + ".mp4");
  writer_.finish(r.file, end_pts);
  r.duration_ms = writer_.duration_us(end_pts) / 1000;
  r.width = writer_.width();
  r.height = writer_.height();
  r.frames = writer_.samples();
  r.truncated = truncated_;
  return r;
}

}  // namespace cp::media
