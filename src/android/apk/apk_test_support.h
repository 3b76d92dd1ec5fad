#pragma once
// Helpers shared by the APK reader tests: where the aapt-built test APKs are, reading files,
// and building zips in memory with libzip.
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cp::apk::testing {

// Set by ctest (fixture `testapks`); a plain run falls back to the build tree's copy.
inline std::filesystem::path test_apk_dir() {
  if (const char* dir = std::getenv("CP_TEST_APK_DIR")) {
    return dir;
  }
  if (const char* build = std::getenv("CP_BINARY_DIR")) {
    return std::filesystem::path(build) / "test-apks";
  }
  throw std::runtime_error("CP_TEST_APK_DIR is not set (run through ctest)");
}

inline std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

using ZipEntries = std::vector<std::pair<std::string, std::vector<uint8_t>>>;

// A zip holding `entries` (deflated unless `store`), built entirely in memory.
inline std::vector<uint8_t> make_zip(const ZipEntries& entries, bool store = false) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);  // survives zip_close so the result can be read back
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    throw std::runtime_error("zip_open_from_source failed");
  }
  for (const auto& [name, bytes] : entries) {
    zip_source_t* data = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    zip_int64_t index = zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE);
    if (index < 0) {
      throw std::runtime_error("zip_file_add failed");
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                             store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9);
  }
  if (zip_close(archive) != 0) {
    throw std::runtime_error("zip_close failed");
  }
  zip_source_open(buffer);
  zip_source_seek(buffer, 0, SEEK_END);
  std::vector<uint8_t> out(static_cast<size_t>(zip_source_tell(buffer)));
  zip_source_seek(buffer, 0, SEEK_SET);
  zip_source_read(buffer, out.data(), out.size());
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

// Every entry of a zip file, read with libzip directly (independent of ZipArchive).
inline ZipEntries unzip_all(const std::filesystem::path& path) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (archive == nullptr) {
    throw std::runtime_error("cannot open " + path.string());
  }
  ZipEntries entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::vector<uint8_t> bytes(stat.size);
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    zip_fread(file, bytes.data(), bytes.size());
    zip_fclose(file);
    entries.emplace_back(stat.name, std::move(bytes));
  }
  zip_discard(archive);
  return entries;
}

inline const std::vector<uint8_t>& entry(const ZipEntries& entries, const std::string& name) {
  for (const auto& [entry_name, bytes] : entries) {
    if (entry_name == name) {
      return bytes;
    }
  }
  throw std::runtime_error("no zip entry " + name);
}

}  // namespace cp::apk::testing
