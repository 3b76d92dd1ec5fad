#pragma once
#include <string>
#include <string_view>

namespace cp::scrcpy {

// The longest prefix of at most max_bytes that does not cut a UTF-8 character in two.
inline std::string truncate_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  size_t len = max_bytes;
  while (len > 0 && (static_cast<unsigned char>(text[len]) & 0xC0) == 0x80) {
    --len;  // text[len] continues a character that started before the cut
  }
  return std::string(text.substr(0, len));
}

}  // namespace cp::scrcpy
