// libFuzzer target: binary XML and manifest extraction (build with -DCP_FUZZ=ON and clang).
#include <cstddef>
#include <cstdint>
#include <span>

#include "android/apk/axml.h"
#include "android/apk/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    cp::apk::read_manifest(cp::apk::parse_axml(std::span<const uint8_t>(data, size)));
  } catch (const cp::apk::ApkError&) {
    // Rejecting the input is the expected outcome; anything else is a finding.
  }
  return 0;
}
