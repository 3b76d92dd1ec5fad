#include "android/apk/manifest.h"

#include <charconv>

namespace cp::apk {
namespace {

// android:* attribute ids (android.R.attr), which survive manifests whose names are stripped.
constexpr uint32_t kAttrLabel = 0x01010001;
constexpr uint32_t kAttrIcon = 0x01010002;
constexpr uint32_t kAttrName = 0x01010003;
constexpr uint32_t kAttrEnabled = 0x0101000e;
constexpr uint32_t kAttrMinSdkVersion = 0x0101020c;
constexpr uint32_t kAttrVersionCode = 0x0101021b;
constexpr uint32_t kAttrVersionName = 0x0101021c;
constexpr uint32_t kAttrTargetSdkVersion = 0x01010270;

const XmlAttribute* plain_attribute(const XmlElement& element, std::string_view name) {
  for (const XmlAttribute& attribute : element.attributes) {
    if (attribute.ns.empty() && attribute.name == name) {
      return &attribute;
    }
  }
  return nullptr;
}

std::string text_of(const XmlAttribute* attribute) {
  return attribute == nullptr ? std::string() : attribute->raw;
}

TextOrReference text_or_reference(const XmlAttribute* attribute) {
  TextOrReference out;
  if (attribute == nullptr) {
    return out;
  }
  if (attribute->value.is_reference()) {
    out.reference = attribute->value.data;
  } else {
    out.text = attribute->raw;
  }
  return out;
}

// Integer attributes are usually typed ints, but a codename or a hand-written manifest can
// leave them as strings; non-numeric strings read as 0.
int64_t integer_of(const XmlAttribute* attribute) {
  if (attribute == nullptr) {
    return 0;
  }
  if (attribute->value.is_int()) {
    return attribute->value.data;
  }
  int64_t parsed = 0;
  const std::string& raw = attribute->raw;
  auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), parsed);
  return error == std::errc() && end == raw.data() + raw.size() ? parsed : 0;
}

bool is_disabled(const XmlElement& element) {
  const XmlAttribute* enabled = element.find(kAttrEnabled, "enabled");
  return enabled != nullptr && enabled->value.type == ResValue::kIntBoolean &&
         enabled->value.data == 0;
}

bool has_child_named(const XmlDocument& doc, const XmlElement& parent, std::string_view tag,
                     std::string_view name) {
  for (int index : parent.children) {
    const XmlElement& child = doc.elements[index];
    if (child.name == tag && text_of(child.find(kAttrName, "name")) == name) {
      return true;
    }
  }
  return false;
}

// An activity is launchable when one of its intent filters has both MAIN and LAUNCHER.
bool is_launcher(const XmlDocument& doc, const XmlElement& activity) {
  for (int index : activity.children) {
    const XmlElement& filter = doc.elements[index];
    if (filter.name == "intent-filter" &&
        has_child_named(doc, filter, "action", "android.intent.action.MAIN") &&
        has_child_named(doc, filter, "category", "android.intent.category.LAUNCHER")) {
      return true;
    }
  }
  return false;
}

void read_application(const XmlDocument& doc, const XmlElement& application, ManifestFacts& out) {
  out.label = text_or_reference(application.find(kAttrLabel, "label"));
  if (const XmlAttribute* icon = application.find(kAttrIcon, "icon");
      icon != nullptr && icon->value.is_reference()) {
    out.icon = icon->value.data;
  }
  for (int index : application.children) {
    const XmlElement& component = doc.elements[index];
    // Unlike aapt 10, activity-alias counts: launchers list aliases like activities.
    bool activity = component.name == "activity" || component.name == "activity-alias";
    if (activity && out.launchable_activity.empty() && !is_disabled(component) &&
        is_launcher(doc, component)) {
      std::string name = text_of(component.find(kAttrName, "name"));
      if (!name.empty()) {
        out.launchable_activity = qualify_class_name(out.package, name);
      }
    }
  }
}

}  // namespace

std::string qualify_class_name(const std::string& package, const std::string& name) {
  if (name.starts_with('.')) {
    return package + name;
  }
  if (name.find('.') == std::string::npos) {
    return package + "." + name;
  }
  return name;
}

ManifestFacts read_manifest(const XmlDocument& doc) {
  const XmlElement& root = doc.root();
  if (root.name != "manifest" || !root.ns.empty()) {
    throw ApkError("AndroidManifest.xml root element is <" + root.name + ">, not <manifest>");
  }
  ManifestFacts out;
  out.package = text_of(plain_attribute(root, "package"));
  if (out.package.empty()) {
    throw ApkError("AndroidManifest.xml has no package name");
  }
  out.version_code = static_cast<int64_t>(
      static_cast<uint32_t>(integer_of(root.find(kAttrVersionCode, "versionCode"))));
  out.version_name = text_or_reference(root.find(kAttrVersionName, "versionName"));
  bool seen_application = false;
  for (int index : root.children) {
    const XmlElement& element = doc.elements[index];
    if (element.name == "uses-sdk") {
      out.min_sdk = static_cast<int>(integer_of(element.find(kAttrMinSdkVersion, "minSdkVersion")));
      out.target_sdk =
          static_cast<int>(integer_of(element.find(kAttrTargetSdkVersion, "targetSdkVersion")));
    } else if (element.name == "uses-permission") {
      std::string permission = text_of(element.find(kAttrName, "name"));
      if (!permission.empty()) {
        out.permissions.push_back(std::move(permission));
      }
    } else if (element.name == "application" && !seen_application) {
      seen_application = true;
      read_application(doc, element, out);
    }
  }
  return out;
}

}  // namespace cp::apk
