#pragma once
// Read-only access to a zip (APK) through libzip, from memory or a file, with the limits an
// untrusted upload needs: entry count, per-entry uncompressed size and compression ratio are
// checked before anything is inflated, and no read goes past the declared size.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct zip;

namespace cp::apk {

struct ZipLimits {
  uint64_t max_entries = 250'000;
  // Above this size an entry must not be compressed more than max_ratio times.
  uint64_t ratio_check_min_size = 1u << 20;
  uint64_t max_ratio = 500;
};

class ZipArchive {
 public:
  // `bytes` must outlive the archive. Throws ApkError when the zip is unreadable.
  static ZipArchive from_memory(std::span<const uint8_t> bytes, const ZipLimits& limits = {});
  static ZipArchive from_file(const std::filesystem::path& path, const ZipLimits& limits = {});

  ZipArchive(ZipArchive&& other) noexcept;
  ZipArchive& operator=(ZipArchive&&) = delete;
  ZipArchive(const ZipArchive&) = delete;
  ~ZipArchive();

  uint64_t entry_count() const;
  bool contains(const std::string& name) const;
  // The entry's uncompressed bytes. ApkError when missing, larger than `max_size`, compressed
  // suspiciously well (a zip bomb), encrypted or corrupt.
  std::vector<uint8_t> read(const std::string& name, uint64_t max_size) const;
  // Like read() but nullopt when the entry does not exist.
  std::optional<std::vector<uint8_t>> read_if_present(const std::string& name,
                                                      uint64_t max_size) const;

 private:
  ZipArchive(struct zip* archive, const ZipLimits& limits);

  struct zip* zip_ = nullptr;
  ZipLimits limits_;
};

}  // namespace cp::apk
