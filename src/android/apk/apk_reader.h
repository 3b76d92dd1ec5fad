#pragma once
// Reads what the platform needs from an APK: the zip, the binary-XML AndroidManifest.xml and
// resources.arsc. Hostile input gives an ApkError, never a crash or a hang.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace cp::apk {

struct ApkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ApkInfo {
  std::string package;
  int64_t version_code = 0;
  std::string version_name;
  int min_sdk = 0;                       // 0 when absent
  int target_sdk = 0;                    // 0 when absent (aapt then reports min_sdk)
  std::vector<std::string> permissions;  // in manifest order
  std::string label;                     // application label resolved for the default locale
  std::string launchable_activity;       // fully-qualified class name, empty when none
  std::string icon_path;                 // path inside the zip of the chosen icon (best density)
  std::vector<uint8_t> icon_png;         // bytes of that icon, empty when none
};

// Throws ApkError with a human-readable reason.
ApkInfo read_apk(const std::filesystem::path& path);
ApkInfo read_apk(std::span<const uint8_t> bytes);

}  // namespace cp::apk
