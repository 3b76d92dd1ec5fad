#pragma once
// Pure checks around webrtcbin's negotiation (no GStreamer here, so they are unit tested):
// the H.264 profile-level-id to pin from the device's SPS, and whether a browser's answer is
// safe to apply — webrtcbin 1.22 aborts the process on a rejected video m-line.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cp::media {

inline constexpr int kVideoPayloadType = 96;

// "42e01f"-style hex of profile_idc, constraint flags, level_idc of the first SPS in an
// Annex-B buffer; nullopt when there is no complete SPS.
std::optional<std::string> profile_level_id(std::span<const uint8_t> annexb);

// Empty when the answer accepts our video (m=video with a non-zero port carrying payload `pt`
// as H264/90000, packetization-mode 1) and the data channels (m=application, non-zero port);
// otherwise a short reason.
std::string check_answer(std::string_view sdp, int pt = kVideoPayloadType);

}  // namespace cp::media
