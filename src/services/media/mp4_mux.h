#pragma once
// A minimal ISO-BMFF (MP4) muxer for one H.264 video track, no re-encoding: access units arrive
// as Annex-B (what the device sends), their NAL units are stored length-prefixed in an mdat
// spooled to a temporary file, and finish() writes ftyp + moov (avcC from the stream's SPS/PPS,
// stts/stss/stsz/stsc/co64 from the access units) + mdat, moov first so players can start
// before the whole file is read. Parameter sets stay out of the samples (they live in avcC).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <vector>

namespace cp::media {

struct Mp4Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Mp4Writer {
 public:
  // Spools sample data to `spool` (created, removed by the destructor).
  explicit Mp4Writer(std::filesystem::path spool);
  ~Mp4Writer();
  Mp4Writer(const Mp4Writer&) = delete;
  Mp4Writer& operator=(const Mp4Writer&) = delete;

  // Adds one access unit (pts in µs, increasing). The first one must be a key frame carrying or
  // preceded (config) by SPS and PPS; earlier delta frames are ignored. Returns false when the
  // unit was not taken (no key frame yet, or the parameter sets changed: a new size needs a new
  // file).
  bool add(std::span<const uint8_t> annexb, bool key_frame, int64_t pts_us);
  // SPS/PPS seen outside an access unit (scrcpy's config packet).
  void set_config(std::span<const uint8_t> annexb);

  // Writes the MP4 to `out`. The last sample lasts until end_pts_us (at least one ms).
  void finish(const std::filesystem::path& out, int64_t end_pts_us);

  size_t samples() const { return sizes_.size(); }
  int width() const { return width_; }
  int height() const { return height_; }
  // Duration in µs from the first sample to end_pts_us.
  int64_t duration_us(int64_t end_pts_us) const;

 private:
  bool take_parameter_sets(std::span<const uint8_t> annexb);  // false: they changed

  std::filesystem::path spool_path_;
  std::ofstream spool_;
  std::vector<uint8_t> sps_, pps_;
  bool params_changed_ = false;
  int width_ = 0, height_ = 0;
  std::vector<uint32_t> sizes_;
  std::vector<int64_t> pts_;
  std::vector<uint32_t> sync_;  // 1-based sample numbers
  uint64_t mdat_bytes_ = 0;
};

}  // namespace cp::media
