// libFuzzer target: resources.arsc parsing and reference resolution (build with
// -DCP_FUZZ=ON and clang).
#include <cstddef>
#include <cstdint>
#include <span>

#include "android/apk/arsc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    cp::apk::ResourceTable table(std::span<const uint8_t>(data, size));
    // A few ids in the app package's first types, where string and file resources live.
    for (uint32_t type = 1; type <= 4; ++type) {
      for (uint32_t entry = 0; entry < 4; ++entry) {
        uint32_t id = 0x7f000000 | (type << 16) | entry;
        table.resolve_string(id);
        table.file_candidates(id);
      }
    }
  } catch (const cp::apk::ApkError&) {
    // Rejecting the input is the expected outcome; anything else is a finding.
  }
  return 0;
}
