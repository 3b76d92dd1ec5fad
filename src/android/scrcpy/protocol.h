#pragma once
// Constants of the scrcpy v3 wire protocol (docs: protocols.md §6, baseline scrcpy v3.3.4).
#include <cstdint>
#include <stdexcept>

namespace cp::scrcpy {

// Malformed or nonsensical bytes from the peer. The session using the stream should end.
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kServerClass = "com.genymobile.scrcpy.Server";
inline constexpr const char* kServerVersion = "3.3.4";
inline constexpr const char* kDefaultServerPath = "/data/local/tmp/scrcpy-server.jar";

inline constexpr size_t kDeviceNameFieldLength = 64;
inline constexpr size_t kFrameHeaderLength = 12;
inline constexpr size_t kCodecMetaLength = 12;  // video: codec id, width, height
inline constexpr size_t kControlMessageMaxSize = 256 * 1024;
inline constexpr size_t kDeviceMessageMaxSize = 256 * 1024;
inline constexpr size_t kInjectTextMaxLength = 300;
inline constexpr size_t kClipboardTextMaxLength = kControlMessageMaxSize - 14;

// Codec ids: four ASCII characters as a big-endian u32.
inline constexpr uint32_t kCodecH264 = 0x68323634;  // "h264"
inline constexpr uint32_t kCodecH265 = 0x68323635;  // "h265"
inline constexpr uint32_t kCodecAv1 = 0x00617631;   // "av1"
inline constexpr uint32_t kCodecDisabled = 0;       // stream disabled by the device
inline constexpr uint32_t kCodecConfigError = 1;    // client must stop

// Frame header bits (u64): CONFIG packet, KEY_FRAME, and 62 bits of PTS in microseconds.
inline constexpr uint64_t kPacketFlagConfig = uint64_t{1} << 63;
inline constexpr uint64_t kPacketFlagKeyFrame = uint64_t{1} << 62;
inline constexpr uint64_t kPacketPtsMask = kPacketFlagKeyFrame - 1;

// Special pointer ids in touch events.
inline constexpr uint64_t kPointerIdMouse = ~uint64_t{0};
inline constexpr uint64_t kPointerIdGenericFinger = ~uint64_t{0} - 1;
inline constexpr uint64_t kPointerIdVirtualFinger = ~uint64_t{0} - 2;

// Android constants carried by control messages.
enum class KeyAction : uint8_t { kDown = 0, kUp = 1 };
enum class MotionAction : uint8_t {
  kDown = 0,
  kUp = 1,
  kMove = 2,
  kCancel = 3,
  kPointerDown = 5,
  kPointerUp = 6,
  kHoverMove = 7
};
enum class CopyKey : uint8_t { kNone = 0, kCopy = 1, kCut = 2 };

inline constexpr int kKeycodeHome = 3;
inline constexpr int kKeycodeBack = 4;
inline constexpr int kKeycodePower = 26;
inline constexpr int kKeycodeEnter = 66;
inline constexpr int kKeycodeDel = 67;
inline constexpr int kKeycodeAppSwitch = 187;

}  // namespace cp::scrcpy
