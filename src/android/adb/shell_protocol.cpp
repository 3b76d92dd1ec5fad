#include "android/adb/shell_protocol.h"

#include "android/adb/adb_packet.h"
#include "android/adb/byte_order.h"

namespace cp::adb {

std::vector<uint8_t> encode_shell_frame(ShellPacket id, std::string_view data) {
  std::vector<uint8_t> out;
  out.reserve(5 + data.size());
  out.push_back(static_cast<uint8_t>(id));
  put_le32(out, static_cast<uint32_t>(data.size()));
  append(out, data);
  return out;
}

void ShellFrameParser::feed(std::span<const uint8_t> bytes) {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::optional<ShellFrame> ShellFrameParser::next() {
  if (buf_.size() - pos_ < 5) return std::nullopt;
  auto* p = reinterpret_cast<const uint8_t*>(buf_.data() + pos_);
  uint32_t len = get_le32(p + 1);
  if (len > kMaxFrame) throw AdbError("adb shell: frame of " + std::to_string(len) + " bytes");
  if (buf_.size() - pos_ < 5 + size_t(len)) return std::nullopt;
  ShellFrame frame{static_cast<ShellPacket>(p[0]), buf_.substr(pos_ + 5, len)};
  pos_ += 5 + len;
  return frame;
}

}  // namespace cp::adb
