#include "android/apk/arsc.h"

#include <algorithm>

namespace cp::apk {
namespace {

constexpr uint16_t kTableType = 0x0002;
constexpr uint16_t kStringPoolType = 0x0001;
constexpr uint16_t kPackageType = 0x0200;
constexpr uint16_t kTypeType = 0x0201;
constexpr size_t kPackageHeaderMin = 284;
constexpr size_t kTypeHeaderMin = 20;  // chunk header, id, flags, entryCount, entriesStart
constexpr uint8_t kTypeFlagSparse = 0x01;
constexpr uint8_t kTypeFlagOffset16 = 0x02;
constexpr uint16_t kEntryFlagComplex = 0x0001;
constexpr uint16_t kEntryFlagCompact = 0x0008;
constexpr uint32_t kNoEntry = 0xffffffff;
constexpr int kMaxReferenceDepth = 8;
constexpr size_t kMaxTypeChunks = 200'000;
constexpr size_t kMaxPackages = 64;
constexpr size_t kMaxExpandedFileIds = 64;
constexpr size_t kMaxFileCandidates = 1024;

ResConfig read_config(const ByteView& config) {
  ResConfig out;
  // Fields past the declared size are absent (older tables) and read as zero.
  auto byte_at = [&](size_t offset) -> uint8_t {
    return config.fits(offset, 1) ? config.u8(offset) : 0;
  };
  out.language[0] = static_cast<char>(byte_at(8));
  out.language[1] = static_cast<char>(byte_at(9));
  out.country[0] = static_cast<char>(byte_at(10));
  out.country[1] = static_cast<char>(byte_at(11));
  out.density = static_cast<uint16_t>(byte_at(14) | (byte_at(15) << 8));
  out.sdk_version = static_cast<uint16_t>(byte_at(24) | (byte_at(25) << 8));
  for (size_t i = 4; i < config.size(); ++i) {
    bool known = (i >= 8 && i < 12) || i == 14 || i == 15 || i == 24 || i == 25;
    if (!known && config.u8(i) != 0) {
      out.other_qualifiers = true;
      break;
    }
  }
  return out;
}

uint32_t density_rank(uint16_t density) {
  switch (density) {
    case ResConfig::kDensityAny:
      return 1u << 20;
    case ResConfig::kDensityNone:
      return 1;
    case ResConfig::kDensityDefault:
      return 160;  // Android treats unqualified resources as mdpi
    default:
      return density;
  }
}

// Prefers plain configurations (no screen, night or similar qualifiers) for the default locale.
const ResEntryValue* pick_default_locale(const std::vector<ResEntryValue>& values) {
  const ResEntryValue* fallback = nullptr;
  for (const ResEntryValue& v : values) {
    if (v.config.default_locale()) {
      if (!v.config.other_qualifiers) {
        return &v;
      }
      if (fallback == nullptr) {
        fallback = &v;
      }
    }
  }
  return fallback != nullptr ? fallback : (values.empty() ? nullptr : &values.front());
}

}  // namespace

ResourceTable::ResourceTable(std::span<const uint8_t> arsc) {
  ByteView bytes(arsc);
  Chunk table = read_chunk(bytes, 0);
  if (table.type != kTableType || table.header_size < 12) {
    throw ApkError("resources.arsc does not start with a resource table chunk");
  }
  bool has_strings = false;
  for (size_t offset = table.header_size; offset < table.data.size();) {
    Chunk chunk = read_chunk(table.data, offset);
    if (chunk.type == kStringPoolType && !has_strings) {
      strings_ = StringPool(chunk);
      has_strings = true;
    } else if (chunk.type == kPackageType) {
      parse_package(chunk);
    }
    offset += chunk.size;
  }
  if (!has_strings) {
    throw ApkError("resources.arsc has no global string pool");
  }
}

void ResourceTable::parse_package(const Chunk& chunk) {
  if (chunk.header_size < kPackageHeaderMin) {
    throw ApkError("resources.arsc package header too small");
  }
  if (packages_.size() >= kMaxPackages) {
    throw ApkError("resources.arsc has too many packages");
  }
  Package package;
  package.id = chunk.data.u32(8);
  package.types.resize(256);
  for (size_t offset = chunk.header_size; offset < chunk.data.size();) {
    Chunk child = read_chunk(chunk.data, offset);
    offset += child.size;
    if (child.type != kTypeType) {
      continue;  // type specs, string pools, libraries, overlayables: not needed here
    }
    if (child.header_size < kTypeHeaderMin) {
      throw ApkError("resources.arsc type header too small");
    }
    if (++type_chunk_count_ > kMaxTypeChunks) {
      throw ApkError("resources.arsc has too many type chunks");
    }
    TypeChunk type;
    uint8_t type_id = child.data.u8(8);
    type.flags = child.data.u8(9);
    type.entry_count = child.data.u32(12);
    type.entries_start = child.data.u32(16);
    type.chunk = child.data;
    size_t config_size =
        std::min<size_t>(child.data.u32(kTypeHeaderMin), child.header_size - kTypeHeaderMin);
    type.config = read_config(child.data.sub(kTypeHeaderMin, config_size));
    size_t offset_width = (type.flags & (kTypeFlagSparse | kTypeFlagOffset16)) ? 2 : 4;
    size_t offsets_bytes =
        size_t{type.entry_count} * (type.flags & kTypeFlagSparse ? 4 : offset_width);
    if (type_id == 0 || !child.data.fits(child.header_size, offsets_bytes) ||
        type.entries_start > child.size) {
      throw ApkError("resources.arsc type chunk is inconsistent");
    }
    package.types[type_id].push_back(type);
  }
  packages_.push_back(std::move(package));
}

std::optional<ResValue> ResourceTable::entry_value(const TypeChunk& type,
                                                   uint32_t entry_index) const {
  const ByteView& chunk = type.chunk;
  size_t offsets_at = chunk.u16(2);  // header size
  uint32_t offset = kNoEntry;
  if (type.flags & kTypeFlagSparse) {
    // Sorted (entry index u16, offset/4 u16) pairs.
    for (uint32_t i = 0; i < type.entry_count; ++i) {
      if (chunk.u16(offsets_at + i * 4) == entry_index) {
        offset = uint32_t{chunk.u16(offsets_at + i * 4 + 2)} * 4;
        break;
      }
    }
  } else if (entry_index < type.entry_count) {
    if (type.flags & kTypeFlagOffset16) {
      uint16_t short_offset = chunk.u16(offsets_at + size_t{entry_index} * 2);
      offset = short_offset == 0xffff ? kNoEntry : uint32_t{short_offset} * 4;
    } else {
      offset = chunk.u32(offsets_at + size_t{entry_index} * 4);
    }
  }
  if (offset == kNoEntry) {
    return std::nullopt;
  }
  size_t entry = size_t{type.entries_start} + offset;
  uint16_t entry_size = chunk.u16(entry);
  uint16_t flags = chunk.u16(entry + 2);
  if (flags & kEntryFlagCompact) {
    // Compact entry: the size field holds the key, the flags' high byte the value type.
    return ResValue{static_cast<uint8_t>(flags >> 8), chunk.u32(entry + 4)};
  }
  if (flags & kEntryFlagComplex) {
    return std::nullopt;  // a bag (style, array, plural): not a simple value
  }
  if (entry_size < 8) {
    throw ApkError("resources.arsc entry too small");
  }
  return read_res_value(chunk, entry + entry_size);
}

std::vector<ResEntryValue> ResourceTable::values(uint32_t id) const {
  uint32_t package_id = id >> 24;
  uint32_t type_id = (id >> 16) & 0xff;
  uint32_t entry_index = id & 0xffff;
  std::vector<ResEntryValue> out;
  for (const Package& package : packages_) {
    if (package.id != package_id || type_id == 0) {
      continue;
    }
    for (const TypeChunk& type : package.types[type_id]) {
      if (std::optional<ResValue> value = entry_value(type, entry_index)) {
        out.push_back(ResEntryValue{type.config, *value});
      }
    }
  }
  return out;
}

std::optional<std::string> ResourceTable::resolve_string(uint32_t id) const {
  return resolve_string(id, 0);
}

std::optional<std::string> ResourceTable::resolve_string(uint32_t id, int depth) const {
  if (depth > kMaxReferenceDepth) {
    return std::nullopt;
  }
  std::vector<ResEntryValue> all = values(id);
  const ResEntryValue* chosen = pick_default_locale(all);
  if (chosen == nullptr) {
    return std::nullopt;
  }
  if (chosen->value.type == ResValue::kString) {
    return strings_.at(chosen->value.data);
  }
  if (chosen->value.is_reference()) {
    return resolve_string(chosen->value.data, depth + 1);
  }
  return std::nullopt;
}

std::vector<FileCandidate> ResourceTable::file_candidates(uint32_t id) const {
  std::vector<FileCandidate> out;
  std::vector<uint32_t> expanded;
  collect_files(id, 0, expanded, out);
  std::stable_sort(out.begin(), out.end(), [](const FileCandidate& a, const FileCandidate& b) {
    return density_rank(a.density) > density_rank(b.density);
  });
  return out;
}

void ResourceTable::collect_files(uint32_t id, int depth, std::vector<uint32_t>& expanded,
                                  std::vector<FileCandidate>& out) const {
  // Each id is expanded once and only a few are expanded at all, so references that fan out
  // or loop cost bounded work.
  if (depth > kMaxReferenceDepth || expanded.size() >= kMaxExpandedFileIds ||
      std::find(expanded.begin(), expanded.end(), id) != expanded.end()) {
    return;
  }
  expanded.push_back(id);
  for (const ResEntryValue& v : values(id)) {
    if (out.size() >= kMaxFileCandidates) {
      return;
    }
    if (!v.config.default_locale()) {
      continue;
    }
    if (v.value.type == ResValue::kString) {
      std::string path = strings_.at(v.value.data);
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const FileCandidate& c) { return c.path == path; });
      if (!seen) {
        out.push_back(FileCandidate{v.config.density, std::move(path)});
      }
    } else if (v.value.is_reference()) {
      collect_files(v.value.data, depth + 1, expanded, out);
    }
  }
}

}  // namespace cp::apk
