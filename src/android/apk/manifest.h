#pragma once
// What the platform needs from a decoded AndroidManifest.xml, before resource references are
// resolved against resources.arsc.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "android/apk/axml.h"

namespace cp::apk {

// An attribute that is either literal text or a reference to a resource (@0x7f...).
struct TextOrReference {
  std::string text;
  std::optional<uint32_t> reference;
};

struct ManifestFacts {
  std::string package;
  int64_t version_code = 0;
  TextOrReference version_name;
  int min_sdk = 0;
  int target_sdk = 0;
  std::vector<std::string> permissions;
  TextOrReference label;
  std::optional<uint32_t> icon;
  std::string launchable_activity;  // fully qualified, empty when none
};

// Throws ApkError when the document is not a manifest (wrong root, no package).
ManifestFacts read_manifest(const XmlDocument& doc);

// ".Main" -> "com.example.Main", "Main" -> "com.example.Main", "a.b.Main" unchanged.
std::string qualify_class_name(const std::string& package, const std::string& name);

}  // namespace cp::apk
