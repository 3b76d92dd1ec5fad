#pragma once
// resources.arsc: enough of the resource table to resolve the manifest's label and icon
// references — simple (non-bag) values per configuration, with locale and density.
// The table keeps views into the caller's bytes, which must outlive it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "android/apk/byte_view.h"
#include "android/apk/string_pool.h"

namespace cp::apk {

// The parts of ResTable_config this reader looks at.
struct ResConfig {
  static constexpr uint16_t kDensityDefault = 0;
  static constexpr uint16_t kDensityAny = 0xfffe;
  static constexpr uint16_t kDensityNone = 0xffff;

  char language[2] = {0, 0};
  char country[2] = {0, 0};
  uint16_t density = kDensityDefault;
  uint16_t sdk_version = 0;
  bool other_qualifiers = false;  // any other field set (orientation, screen size, night...)

  bool default_locale() const { return language[0] == 0 && country[0] == 0; }
};

struct ResEntryValue {
  ResConfig config;
  ResValue value;
};

// A file resource (drawable, mipmap) and the density of the configuration it is for.
struct FileCandidate {
  uint16_t density = 0;
  std::string path;
};

class ResourceTable {
 public:
  ResourceTable() = default;
  // Throws ApkError when the table is malformed.
  explicit ResourceTable(std::span<const uint8_t> arsc);

  // Every simple value of resource `id` across configurations, in table order; empty when
  // the id is unknown or names a bag (style, array...).
  std::vector<ResEntryValue> values(uint32_t id) const;

  // The string resource `id` for the default locale, following references; nullopt when the
  // resource is missing, not a string, or references loop.
  std::optional<std::string> resolve_string(uint32_t id) const;

  // The file paths resource `id` can resolve to for the default locale, best density first
  // (anydpi, then highest dpi; an unqualified resource counts as mdpi).
  std::vector<FileCandidate> file_candidates(uint32_t id) const;

  // A global-pool string (TYPE_STRING values of this table).
  std::string global_string(uint32_t index) const { return strings_.at(index); }

 private:
  struct TypeChunk {
    ResConfig config;
    ByteView chunk;
    uint32_t entry_count = 0;
    uint32_t entries_start = 0;
    uint8_t flags = 0;
  };
  struct Package {
    uint32_t id = 0;
    std::vector<std::vector<TypeChunk>> types;  // indexed by type id (1..255)
  };

  void parse_package(const Chunk& chunk);
  std::optional<ResValue> entry_value(const TypeChunk& type, uint32_t entry_index) const;
  std::optional<std::string> resolve_string(uint32_t id, int depth) const;
  void collect_files(uint32_t id, int depth, std::vector<uint32_t>& expanded,
                     std::vector<FileCandidate>& out) const;

  StringPool strings_;
  std::vector<Package> packages_;
  size_t type_chunk_count_ = 0;
};

}  // namespace cp::apk
