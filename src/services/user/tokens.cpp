#include "services/user/tokens.h"

#include <jwt.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "services/user/crypto.h"

namespace cp::user {
namespace {

namespace json = boost::json;

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

json::array to_json_array(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) {
    a.emplace_back(s);
  }
  return a;
}

std::optional<json::object> decode_json_part(std::string_view part) {
  auto raw = base64url_decode(part);
  if (!raw) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::optional<std::string> string_claim(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<int64_t> int_claim(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  auto n = v->to_number<int64_t>(ec);
  if (ec) {
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> strings_claim(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

// Reads our claims from an already signature-checked payload.
std::optional<AccessClaims> read_claims(const json::object& payload) {
  auto sub = string_claim(payload, "sub");
  auto sid = string_claim(payload, "sid");
  auto iat = int_claim(payload, "iat");
  auto exp = int_claim(payload, "exp");
  auto roles = strings_claim(payload, "roles");
  auto perms = strings_claim(payload, "perms");
  if (!sub || sub->empty() || !sid || !iat || !exp || !roles || !perms) {
    return std::nullopt;
  }
  return AccessClaims{*sub, std::move(*roles), std::move(*perms), *sid, *iat, *exp};
}

bool signature_valid(std::string_view token, std::string_view secret) {
  jwt_t* decoded = nullptr;
  std::string token_str(token);
  int rc =
      jwt_decode(&decoded, token_str.c_str(), reinterpret_cast<const unsigned char*>(secret.data()),
                 static_cast<int>(secret.size()));
  JwtPtr owner(decoded);
  return rc == 0 && decoded != nullptr && jwt_get_alg(decoded) == JWT_ALG_HS256;
}

}  // namespace

std::string_view to_string(TokenError e) {
  switch (e) {
    case TokenError::none:
      return "none";
    case TokenError::malformed:
      return "malformed";
    case TokenError::invalid_signature:
      return "invalid_signature";
    case TokenError::expired:
      return "expired";
    case TokenError::wrong_issuer:
      return "wrong_issuer";
  }
  return "unknown";
}

std::string sign_access_token(const AccessClaims& claims, std::string_view secret) {
  if (secret.empty()) {
    throw std::invalid_argument("auth.jwt_secret is empty");
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) {
    throw std::runtime_error("jwt_new failed");
  }
  JwtPtr jwt(raw);
  json::object payload{
      {"iss", kTokenIssuer},
      {"sub", claims.user_id},
      {"roles", to_json_array(claims.roles)},
      {"perms", to_json_array(claims.permissions)},
      {"sid", claims.session_id},
      {"iat", claims.issued_at},
      {"exp", claims.expires_at},
  };
  std::string payload_json = json::serialize(payload);
  if (jwt_add_grants_json(jwt.get(), payload_json.c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                  static_cast<int>(secret.size())) != 0) {
    throw std::runtime_error("building the JWT failed");
  }
  std::unique_ptr<char, decltype(&std::free)> encoded(jwt_encode_str(jwt.get()), &std::free);
  if (!encoded) {
    throw std::runtime_error("jwt_encode_str failed");
  }
  return std::string(encoded.get());
}

VerifiedAccessToken verify_access_token(std::string_view token, std::string_view secret,
                                        TimePoint now) {
  VerifiedAccessToken result;
  auto first_dot = token.find('.');
  auto second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    result.error = TokenError::malformed;
    return result;
  }
  auto header = decode_json_part(token.substr(0, first_dot));
  auto payload = decode_json_part(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!header || !payload) {
    result.error = TokenError::malformed;
    return result;
  }
  // Only HS256: an "alg":"none" or RS256 header must never be accepted with our shared secret.
  auto alg = string_claim(*header, "alg");
  if (!alg || *alg != "HS256" || secret.empty() || !signature_valid(token, secret)) {
    result.error = TokenError::invalid_signature;
    return result;
  }
  if (string_claim(*payload, "iss") != std::optional<std::string>(kTokenIssuer)) {
    result.error = TokenError::wrong_issuer;
    return result;
  }
  auto claims = read_claims(*payload);
  if (!claims) {
    result.error = TokenError::malformed;
    return result;
  }
  if (unix_seconds(now) >= claims->expires_at) {
    result.error = TokenError::expired;
    return result;
  }
  result.identity.user_id = claims->user_id;
  result.identity.roles = claims->roles;
  result.identity.permissions = claims->permissions;
  result.identity.auth_method = "jwt";
  result.identity.credential_id = claims->session_id;
  result.claims = std::move(*claims);
  return result;
}

http::ApiError token_error_to_api_error(TokenError e) {
  switch (e) {
    case TokenError::expired:
      return http::unauthorized("The access token has expired; refresh it.", "token_expired");
    case TokenError::malformed:
      return http::unauthorized("The access token is not a well-formed JWT.", "token_malformed");
    default:
      return http::unauthorized("The access token is not valid.", "token_invalid");
  }
}

NewRefreshToken generate_refresh_token(const TokenSettings& settings, TimePoint now) {
  NewRefreshToken t;
  t.token = "cpr_" + random_token(32);
  t.token_hash = hash_refresh_token(t.token);
  t.expires_at_ms = unix_ms(now) + settings.refresh_ttl.count() * 1000;
  return t;
}

std::string hash_refresh_token(std::string_view token) {
  return sha256_hex(token);
}

RefreshDecision decide_refresh(const std::optional<RefreshTokenState>& state, bool user_active,
                               TimePoint now) {
  if (!state) {
    return RefreshDecision::unknown;
  }
  if (state->revoked_at_ms) {
    return RefreshDecision::revoked;
  }
  // Reuse is checked before expiry: a stolen, rotated token must still burn the family.
  if (state->used_at_ms) {
    return RefreshDecision::reuse_detected;
  }
  if (unix_ms(now) >= state->expires_at_ms) {
    return RefreshDecision::expired;
  }
  if (!user_active) {
    return RefreshDecision::user_inactive;
  }
  return RefreshDecision::rotate;
}

}  // namespace cp::user
