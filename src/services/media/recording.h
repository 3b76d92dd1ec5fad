#pragma once
// A recording of one device's stream: a PacketSink attached to the DeviceStream that muxes the
// device's H.264 into MP4 as it arrives (no re-encoding; see mp4_mux.h). finish() closes the
// file; the service then stores it in the object store.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "services/media/device_stream.h"
#include "services/media/mp4_mux.h"

namespace cp::media {

class Recording final : public PacketSink {
 public:
  // Spools into `dir` (created by the caller).
  Recording(std::string id, std::filesystem::path dir);
  void on_config(std::span<const uint8_t> annexb) override;
  void on_frame(std::span<const uint8_t> annexb, bool key_frame, int64_t pts_us) override;

  struct Result {
    std::filesystem::path file;  // the MP4, in the spool dir
    int64_t duration_ms = 0;
    int width = 0, height = 0;
    size_t frames = 0;
    bool truncated = false;  // the stream's size changed: the file ends there
  };
  // Ends the recording now (the last frame lasts until now). Throws Mp4Error when no key frame
  // ever arrived.
  Result finish();
  const std::string& id() const { return id_; }

 private:
  using Clock = std::chrono::steady_clock;
  std::string id_;
  std::filesystem::path dir_;
  std::mutex mu_;
  Mp4Writer writer_;
  bool finished_ = false;
  bool truncated_ = false;
  int64_t last_pts_ = -1;
  Clock::time_point last_arrival_;
};

}  // namespace cp::media
