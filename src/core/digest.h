#pragma once
// Incremental SHA-256 and HMAC-SHA256 over OpenSSL, hex helpers: one implementation for object
// keys, S3 signatures, spooled uploads, identity headers and token hashes.
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace cp {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string finish_hex();  // the context must not be used afterwards

 private:
  evp_md_ctx_st* ctx_;
};

std::string to_hex(std::string_view bytes);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes

}  // namespace cp
