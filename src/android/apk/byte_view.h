#pragma once
// Bounds-checked little-endian reads over untrusted bytes. Every out-of-range access throws
// ApkError, so parsers can index freely without checking each offset by hand.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "android/apk/apk_reader.h"

namespace cp::apk {

class ByteView {
 public:
  ByteView() = default;
  explicit ByteView(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t size() const { return bytes_.size(); }
  std::span<const uint8_t> bytes() const { return bytes_; }

  uint8_t u8(size_t offset) const {
    check(offset, 1);
    return bytes_[offset];
  }
  uint16_t u16(size_t offset) const {
    check(offset, 2);
    return static_cast<uint16_t>(bytes_[offset] | (bytes_[offset + 1] << 8));
  }
  uint32_t u32(size_t offset) const {
    check(offset, 4);
    return static_cast<uint32_t>(bytes_[offset]) |
           (static_cast<uint32_t>(bytes_[offset + 1]) << 8) |
           (static_cast<uint32_t>(bytes_[offset + 2]) << 16) |
           (static_cast<uint32_t>(bytes_[offset + 3]) << 24);
  }
  // The sub-range [offset, offset + length), which must lie inside this view.
  ByteView sub(size_t offset, size_t length) const {
    check(offset, length);
    return ByteView(bytes_.subspan(offset, length));
  }
  bool fits(size_t offset, size_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }

 private:
  void check(size_t offset, size_t length) const {
    if (!fits(offset, length)) {
      throw ApkError("truncated data: read of " + std::to_string(length) + " bytes at offset " +
                     std::to_string(offset) + " past end " + std::to_string(bytes_.size()));
    }
  }

  std::span<const uint8_t> bytes_;
};

// ResChunk_header, shared by AXML and resources.arsc.
struct Chunk {
  uint16_t type = 0;
  uint16_t header_size = 0;
  uint32_t size = 0;
  ByteView data;  // the whole chunk, header included

  ByteView body() const { return data.sub(header_size, size - header_size); }
};

// Reads the chunk at `offset` of `parent` and checks that its header and body lie inside it.
inline Chunk read_chunk(const ByteView& parent, size_t offset) {
  Chunk chunk;
  chunk.type = parent.u16(offset);
  chunk.header_size = parent.u16(offset + 2);
  chunk.size = parent.u32(offset + 4);
  if (chunk.header_size < 8 || chunk.header_size > chunk.size) {
    throw ApkError("bad chunk header at offset " + std::to_string(offset));
  }
  if (!parent.fits(offset, chunk.size)) {
    throw ApkError("chunk at offset " + std::to_string(offset) + " overruns its container");
  }
  chunk.data = parent.sub(offset, chunk.size);
  return chunk;
}

// Res_value: the typed value of an XML attribute or a resource table entry.
struct ResValue {
  static constexpr uint8_t kNull = 0x00;
  static constexpr uint8_t kReference = 0x01;
  static constexpr uint8_t kAttribute = 0x02;
  static constexpr uint8_t kString = 0x03;
  static constexpr uint8_t kFloat = 0x04;
  static constexpr uint8_t kDynamicReference = 0x07;
  static constexpr uint8_t kIntDec = 0x10;
  static constexpr uint8_t kIntHex = 0x11;
  static constexpr uint8_t kIntBoolean = 0x12;

  uint8_t type = kNull;
  uint32_t data = 0;

  bool is_int() const { return type >= kIntDec && type <= 0x1f; }
  bool is_reference() const { return type == kReference || type == kDynamicReference; }
};

// Reads the 8-byte Res_value at `offset`.
inline ResValue read_res_value(const ByteView& view, size_t offset) {
  uint16_t size = view.u16(offset);
  if (size < 8) {
    throw ApkError("bad value size at offset " + std::to_string(offset));
  }
  return ResValue{view.u8(offset + 3), view.u32(offset + 4)};
}

}  // namespace cp::apk
