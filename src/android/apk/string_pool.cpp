#include "android/apk/string_pool.h"

namespace cp::apk {
namespace {

constexpr uint16_t kStringPoolType = 0x0001;
constexpr uint32_t kUtf8Flag = 1u << 8;
constexpr size_t kHeaderSize = 28;

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    cp = 0xfffd;
  }
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

StringPool::StringPool(const Chunk& chunk, size_t decode_budget)
    : chunk_(chunk.data), budget_left_(decode_budget) {
  if (chunk.type != kStringPoolType || chunk.header_size < kHeaderSize) {
    throw ApkError("expected a string pool chunk");
  }
  count_ = chunk_.u32(8);
  uint32_t style_count = chunk_.u32(12);
  utf8_ = (chunk_.u32(16) & kUtf8Flag) != 0;
  uint32_t strings_start = chunk_.u32(20);
  uint32_t styles_start = chunk_.u32(24);
  offsets_start_ = chunk.header_size;
  // The offset array (strings, then styles) must fit before the string data.
  uint64_t offsets_bytes = (uint64_t{count_} + style_count) * 4;
  if (offsets_start_ + offsets_bytes > chunk_.size()) {
    throw ApkError("string pool offset table overruns the chunk");
  }
  if (count_ == 0) {
    return;
  }
  strings_start_ = strings_start;
  strings_end_ = style_count > 0 ? styles_start : chunk_.size();
  if (strings_start_ < offsets_start_ + offsets_bytes || strings_start_ > strings_end_ ||
      strings_end_ > chunk_.size()) {
    throw ApkError("string pool data range is invalid");
  }
}

std::string StringPool::at(uint32_t index) const {
  if (index >= count_) {
    throw ApkError("string index " + std::to_string(index) + " out of range " +
                   std::to_string(count_));
  }
  size_t offset = strings_start_ + size_t{chunk_.u32(offsets_start_ + size_t{index} * 4)};
  if (offset >= strings_end_) {
    throw ApkError("string " + std::to_string(index) + " starts outside the string data");
  }
  return utf8_ ? decode_utf8(offset) : decode_utf16(offset);
}

void StringPool::charge(size_t bytes) const {
  // Every lookup costs at least a little, so millions of empty lookups also run out.
  bytes += 16;
  if (bytes > budget_left_) {
    throw ApkError("string pool decode budget exhausted (hostile string pool?)");
  }
  budget_left_ -= bytes;
}

std::string StringPool::decode_utf8(size_t offset) const {
  ByteView data = chunk_.sub(0, strings_end_);
  // Two lengths, each one byte or two (high bit set): UTF-16 units, then UTF-8 bytes.
  auto read_length = [&](size_t& at) {
    size_t length = data.u8(at++);
    if (length & 0x80) {
      length = ((length & 0x7f) << 8) | data.u8(at++);
    }
    return length;
  };
  read_length(offset);
  size_t byte_length = read_length(offset);
  ByteView bytes = data.sub(offset, byte_length);
  charge(byte_length);
  return std::string(reinterpret_cast<const char*>(bytes.bytes().data()), byte_length);
}

std::string StringPool::decode_utf16(size_t offset) const {
  ByteView data = chunk_.sub(0, strings_end_);
  // Length in UTF-16 units: one unit, or two when the high bit of the first is set.
  size_t length = data.u16(offset);
  offset += 2;
  if (length & 0x8000) {
    length = ((length & 0x7fff) << 16) | data.u16(offset);
    offset += 2;
  }
  if (!data.fits(offset, length * 2)) {
    throw ApkError("UTF-16 string overruns the string pool");
  }
  charge(length * 3);
  std::string out;
  out.reserve(length);
  for (size_t i = 0; i < length; ++i) {
    uint32_t unit = data.u16(offset + i * 2);
    if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < length) {
      uint32_t low = data.u16(offset + (i + 1) * 2);
      if (low >= 0xdc00 && low < 0xe000) {
        append_utf8(out, 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
        ++i;
        continue;
      }
    }
    append_utf8(out, unit);
  }
  return out;
}

}  // namespace cp::apk
