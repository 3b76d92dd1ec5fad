#include "android/adb/adb_packet.h"

#include <cstring>

#include "android/adb/byte_order.h"

namespace cp::adb {

uint32_t payload_checksum(std::span<const uint8_t> payload) {
  uint32_t sum = 0;
  for (uint8_t b : payload) sum += b;
  return sum;
}

std::vector<uint8_t> encode_message(uint32_t command, uint32_t arg0, uint32_t arg1,
                                    std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + payload.size());
  put_le32(out, command);
  put_le32(out, arg0);
  put_le32(out, arg1);
  put_le32(out, static_cast<uint32_t>(payload.size()));
  put_le32(out, payload_checksum(payload));
  put_le32(out, command ^ 0xFFFFFFFFu);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> encode_message(uint32_t command, uint32_t arg0, uint32_t arg1,
                                    std::string_view payload) {
  return encode_message(
      command, arg0, arg1,
      std::span(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
}

std::string command_name(uint32_t command) {
  std::string name(4, '?');
  for (int i = 0; i < 4; ++i) {
    char c = static_cast<char>((command >> (8 * i)) & 0xFF);
    if (c >= 'A' && c <= 'Z') name[i] = c;
  }
  return name;
}

void PacketParser::feed(std::span<const uint8_t> bytes) {
  // Compact lazily so a long-lived connection does not grow the buffer forever.
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > (1u << 20)) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

std::optional<AdbMessage> PacketParser::next() {
  if (buffered() < kHeaderSize) return std::nullopt;
  const uint8_t* h = buf_.data() + pos_;
  uint32_t command = get_le32(h);
  uint32_t length = get_le32(h + 12);
  uint32_t magic = get_le32(h + 20);
  if (magic != (command ^ 0xFFFFFFFFu)) {
    throw AdbError("adb: bad packet magic for command 0x" + std::to_string(command));
  }
  if (length > max_payload_) {
    throw AdbError("adb: payload of " + std::to_string(length) + " bytes exceeds limit " +
                   std::to_string(max_payload_));
  }
  if (buffered() < kHeaderSize + length) return std::nullopt;
  AdbMessage msg;
  msg.command = command;
  msg.arg0 = get_le32(h + 4);
  msg.arg1 = get_le32(h + 8);
  msg.payload.assign(h + kHeaderSize, h + kHeaderSize + length);
  pos_ += kHeaderSize + length;
  return msg;
}

}  // namespace cp::adb
