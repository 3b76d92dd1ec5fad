#pragma once
// Big-endian integer helpers: every scrcpy multi-byte integer is big-endian (Java
// DataOutputStream).
#include <cstdint>
#include <span>
#include <vector>

namespace cp::scrcpy {

inline void put_u16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  put_u16(out, static_cast<uint16_t>(v >> 16));
  put_u16(out, static_cast<uint16_t>(v));
}
inline void put_u64(std::vector<uint8_t>& out, uint64_t v) {
  put_u32(out, static_cast<uint32_t>(v >> 32));
  put_u32(out, static_cast<uint32_t>(v));
}
inline uint16_t get_u16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
inline uint32_t get_u32(const uint8_t* p) {
  return (uint32_t{get_u16(p)} << 16) | get_u16(p + 2);
}
inline uint64_t get_u64(const uint8_t* p) {
  return (uint64_t{get_u32(p)} << 32) | get_u32(p + 4);
}

}  // namespace cp::scrcpy
