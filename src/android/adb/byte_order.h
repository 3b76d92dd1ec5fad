#pragma once
// Little-endian helpers: every integer in ADB, sync and shell v2 framing is little-endian.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cp::adb {

inline void put_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void put_le64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint32_t get_le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline uint64_t get_le64(const uint8_t* p) {
  return uint64_t(get_le32(p)) | uint64_t(get_le32(p + 4)) << 32;
}
inline void append(std::vector<uint8_t>& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}

}  // namespace cp::adb
