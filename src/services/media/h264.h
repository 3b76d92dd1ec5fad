#pragma once
// Just enough H.264 bitstream reading for pass-through: NAL unit types in an Annex-B access
// unit and the picture size from an SPS (the device announces a new size only in-band).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "services/media/coords.h"

namespace cp::media {

// nal_unit_type of each NAL unit in an Annex-B buffer, in order.
std::vector<int> nal_types(std::span<const uint8_t> annexb);
bool has_nal(std::span<const uint8_t> annexb, int type);  // 7 = SPS, 5 = IDR slice
// Cropped picture size from the first SPS in the buffer; nullopt when absent or malformed.
std::optional<FrameSize> sps_frame_size(std::span<const uint8_t> annexb);

}  // namespace cp::media
