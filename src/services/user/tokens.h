#pragma once
// Access and refresh tokens. Pure: no database, no clock of its own (callers pass `now`), so the
// gateway can verify access tokens without talking to the user service and tests can move time.
//
// Access token: JWT HS256 (libjwt) with claims
//   iss "cloudphone", sub user id, roles, perms (flattened permissions), sid (refresh-token
//   family = session id), iat, exp.
// Refresh token: opaque random string; only its SHA-256 is stored. Each use rotates it (the old
// one is marked used and a new one issued in the same family); presenting a used one again is
// treated as theft and revokes the whole family.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "core/problem.h"

namespace cp::user {

using TimePoint = std::chrono::system_clock::time_point;
inline int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline int64_t unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_ms(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

inline constexpr std::string_view kTokenIssuer = "cloudphone";

struct AccessClaims {
  std::string user_id;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  std::string session_id;  // refresh-token family id
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;
};

enum class TokenError {
  none,
  malformed,          // not three base64url parts of JSON, or required claims missing
  invalid_signature,  // signed with another key, altered, or not HS256
  expired,
  wrong_issuer,
};
std::string_view to_string(TokenError e);

struct VerifiedAccessToken {
  TokenError error = TokenError::none;
  AccessClaims claims;      // filled when error == none
  http::Identity identity;  // the same, as the Identity services receive
  bool ok() const { return error == TokenError::none; }
};

// Signs the claims (HS256). Throws std::invalid_argument for an empty secret.
std::string sign_access_token(const AccessClaims& claims, std::string_view secret);

// What the gateway calls for "Authorization: Bearer <token>". Checks structure, algorithm,
// signature, issuer and expiry (a token is valid while now < exp, with no leeway: the issuer and
// verifier share a clock source closely enough and tokens are short-lived).
VerifiedAccessToken verify_access_token(std::string_view token, std::string_view secret,
                                        TimePoint now);

// 401 problem for a failed verification; codes token_expired / token_invalid / token_malformed.
http::ApiError token_error_to_api_error(TokenError e);

struct TokenSettings {
  std::string jwt_secret;
  std::chrono::seconds access_ttl{15 * 60};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
};

// A freshly generated refresh token: the secret goes to the client, the hash to the store.
struct NewRefreshToken {
  std::string token;
  std::string token_hash;
  int64_t expires_at_ms = 0;
};
NewRefreshToken generate_refresh_token(const TokenSettings& settings, TimePoint now);
std::string hash_refresh_token(std::string_view token);

// What the store knows about a presented refresh token (times in unix milliseconds).
struct RefreshTokenState {
  std::string id;
  std::string family_id;
  std::string user_id;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> used_at_ms;     // set when it was rotated
  std::optional<int64_t> revoked_at_ms;  // set when its family was revoked (logout, reuse, disable)
};

enum class RefreshDecision {
  rotate,   // valid: mark used, issue the next token of the family
  unknown,  // no such token
  expired,
  revoked,         // family already revoked
  reuse_detected,  // already rotated once: revoke the family
  user_inactive,   // user disabled or deleted since
};
RefreshDecision decide_refresh(const std::optional<RefreshTokenState>& state, bool user_active,
                               TimePoint now);

}  // namespace cp::user
