#pragma once
// S3 (AWS, MinIO, s3rver) over core's blocking HttpClient with our own Signature V4.
// Path-style (http://host/bucket/key) or virtual-host style (http://bucket.host/key) addressing.
// Streams of more than one part go up as a multipart upload (Create/UploadPart/Complete, Abort
// on failure); downloads to a file use ranged GETs of part_size, so no object is held whole.
#include <atomic>
#include <memory>

#include "core/http_client.h"
#include "objstore/object_store.h"
#include "objstore/sigv4.h"

namespace cp::objstore {

struct S3Config {
  std::string endpoint;  // "http://127.0.0.1:9000" (no TLS: TLS terminates at the ingress)
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  bool path_style = true;
  size_t part_size = 16u << 20;  // multipart part size and threshold (S3 minimum is 5 MiB)
  std::chrono::milliseconds timeout{60000};  // per request
};

class S3ObjectStore final : public ObjectStore {
 public:
  explicit S3ObjectStore(S3Config config);
  ~S3ObjectStore() override;

  ObjectInfo put_bytes(const std::string& key, std::string_view data,
                       std::string_view content_type = kDefaultContentType) override;
  ObjectInfo put_stream(const std::string& key, std::istream& in,
                        std::string_view content_type = kDefaultContentType) override;
  std::string get_bytes(const std::string& key) override;
  ObjectInfo get_file(const std::string& key, const std::filesystem::path& file) override;
  std::optional<ObjectInfo> head(const std::string& key) override;
  bool remove(const std::string& key) override;
  std::vector<ObjectInfo> list(const std::string& prefix) override;
  std::optional<std::string> presigned_get_url(const std::string& key,
                                               std::chrono::seconds expires_in) override;

  // Upload counters (for metrics and tests).
  struct Stats {
    uint64_t multipart_uploads = 0;
    uint64_t parts_uploaded = 0;
  };
  Stats stats() const { return Stats{multipart_uploads_.load(), parts_uploaded_.load()}; }

  // Where requests for `key` go: the host (as sent in Host) and the decoded path. Exposed for
  // tests of the addressing styles.
  http::Endpoint endpoint() const;
  std::string object_path(const std::string& key) const;

 private:
  http::Response call(http::Method method, const std::string& path, const sigv4::Params& query,
                      std::string body = {}, std::string_view content_type = {},
                      const std::vector<std::pair<std::string, std::string>>& extra = {});
  ObjectInfo put_multipart(const std::string& key, std::istream& in, std::string first_part,
                           std::string_view content_type);

  S3Config config_;
  sigv4::Credentials creds_;
  http::Endpoint base_;  // host:port of the endpoint URL
  std::unique_ptr<http::HttpClient> client_;
  std::atomic<uint64_t> multipart_uploads_{0};
  std::atomic<uint64_t> parts_uploaded_{0};
};

}  // namespace cp::objstore
