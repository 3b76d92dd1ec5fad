#include "services/media/h264.h"

#include <stdexcept>

namespace cp::media {
namespace {

// [start, end) of each NAL payload (after its start code).
std::vector<std::pair<size_t, size_t>> split_nals(std::span<const uint8_t> b) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0, begin = std::string::npos;
  while (i + 2 < b.size()) {
    if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
      if (begin != std::string::npos) {
        size_t end = i;
        while (end > begin && b[end - 1] == 0) --end;  // trailing zero of a 4-byte start code
        out.emplace_back(begin, end);
      }
      i += 3;
      begin = i;
    } else {
      ++i;
    }
  }
  if (begin != std::string::npos && begin < b.size()) out.emplace_back(begin, b.size());
  return out;
}

class BitReader {
 public:
  explicit BitReader(std::vector<uint8_t> rbsp) : data_(std::move(rbsp)) {}
  uint32_t bit() {
    if (pos_ >= data_.size() * 8) throw std::out_of_range("sps");
    const uint32_t v = (data_[pos_ / 8] >> (7 - pos_ % 8)) & 1;
    ++pos_;
    return v;
  }
  uint32_t bits(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 1) | bit();
    return v;
  }
  uint32_t ue() {
    int zeros = 0;
    while (bit() == 0) {
      if (++zeros > 31) throw std::out_of_range("sps");
    }
    return ((uint32_t{1} << zeros) - 1) + bits(zeros);
  }
  int32_t se() {
    const uint32_t k = ue();
    return (k & 1) ? static_cast<int32_t>((k + 1) / 2) : -static_cast<int32_t>(k / 2);
  }

 private:
  std::vector<uint8_t> data_;
  size_t pos_ = 0;
};

void skip_scaling_list(BitReader& r, int size) {
  int32_t last = 8, next = 8;
  for (int j = 0; j < size; ++j) {
    if (next != 0) next = (last + r.se() + 256) % 256;
    last = next == 0 ? last : next;
  }
}

FrameSize parse_sps(BitReader& r) {
  const uint32_t profile = r.bits(8);
  r.bits(16);  // constraint flags + level
  r.ue();      // seq_parameter_set_id
  uint32_t chroma_format = 1;
  if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 ||
      profile == 83 || profile == 86 || profile == 118 || profile == 128 || profile == 138 ||
      profile == 139 || profile == 134 || profile == 135) {
    chroma_format = r.ue();
    if (chroma_format == 3) r.bit();  // separate_colour_plane_flag
    r.ue();                           // bit_depth_luma
    r.ue();                           // bit_depth_chroma
    r.bit();                          // qpprime_y_zero_transform_bypass
    if (r.bit()) {                    // seq_scaling_matrix_present
      for (int i = 0; i < (chroma_format != 3 ? 8 : 12); ++i) {
        if (r.bit()) skip_scaling_list(r, i < 6 ? 16 : 64);
      }
    }
  }
  r.ue();  // log2_max_frame_num
  const uint32_t poc_type = r.ue();
  if (poc_type == 0) {
    r.ue();
  } else if (poc_type == 1) {
    r.bit();
    r.se();
    r.se();
    const uint32_t n = r.ue();
    if (n > 255) throw std::out_of_range("sps");
    for (uint32_t i = 0; i < n; ++i) r.se();
  }
  r.ue();   // max_num_ref_frames
  r.bit();  // gaps_in_frame_num_allowed
  const uint32_t mbs_w = r.ue() + 1;
  const uint32_t map_units_h = r.ue() + 1;
  const uint32_t frame_mbs_only = r.bit();
  if (!frame_mbs_only) r.bit();  // mb_adaptive_frame_field
  r.bit();                       // direct_8x8_inference
  uint32_t crop_l = 0, crop_r = 0, crop_t = 0, crop_b = 0;
  if (r.bit()) {
    crop_l = r.ue();
    crop_r = r.ue();
    crop_t = r.ue();
    crop_b = r.ue();
  }
  const uint32_t crop_x = chroma_format == 0 || chroma_format == 3 ? 1 : 2;
  const uint32_t crop_y = (chroma_format == 1 ? 2 : 1) * (2 - frame_mbs_only);
  const uint64_t w = uint64_t{mbs_w} * 16, h = uint64_t{map_units_h} * 16 * (2 - frame_mbs_only);
  const uint64_t cw = uint64_t{crop_l + crop_r} * crop_x, ch = uint64_t{crop_t + crop_b} * crop_y;
  if (w > 16384 || h > 16384 || cw >= w || ch >= h) throw std::out_of_range("sps");
  return {static_cast<uint32_t>(w - cw), static_cast<uint32_t>(h - ch)};
}

}  // namespace

std::vector<int> nal_types(std::span<const uint8_t> annexb) {
  std::vector<int> out;
  for (auto [b, e] : split_nals(annexb)) {
    if (e > b) out.push_back(annexb[b] & 0x1f);
  }
  return out;
}

bool has_nal(std::span<const uint8_t> annexb, int type) {
  for (int t : nal_types(annexb)) {
    if (t == type) return true;
  }
  return false;
}

std::optional<FrameSize> sps_frame_size(std::span<const uint8_t> annexb) {
  for (auto [b, e] : split_nals(annexb)) {
    if (e <= b + 1 || (annexb[b] & 0x1f) != 7) continue;
    std::vector<uint8_t> rbsp;  // without emulation-prevention bytes
    rbsp.reserve(e - b);
    int zeros = 0;
    for (size_t i = b + 1; i < e; ++i) {
      if (zeros >= 2 && annexb[i] == 3) {
        zeros = 0;
        continue;
      }
      zeros = annexb[i] == 0 ? zeros + 1 : 0;
      rbsp.push_back(annexb[i]);
    }
    try {
      BitReader reader(std::move(rbsp));
      return parse_sps(reader);
    } catch (const std::out_of_range&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace cp::media
