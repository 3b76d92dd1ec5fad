// libFuzzer target: arbitrary bytes, fed in arbitrary pieces, must never crash the parser; bad
// input may only surface as AdbError.
#include <cstddef>
#include <cstdint>

#include "android/adb/adb_packet.h"
#include "android/adb/shell_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the feed granularity so split headers/payloads get exercised.
  size_t step = 1 + data[0] % 64;
  cp::adb::PacketParser packets(64 * 1024);
  cp::adb::ShellFrameParser frames;
  try {
    for (size_t off = 1; off < size; off += step) {
      auto piece = std::span(data + off, std::min(step, size - off));
      packets.feed(piece);
      frames.feed(piece);
      while (auto msg = packets.next()) {
        if (msg->payload.size() > 64 * 1024) __builtin_trap();
      }
      while (frames.next()) {
      }
    }
  } catch (const cp::adb::AdbError&) {
  }
  return 0;
}
