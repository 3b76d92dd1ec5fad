#include "android/apk/apk_reader.h"

#include <algorithm>
#include <cctype>
#include <new>

#include "android/apk/arsc.h"
#include "android/apk/axml.h"
#include "android/apk/manifest.h"
#include "android/apk/zip_archive.h"

namespace cp::apk {
namespace {

constexpr uint64_t kMaxManifestBytes = 16u << 20;
constexpr uint64_t kMaxResourcesBytes = 64u << 20;  // big apps ship 10-30 MB tables
constexpr uint64_t kMaxIconBytes = 16u << 20;
constexpr uint32_t kAttrDrawable = 0x01010199;

bool ends_with_ignoring_case(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

bool is_png(const std::vector<uint8_t>& bytes) {
  static constexpr uint8_t kMagic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return bytes.size() >= sizeof(kMagic) &&
         std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin());
}

// The first PNG among `candidates` (best first) that the zip really holds.
bool pick_png(const ZipArchive& zip, const std::vector<FileCandidate>& candidates, ApkInfo& info) {
  for (const FileCandidate& candidate : candidates) {
    if (!ends_with_ignoring_case(candidate.path, ".png")) {
      continue;
    }
    std::optional<std::vector<uint8_t>> bytes = zip.read_if_present(candidate.path, kMaxIconBytes);
    if (bytes && is_png(*bytes)) {
      info.icon_path = candidate.path;
      info.icon_png = std::move(*bytes);
      return true;
    }
  }
  return false;
}

// An adaptive icon (<adaptive-icon> XML) has no PNG of its own: use its foreground layer's.
bool pick_adaptive_foreground(const ZipArchive& zip, const ResourceTable& table,
                              const std::vector<FileCandidate>& candidates, ApkInfo& info) {
  for (const FileCandidate& candidate : candidates) {
    if (!ends_with_ignoring_case(candidate.path, ".xml")) {
      continue;
    }
    std::optional<std::vector<uint8_t>> bytes = zip.read_if_present(candidate.path, kMaxIconBytes);
    if (!bytes) {
      continue;
    }
    XmlDocument doc = parse_axml(*bytes);
    for (int index : doc.root().children) {
      const XmlElement& layer = doc.elements[index];
      const XmlAttribute* drawable = layer.find(kAttrDrawable, "drawable");
      if (layer.name == "foreground" && drawable != nullptr && drawable->value.is_reference() &&
          pick_png(zip, table.file_candidates(drawable->value.data), info)) {
        return true;
      }
    }
  }
  return false;
}

std::string resolve_text(const TextOrReference& text, const ResourceTable* table) {
  if (!text.reference) {
    return text.text;
  }
  if (table == nullptr) {
    return std::string();
  }
  return table->resolve_string(*text.reference).value_or(std::string());
}

ApkInfo read_from_zip(const ZipArchive& zip) {
  std::optional<std::vector<uint8_t>> manifest_bytes =
      zip.read_if_present("AndroidManifest.xml", kMaxManifestBytes);
  if (!manifest_bytes) {
    throw ApkError("APK has no AndroidManifest.xml");
  }
  ManifestFacts facts = read_manifest(parse_axml(*manifest_bytes));

  std::optional<std::vector<uint8_t>> arsc_bytes =
      zip.read_if_present("resources.arsc", kMaxResourcesBytes);
  std::optional<ResourceTable> table;
  if (arsc_bytes) {
    table.emplace(*arsc_bytes);
  }
  const ResourceTable* resources = table ? &*table : nullptr;

  ApkInfo info;
  info.package = facts.package;
  info.version_code = facts.version_code;
  info.version_name = resolve_text(facts.version_name, resources);
  info.min_sdk = facts.min_sdk;
  info.target_sdk = facts.target_sdk;
  info.permissions = std::move(facts.permissions);
  info.label = resolve_text(facts.label, resources);
  info.launchable_activity = std::move(facts.launchable_activity);
  if (facts.icon && resources != nullptr) {
    std::vector<FileCandidate> candidates = resources->file_candidates(*facts.icon);
    if (!pick_png(zip, candidates, info)) {
      pick_adaptive_foreground(zip, *resources, candidates, info);
    }
  }
  return info;
}

// Limits make allocation failures unlikely; should one happen it is still the input's fault.
template <typename Read>
ApkInfo guarded(Read read) {
  try {
    return read();
  } catch (const std::bad_alloc&) {
    throw ApkError("APK needs more memory than allowed");
  } catch (const std::length_error&) {
    throw ApkError("APK declares an impossible size");
  }
}

}  // namespace

ApkInfo read_apk(const std::filesystem::path& path) {
  return guarded([&] { return read_from_zip(ZipArchive::from_file(path)); });
}

ApkInfo read_apk(std::span<const uint8_t> bytes) {
  return guarded([&] { return read_from_zip(ZipArchive::from_memory(bytes)); });
}

}  // namespace cp::apk
