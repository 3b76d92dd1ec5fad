#pragma once
// Objects as files under a root directory: <root>/data/<key> holds the bytes,
// <root>/meta/<key> the content type. Writes go to <root>/tmp and are renamed into place, so a
// reader sees the old object or the new one, never a partial file.
#include <filesystem>

#include "objstore/object_store.h"

namespace cp::objstore {

class FilesystemObjectStore final : public ObjectStore {
 public:
  explicit FilesystemObjectStore(std::filesystem::path root);

  ObjectInfo put_bytes(const std::string& key, std::string_view data,
                       std::string_view content_type = kDefaultContentType) override;
  ObjectInfo put_stream(const std::string& key, std::istream& in,
                        std::string_view content_type = kDefaultContentType) override;
  std::string get_bytes(const std::string& key) override;
  ObjectInfo get_file(const std::string& key, const std::filesystem::path& file) override;
  std::optional<ObjectInfo> head(const std::string& key) override;
  bool remove(const std::string& key) override;
  std::vector<ObjectInfo> list(const std::string& prefix) override;
  std::optional<std::string> presigned_get_url(const std::string&, std::chrono::seconds) override {
    return std::nullopt;
  }

 private:
  std::filesystem::path data_path(const std::string& key) const;
  std::filesystem::path meta_path(const std::string& key) const;
  std::filesystem::path temp_path() const;
  ObjectInfo commit(const std::string& key, const std::filesystem::path& tmp,
                    std::string_view content_type, const std::string& etag);
  std::filesystem::path root_;
};

}  // namespace cp::objstore
