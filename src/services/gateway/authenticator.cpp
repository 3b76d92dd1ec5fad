#include "services/gateway/authenticator.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/digest.h"
#include "core/identity_codec.h"
#include "platform/cache.h"
#include "services/user/api_keys.h"
#include "services/user/tokens.h"

namespace cp::gateway {

namespace {
// Keyed by the key's SHA-256, as the user service stores it, so revoking drops the entry.
std::string cache_key_for(const std::string& api_key) {
  return user::api_key_cache_key(cp::sha256_hex(api_key));
}
}  // namespace

std::optional<http::Identity> Authenticator::authenticate(const http::RequestContext& ctx) const {
  if (auto auth = ctx.header("Authorization")) {
    constexpr std::string_view bearer = "Bearer ";
    if (auth->size() <= bearer.size() || auth->compare(0, bearer.size(), bearer) != 0) {
      throw http::unauthorized("Authorization must be 'Bearer <token>'", "token_malformed");
    }
    auto verified = user::verify_access_token(std::string_view(*auth).substr(bearer.size()),
                                              jwt_secret_, std::chrono::system_clock::now());
    if (!verified.ok()) {
      throw user::token_error_to_api_error(verified.error);
    }
    return verified.identity;
  }
  // Browsers cannot set headers on a WebSocket: the token may come as a query parameter there.
  if (http::is_upgrade_request(ctx.request)) {
    if (auto token = ctx.query("access_token")) {
      auto verified =
          user::verify_access_token(*token, jwt_secret_, std::chrono::system_clock::now());
      if (!verified.ok()) throw user::token_error_to_api_error(verified.error);
      return verified.identity;
    }
  }
  if (auto key = ctx.header("X-API-Key")) {
    auto identity = from_api_key(*key);
    if (!identity) throw http::unauthorized("invalid API key", "api_key_invalid");
    return identity;
  }
  return std::nullopt;
}

std::optional<http::Identity> Authenticator::from_api_key(const std::string& key) const {
  if (key.empty() || key.size() > 256) return std::nullopt;
  auto ck = cache_key_for(key);
  if (auto cached = cache_.get(ck)) {
    if (cached->empty()) return std::nullopt;  // a cached "no"
    boost::system::error_code ec;
    auto v = boost::json::parse(*cached, ec);
    if (!ec && v.is_object()) return http::identity_from_json(v.as_object());
  }
  auto identity = api_keys_(key);
  cache_.set(ck, identity ? boost::json::serialize(http::identity_to_json(*identity)) : "",
             api_key_ttl_);
  return identity;
}

}  // namespace cp::gateway
