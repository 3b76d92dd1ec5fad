#pragma once
// Object storage behind one interface: FilesystemObjectStore (embedded default) and
// S3ObjectStore (AWS Signature V4). Keys are "/"-separated relative paths, validated by
// validate_key(). Failures throw ObjectStoreError with a stable code (S3 error codes: NoSuchKey,
// InvalidKey, AccessDenied, ...).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cp {
class Config;
}

namespace cp::objstore {

struct ObjectStoreError : std::runtime_error {
  ObjectStoreError(std::string code, const std::string& message, int http_status = 0)
      : std::runtime_error(code + ": " + message), code(std::move(code)), http_status(http_status) {}
  std::string code;    // e.g. "NoSuchKey", "InvalidKey", "SignatureDoesNotMatch", "Transport"
  int http_status = 0;  // 0 when the error did not come from an HTTP answer
};

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;          // backend-specific, quoted as the backend returns it
  std::string content_type;  // empty in listings
};

inline constexpr std::string_view kDefaultContentType = "application/octet-stream";
inline constexpr size_t kMaxKeyLength = 1024;

// Throws ObjectStoreError("InvalidKey") for an empty or too long key, an absolute path, "." or
// ".." segments, empty segments ("a//b"), backslashes or control characters.
void validate_key(std::string_view key);

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  virtual ObjectInfo put_bytes(const std::string& key, std::string_view data,
                               std::string_view content_type = kDefaultContentType) = 0;
  // Reads the stream to its end; large streams go up in parts (S3 multipart upload).
  virtual ObjectInfo put_stream(const std::string& key, std::istream& in,
                                std::string_view content_type = kDefaultContentType) = 0;
  ObjectInfo put_file(const std::string& key, const std::filesystem::path& file,
                      std::string_view content_type = kDefaultContentType);

  virtual std::string get_bytes(const std::string& key) = 0;
  // Streams the object into `file` (written to a temporary file next to it, then renamed).
  virtual ObjectInfo get_file(const std::string& key, const std::filesystem::path& file) = 0;
  // nullopt when the object does not exist.
  virtual std::optional<ObjectInfo> head(const std::string& key) = 0;
  // True when an object was deleted, false when there was none.
  virtual bool remove(const std::string& key) = 0;
  // All objects whose key starts with prefix, sorted by key.
  virtual std::vector<ObjectInfo> list(const std::string& prefix) = 0;
  // A URL anyone can GET until it expires, generated on demand (never store it); nullopt when
  // the backend cannot serve objects by URL (the filesystem store).
  virtual std::optional<std::string> presigned_get_url(const std::string& key,
                                                       std::chrono::seconds expires_in) = 0;
};

// sha256 of a file, lowercase hex, read in chunks.
std::string sha256_file_hex(const std::filesystem::path& file);

// Stores `file` under "<prefix>/sha256/<hex>" unless an object with that key already exists
// (HEAD first): the same content is uploaded once. Returns the key.
std::string put_content_addressed(ObjectStore& store, const std::string& prefix,
                                  const std::filesystem::path& file,
                                  std::string_view content_type = kDefaultContentType);

// From config: objects.backend=fs|s3 and the objects.* keys described in docs/operations.md.
std::unique_ptr<ObjectStore> make_object_store(const Config& config);

}  // namespace cp::objstore
