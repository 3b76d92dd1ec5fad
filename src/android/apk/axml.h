#pragma once
// Android binary XML (AXML, as in a compiled AndroidManifest.xml), decoded into a flat element
// list. Strings are decoded once while parsing; limits on elements, attributes and depth keep a
// hostile document from costing more than a bounded amount of memory and time.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "android/apk/byte_view.h"

namespace cp::apk {

inline constexpr std::string_view kAndroidNamespace = "http://schemas.android.com/apk/res/android";

struct XmlAttribute {
  std::string ns;            // namespace URI, empty when none
  std::string name;          // may be empty in obfuscated manifests; resource_id still works
  uint32_t resource_id = 0;  // attribute id from the resource map (0x0101xxxx), 0 when none
  std::string raw;           // raw string value, empty when none
  ResValue value;            // typed value; for strings, value.data indexes the document pool
};

struct XmlElement {
  std::string ns;
  std::string name;
  int parent = -1;  // index into XmlDocument::elements, -1 for the root
  int depth = 0;    // 0 for the root
  std::vector<XmlAttribute> attributes;
  std::vector<int> children;  // indices into XmlDocument::elements, in document order

  // The attribute with this android resource id, or (when the manifest carries no resource
  // map entry for it) the android-namespace attribute with this name.
  const XmlAttribute* find(uint32_t resource_id, std::string_view android_name) const;
};

struct XmlLimits {
  size_t max_elements = 50'000;
  size_t max_attributes = 200'000;
  int max_depth = 128;
};

struct XmlDocument {
  std::vector<XmlElement> elements;  // elements[0] is the root

  const XmlElement& root() const { return elements.front(); }
};

// Throws ApkError when `bytes` is not well-formed binary XML (text XML included).
XmlDocument parse_axml(std::span<const uint8_t> bytes, const XmlLimits& limits = {});

}  // namespace cp::apk
