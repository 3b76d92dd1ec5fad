#pragma once
// Shell protocol v2 framing (protocols.md §2.2): 1-byte id + u32 LE length + data. Packets are
// independent of WRTE boundaries, so the parser is incremental.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cp::adb {

enum class ShellPacket : uint8_t {
  kStdin = 0,
  kStdout = 1,
  kStderr = 2,
  kExit = 3,
  kCloseStdin = 4,
  kWindowSizeChange = 5,
};

struct ShellFrame {
  ShellPacket id;
  std::string data;
};

std::vector<uint8_t> encode_shell_frame(ShellPacket id, std::string_view data);

class ShellFrameParser {
 public:
  // Frames larger than this are a protocol error (adb uses buffers well below it).
  static constexpr uint32_t kMaxFrame = 16 * 1024 * 1024;
  void feed(std::span<const uint8_t> bytes);
  std::optional<ShellFrame> next();  // throws AdbError on an oversized frame

 private:
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace cp::adb
