#pragma once
// Carries a caller's Identity from the gateway to a service over HTTP. The header value is
// base64url(JSON) "." unix-seconds "." base64url(HMAC-SHA256(secret, json "." seconds)). Services
// accept it only with a valid signature less than `max_age` old; clients never know the secret,
// so they cannot forge an identity, and the gateway strips any such header a client sends.
#include <chrono>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/digest.h"
#include "core/identity.h"

namespace cp::http {

inline constexpr const char* kIdentityHeader = "X-Cloudphone-Identity";

class IdentityCodec {
 public:
  explicit IdentityCodec(std::string secret,
                         std::chrono::seconds max_age = std::chrono::seconds(120))
      : secret_(std::move(secret)), max_age_(max_age) {}
  std::string encode(const Identity& identity, int64_t now_seconds) const;
  std::optional<Identity> decode(std::string_view header, int64_t now_seconds) const;

 private:
  std::string secret_;
  std::chrono::seconds max_age_;
};

std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);
using cp::hmac_sha256;  // raw 32 bytes (core/digest.h)
bool constant_time_equal(std::string_view a, std::string_view b);

boost::json::object identity_to_json(const Identity& identity);
Identity identity_from_json(const boost::json::object& o);

}  // namespace cp::http
