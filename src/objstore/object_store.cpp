#include "objstore/object_store.h"

#include <fstream>

#include "core/config.h"
#include "objstore/fs_object_store.h"
#include "objstore/s3_object_store.h"
#include "objstore/sha256.h"

namespace cp::objstore {

void validate_key(std::string_view key) {
  auto bad = [&](const std::string& why) {
    throw ObjectStoreError("InvalidKey", "object key " + why, 400);
  };
  if (key.empty()) bad("is empty");
  if (key.size() > kMaxKeyLength) bad("is longer than " + std::to_string(kMaxKeyLength) + " bytes");
  if (key.front() == '/') bad("must be relative");
  for (unsigned char c : key) {
    if (c < 0x20 || c == 0x7f) bad("contains a control character");
    if (c == '\\') bad("contains a backslash");
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view seg = key.substr(start, end - start);
    if (seg.empty()) bad("contains an empty path segment");
    if (seg == "." || seg == "..") bad("contains a '.' or '..' segment");
    start = end + 1;
  }
}

ObjectInfo ObjectStore::put_file(const std::string& key, const std::filesystem::path& file,
                                 std::string_view content_type) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ObjectStoreError("LocalFile", "cannot open " + file.string());
  return put_stream(key, in, content_type);
}

std::string sha256_file_hex(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ObjectStoreError("LocalFile", "cannot open " + file.string());
  Sha256 h;
  std::string buf(1 << 20, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) throw ObjectStoreError("LocalFile", "cannot read " + file.string());
  return h.finish_hex();
}

std::string put_content_addressed(ObjectStore& store, const std::string& prefix,
                                  const std::filesystem::path& file,
                                  std::string_view content_type) {
  std::string key = prefix.empty() ? "" : prefix + "/";
  key += "sha256/" + sha256_file_hex(file);
  validate_key(key);
  if (!store.head(key)) store.put_file(key, file, content_type);
  return key;
}

std::unique_ptr<ObjectStore> make_object_store(const Config& config) {
  std::string backend = config.get("objects.backend", "fs");
  if (backend == "fs") {
    std::string dir = config.get("objects.dir", "");
    if (dir.empty()) dir = config.get("data.dir", ".cloudphone") + "/objects";
    return std::make_unique<FilesystemObjectStore>(dir);
  }
  if (backend == "s3") {
    S3Config c;
    c.endpoint = config.get("objects.s3.endpoint", "");
    c.bucket = config.get("objects.s3.bucket", "");
    c.region = config.get("objects.s3.region", c.region);
    c.access_key = config.get("objects.s3.access_key", "");
    c.secret_key = config.get("objects.s3.secret_key", "");
    c.path_style = config.get_bool("objects.s3.path_style", true);
    c.part_size = static_cast<size_t>(
        config.get_int("objects.s3.part_size", static_cast<int64_t>(c.part_size)));
    if (c.endpoint.empty() || c.bucket.empty()) {
      throw std::invalid_argument("objects.backend=s3 needs objects.s3.endpoint and objects.s3.bucket");
    }
    return std::make_unique<S3ObjectStore>(std::move(c));
  }
  throw std::invalid_argument("objects.backend must be fs or s3, not " + backend);
}

}  // namespace cp::objstore
