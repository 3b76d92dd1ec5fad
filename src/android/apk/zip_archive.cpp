#include "android/apk/zip_archive.h"

#include <zip.h>

#include <memory>

#include "android/apk/apk_reader.h"

namespace cp::apk {
namespace {

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

}  // namespace

ZipArchive::ZipArchive(struct zip* archive, const ZipLimits& limits)
    : zip_(archive), limits_(limits) {
  zip_int64_t entries = zip_get_num_entries(zip_, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits_.max_entries) {
    zip_discard(zip_);
    zip_ = nullptr;
    throw ApkError("zip has too many entries (" + std::to_string(entries) + ")");
  }
}

ZipArchive::ZipArchive(ZipArchive&& other) noexcept : zip_(other.zip_), limits_(other.limits_) {
  other.zip_ = nullptr;
}

ZipArchive::~ZipArchive() {
  if (zip_ != nullptr) {
    zip_discard(zip_);  // read-only: nothing to write back
  }
}

ZipArchive ZipArchive::from_memory(std::span<const uint8_t> bytes, const ZipLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw ApkError("cannot read zip: " + text);
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw ApkError("not a valid zip: " + text);
  }
  zip_error_fini(&error);
  return ZipArchive(archive, limits);
}

ZipArchive ZipArchive::from_file(const std::filesystem::path& path, const ZipLimits& limits) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (archive == nullptr) {
    throw ApkError("cannot open zip " + path.string() + ": " + zip_error_text(code));
  }
  return ZipArchive(archive, limits);
}

uint64_t ZipArchive::entry_count() const {
  return static_cast<uint64_t>(zip_get_num_entries(zip_, 0));
}

bool ZipArchive::contains(const std::string& name) const {
  return zip_name_locate(zip_, name.c_str(), 0) >= 0;
}

std::optional<std::vector<uint8_t>> ZipArchive::read_if_present(const std::string& name,
                                                                uint64_t max_size) const {
  zip_int64_t index = zip_name_locate(zip_, name.c_str(), 0);
  if (index < 0) {
    return std::nullopt;
  }
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &stat) != 0 ||
      !(stat.valid & ZIP_STAT_SIZE) || !(stat.valid & ZIP_STAT_COMP_SIZE)) {
    throw ApkError("cannot stat zip entry " + name);
  }
  if (stat.size > max_size) {
    throw ApkError("zip entry " + name + " is too large (" + std::to_string(stat.size) +
                   " bytes, limit " + std::to_string(max_size) + ")");
  }
  if (stat.size >= limits_.ratio_check_min_size &&
      stat.size / std::max<uint64_t>(stat.comp_size, 1) > limits_.max_ratio) {
    throw ApkError("zip entry " + name + " looks like a zip bomb (compression ratio over " +
                   std::to_string(limits_.max_ratio) + ")");
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0));
  if (!file) {
    throw ApkError("cannot open zip entry " + name + ": " + zip_strerror(zip_));
  }
  std::vector<uint8_t> bytes(stat.size);
  uint64_t filled = 0;
  while (filled < bytes.size()) {
    zip_int64_t got = zip_fread(file.get(), bytes.data() + filled, bytes.size() - filled);
    if (got <= 0) {
      throw ApkError("zip entry " + name +
                     " is truncated or corrupt: " + zip_file_strerror(file.get()));
    }
    filled += static_cast<uint64_t>(got);
  }
  // One more read must hit the end: it also makes libzip verify the CRC.
  uint8_t extra = 0;
  if (zip_fread(file.get(), &extra, 1) != 0) {
    throw ApkError("zip entry " + name +
                   " is corrupt or longer than declared: " + zip_file_strerror(file.get()));
  }
  return bytes;
}

std::vector<uint8_t> ZipArchive::read(const std::string& name, uint64_t max_size) const {
  std::optional<std::vector<uint8_t>> bytes = read_if_present(name, max_size);
  if (!bytes) {
    throw ApkError("zip has no entry " + name);
  }
  return std::move(*bytes);
}

}  // namespace cp::apk
