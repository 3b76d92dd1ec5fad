#pragma once
// ResStringPool: the string table at the front of AXML documents and resources.arsc.
// Strings are decoded on demand (UTF-8 or UTF-16 storage, always returned as UTF-8) and every
// decode is charged to a byte budget, so a hostile pool whose many indices point at one long
// string cannot make us allocate without bound.
#include <cstdint>
#include <string>

#include "android/apk/byte_view.h"

namespace cp::apk {

class StringPool {
 public:
  static constexpr uint32_t kNoIndex = 0xffffffff;
  static constexpr size_t kDefaultDecodeBudget = 64u << 20;

  StringPool() = default;
  // `chunk` is the whole RES_STRING_POOL_TYPE chunk; it must outlive the pool.
  explicit StringPool(const Chunk& chunk, size_t decode_budget = kDefaultDecodeBudget);

  uint32_t size() const { return count_; }
  bool is_utf8() const { return utf8_; }
  // The string at `index` as UTF-8; ApkError when the index or its data is out of range.
  std::string at(uint32_t index) const;
  // Empty for kNoIndex, otherwise at(index).
  std::string at_or_empty(uint32_t index) const {
    return index == kNoIndex ? std::string() : at(index);
  }

 private:
  std::string decode_utf8(size_t offset) const;
  std::string decode_utf16(size_t offset) const;
  void charge(size_t bytes) const;

  ByteView chunk_;
  uint32_t count_ = 0;
  bool utf8_ = false;
  size_t offsets_start_ = 0;
  size_t strings_start_ = 0;
  size_t strings_end_ = 0;
  mutable size_t budget_left_ = 0;
};

// Appends the UTF-8 encoding of a code point (U+FFFD for invalid ones).
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace cp::apk
