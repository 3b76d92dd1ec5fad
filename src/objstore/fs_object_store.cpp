#include "objstore/fs_object_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>

#include "objstore/sha256.h"

namespace fs = std::filesystem;

namespace cp::objstore {

namespace {

std::string read_small(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s;
}

void write_file(const fs::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.flush();
  if (!out) throw ObjectStoreError("LocalFile", "cannot write " + p.string());
}

ObjectStoreError no_such_key(const std::string& key) {
  return ObjectStoreError("NoSuchKey", "no object " + key, 404);
}

}  // namespace

FilesystemObjectStore::FilesystemObjectStore(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_ / "data");
  fs::create_directories(root_ / "meta");
  fs::create_directories(root_ / "tmp");
}

fs::path FilesystemObjectStore::data_path(const std::string& key) const {
  validate_key(key);
  return root_ / "data" / key;
}

fs::path FilesystemObjectStore::meta_path(const std::string& key) const {
  validate_key(key);
  return root_ / "meta" / key;
}

fs::path FilesystemObjectStore::temp_path() const {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return root_ / "tmp" /
         (std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
          std::to_string(rng()));
}

ObjectInfo FilesystemObjectStore::commit(const std::string& key, const fs::path& tmp,
                                         std::string_view content_type, const std::string& etag) {
  fs::path data = data_path(key);
  fs::path meta = meta_path(key);
  std::error_code ec;
  fs::create_directories(data.parent_path(), ec);
  fs::create_directories(meta.parent_path(), ec);
  if (fs::is_directory(data)) {
    fs::remove(tmp, ec);
    throw ObjectStoreError("InvalidKey", "key " + key + " is a prefix of other objects", 409);
  }
  // Meta first: a reader that sees the new data also sees its content type.
  fs::path meta_tmp = temp_path();
  write_file(meta_tmp, std::string(content_type) + "\n" + etag);
  fs::rename(meta_tmp, meta, ec);
  if (!ec) fs::rename(tmp, data, ec);
  if (ec) {
    fs::remove(tmp);
    fs::remove(meta_tmp);
    throw ObjectStoreError("LocalFile", "cannot store " + key + ": " + ec.message());
  }
  return ObjectInfo{key, fs::file_size(data), etag, std::string(content_type)};
}

ObjectInfo FilesystemObjectStore::put_bytes(const std::string& key, std::string_view data,
                                            std::string_view content_type) {
  validate_key(key);
  fs::path tmp = temp_path();
  write_file(tmp, data);
  return commit(key, tmp, content_type, "\"" + sha256_hex(data) + "\"");
}

ObjectInfo FilesystemObjectStore::put_stream(const std::string& key, std::istream& in,
                                             std::string_view content_type) {
  validate_key(key);
  fs::path tmp = temp_path();
  Sha256 hash;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    std::string buf(1 << 20, '\0');
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      auto n = static_cast<size_t>(in.gcount());
      hash.update(std::string_view(buf.data(), n));
      out.write(buf.data(), static_cast<std::streamsize>(n));
    }
    out.flush();
    if (!out || in.bad()) {
      out.close();
      fs::remove(tmp);
      throw ObjectStoreError("LocalFile", "cannot write object " + key);
    }
  }
  return commit(key, tmp, content_type, "\"" + hash.finish_hex() + "\"");
}

std::optional<ObjectInfo> FilesystemObjectStore::head(const std::string& key) {
  fs::path data = data_path(key);
  std::error_code ec;
  if (!fs::is_regular_file(data, ec)) return std::nullopt;
  ObjectInfo info{key, fs::file_size(data, ec), "", std::string(kDefaultContentType)};
  std::string meta = read_small(meta_path(key));
  if (auto nl = meta.find('\n'); nl != std::string::npos) {
    info.content_type = meta.substr(0, nl);
    info.etag = meta.substr(nl + 1);
  }
  return info;
}

std::string FilesystemObjectStore::get_bytes(const std::string& key) {
  fs::path data = data_path(key);
  std::ifstream in(data, std::ios::binary);
  if (!in || fs::is_directory(data)) throw no_such_key(key);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

ObjectInfo FilesystemObjectStore::get_file(const std::string& key, const fs::path& file) {
  auto info = head(key);
  if (!info) throw no_such_key(key);
  fs::path tmp = file;
  tmp += ".part";
  std::error_code ec;
  fs::copy_file(data_path(key), tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp);
    throw ObjectStoreError("LocalFile",
                           "cannot copy " + key + " to " + file.string() + ": " + ec.message());
  }
  return *info;
}

bool FilesystemObjectStore::remove(const std::string& key) {
  fs::path data = data_path(key);
  std::error_code ec;
  if (!fs::is_regular_file(data, ec)) return false;
  bool removed = fs::remove(data, ec);
  fs::remove(meta_path(key), ec);
  // Drop directories the object leaves empty (never the data root itself).
  for (fs::path dir = data.parent_path(); dir != root_ / "data"; dir = dir.parent_path()) {
    if (!fs::remove(dir, ec)) break;  // not empty
  }
  return removed;
}

std::vector<ObjectInfo> FilesystemObjectStore::list(const std::string& prefix) {
  std::vector<ObjectInfo> out;
  fs::path base = root_ / "data";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(base, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string key = fs::relative(it->path(), base).generic_string();
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    if (auto info = head(key)) out.push_back(std::move(*info));
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

}  // namespace cp::objstore
