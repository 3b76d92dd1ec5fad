#pragma once
// Test helper: an ObjectStore decorator that counts uploads (content-addressed tests).
#include "objstore/object_store.h"

namespace cp::objstore {

// Counts uploads to prove the content-addressed helper uploads once.
class CountingStore final : public ObjectStore {
 public:
  explicit CountingStore(ObjectStore& inner) : inner_(inner) {}
  int puts = 0;
  ObjectInfo put_bytes(const std::string& k, std::string_view d, std::string_view ct) override {
    ++puts;
    return inner_.put_bytes(k, d, ct);
  }
  ObjectInfo put_stream(const std::string& k, std::istream& in, std::string_view ct) override {
    ++puts;
    return inner_.put_stream(k, in, ct);
  }
  std::string get_bytes(const std::string& k) override { return inner_.get_bytes(k); }
  ObjectInfo get_file(const std::string& k, const std::filesystem::path& f) override {
    return inner_.get_file(k, f);
  }
  std::optional<ObjectInfo> head(const std::string& k) override { return inner_.head(k); }
  bool remove(const std::string& k) override { return inner_.remove(k); }
  std::vector<ObjectInfo> list(const std::string& p) override { return inner_.list(p); }
  std::optional<std::string> presigned_get_url(const std::string& k,
                                               std::chrono::seconds e) override {
    return inner_.presigned_get_url(k, e);
  }

 private:
  ObjectStore& inner_;
};

}  // namespace cp::objstore
