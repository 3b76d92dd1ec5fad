#pragma once
// Establishes the caller once, at the gateway: "Authorization: Bearer <JWT>" is verified
// locally (HS256, shared secret, no call to the user service); "X-API-Key" is looked up through
// the user service (in-process or over HTTP) and the answer cached briefly. A request with
// credentials that fail is refused (401) rather than treated as anonymous.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/http_types.h"

namespace cp::cache {
class Cache;
}

namespace cp::gateway {

// Looks up an API key; nullopt when unknown, revoked or expired.
using ApiKeyLookup = std::function<std::optional<http::Identity>(const std::string& key)>;

class Authenticator {
 public:
  Authenticator(std::string jwt_secret, ApiKeyLookup api_keys, cache::Cache& cache,
                std::chrono::milliseconds api_key_cache_ttl = std::chrono::seconds(30))
      : jwt_secret_(std::move(jwt_secret)),
        api_keys_(std::move(api_keys)),
        cache_(cache),
        api_key_ttl_(api_key_cache_ttl) {}

  // nullopt = anonymous (no credentials). Throws ApiError 401 for bad credentials.
  std::optional<http::Identity> authenticate(const http::RequestContext& ctx) const;

 private:
  std::optional<http::Identity> from_api_key(const std::string& key) const;
  std::string jwt_secret_;
  ApiKeyLookup api_keys_;
  cache::Cache& cache_;
  std::chrono::milliseconds api_key_ttl_;
};

}  // namespace cp::gateway
