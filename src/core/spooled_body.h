#pragma once
// A request body the server streamed to a temporary file instead of memory (APK and file
// uploads of up to hundreds of MB). The SHA-256 is computed while the bytes arrive, so a
// content-addressed store needs no second pass. The file is removed with the last reference.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "core/digest.h"

namespace cp::http {

struct SpooledBody {
  std::filesystem::path path;
  uint64_t size = 0;
  std::string sha256;  // lower-case hex

  SpooledBody() = default;
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;
  ~SpooledBody();

  // For tests and in-process callers: spools `bytes` like the server would.
  static std::shared_ptr<const SpooledBody> from_bytes(std::string_view bytes,
                                                       const std::filesystem::path& dir = {});
  // Spools a copy of an existing file (e.g. an object fetched from the store).
  static std::shared_ptr<const SpooledBody> from_file(const std::filesystem::path& source,
                                                      const std::filesystem::path& dir = {});
  // Reads the whole body; for small bodies only (the caller bounds the size).
  std::string read_all() const;
};

// Writes a body chunk by chunk; finish() hands the file over, otherwise it is removed.
class SpoolWriter {
 public:
  // `dir` empty = the system temporary directory (TMPDIR) + "/cloudphone-spool".
  explicit SpoolWriter(const std::filesystem::path& dir = {});
  ~SpoolWriter();
  SpoolWriter(const SpoolWriter&) = delete;
  SpoolWriter& operator=(const SpoolWriter&) = delete;

  void append(std::string_view chunk);  // throws std::runtime_error when the disk write fails
  uint64_t size() const { return size_; }
  std::shared_ptr<const SpooledBody> finish();

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  Sha256 hash_;
  uint64_t size_ = 0;
  bool done_ = false;
};

}  // namespace cp::http
