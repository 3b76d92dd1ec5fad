#pragma once
// ADB transport messages: 24-byte little-endian header + payload (protocols.md §1.1–1.3),
// and an incremental parser that turns a TCP byte stream into messages.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cp::adb {

// Every ADB failure a caller sees: timeouts, protocol violations, a closed or dead device.
class AdbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Commands are four ASCII letters read as a little-endian u32.
constexpr uint32_t fourcc(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 | uint32_t(uint8_t(s[2])) << 16 |
         uint32_t(uint8_t(s[3])) << 24;
}

inline constexpr uint32_t kCnxn = fourcc("CNXN");
inline constexpr uint32_t kAuth = fourcc("AUTH");
inline constexpr uint32_t kOpen = fourcc("OPEN");
inline constexpr uint32_t kOkay = fourcc("OKAY");
inline constexpr uint32_t kWrte = fourcc("WRTE");
inline constexpr uint32_t kClse = fourcc("CLSE");
inline constexpr uint32_t kStls = fourcc("STLS");

inline constexpr uint32_t kVersionMin = 0x01000000;
inline constexpr uint32_t kVersionSkipChecksum = 0x01000001;
inline constexpr uint32_t kMaxPayloadV1 = 4096;  // limit before the peer's CNXN is known
inline constexpr uint32_t kMaxPayload = 1024 * 1024;

inline constexpr uint32_t kAuthToken = 1;
inline constexpr uint32_t kAuthSignature = 2;
inline constexpr uint32_t kAuthRsaPublicKey = 3;
inline constexpr size_t kAuthTokenSize = 20;

inline constexpr size_t kHeaderSize = 24;

struct AdbMessage {
  uint32_t command = 0;
  uint32_t arg0 = 0;
  uint32_t arg1 = 0;
  std::vector<uint8_t> payload;

  std::string_view payload_text() const {
    return {reinterpret_cast<const char*>(payload.data()), payload.size()};
  }
};

// Byte sum of the payload (protocols.md §1.3: "data_check" is a sum, not a CRC).
uint32_t payload_checksum(std::span<const uint8_t> payload);

// Header + payload, ready to send. The checksum is always filled: every peer accepts it.
std::vector<uint8_t> encode_message(uint32_t command, uint32_t arg0, uint32_t arg1,
                                    std::span<const uint8_t> payload);
std::vector<uint8_t> encode_message(uint32_t command, uint32_t arg0, uint32_t arg1,
                                    std::string_view payload);

std::string command_name(uint32_t command);

// Incremental parser. Feed bytes as they arrive, then pop complete messages. A bad magic or a
// payload longer than max_payload makes next() throw AdbError: the caller must drop the link,
// as adbd does, because the stream can no longer be framed.
class PacketParser {
 public:
  explicit PacketParser(uint32_t max_payload = kMaxPayload) : max_payload_(max_payload) {}
  void set_max_payload(uint32_t max_payload) { max_payload_ = max_payload; }
  void feed(std::span<const uint8_t> bytes);
  std::optional<AdbMessage> next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  uint32_t max_payload_;
};

}  // namespace cp::adb
