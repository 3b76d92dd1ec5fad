#pragma once
// API keys: "cpk_<prefix>_<secret>". The prefix (public, unique) finds the row; only SHA-256 of
// the whole key is stored, so a database leak reveals no usable key. The key is shown once.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "platform/db.h"
#include "services/user/model.h"
#include "services/user/tokens.h"
#include "services/user/user_context.h"

namespace cp::user {

struct ParsedApiKey {
  std::string prefix;
  std::string secret;
};
// nullopt unless the text has the exact cpk_<12 hex>_<43 base64url> shape.
std::optional<ParsedApiKey> parse_api_key(std::string_view key);

struct CreatedApiKey {
  ApiKeyRecord record;
  std::string key;  // the only time the full key exists outside the client
};
// Scopes must be held by the caller (403 otherwise); empty scopes = all of the user's
// permissions at the time of each use.
CreatedApiKey create_api_key(UserContext& ctx, const http::Identity& caller,
                             const std::string& name, const std::vector<std::string>& scopes,
                             std::optional<int64_t> expires_at_ms, const RequestMeta& meta);
std::vector<ApiKeyRecord> list_api_keys(UserContext& ctx, const http::Identity& caller);
// Revokes one of the caller's keys, or anyone's with api_key:admin (the audit entry names the
// caller as actor and the owner in its details). 404 for an unknown, already revoked or (without
// api_key:admin) someone else's key. The gateway's cached answer for the key is dropped, so the
// key stops working at once where the gateway shares this process's cache (or Redis).
void revoke_api_key(UserContext& ctx, const http::Identity& caller, const std::string& key_id,
                    const RequestMeta& meta);

// Reading and revoking every user's keys (the admin console); the admin role has api_key:*.
inline constexpr std::string_view kApiKeyAdminPermission = "api_key:admin";

// Where the gateway caches the lookup of a key, from the key's SHA-256 (hex): what the user
// service stores, so it can drop the entry on revocation without knowing the key.
std::string api_key_cache_key(std::string_view key_sha256_hex);

// For the gateway ("Authorization: ApiKey cpk_..." or "X-API-Key"): the key's owner with
// current roles and permissions, scopes from the key, auth_method "api_key", credential_id =
// key id. Updates last_used_at. Throws ApiError 401 `invalid_api_key` (unknown, revoked,
// expired, wrong secret, owner not active).
http::Identity authenticate_api_key(db::Database& db, std::string_view key, TimePoint now);

}  // namespace cp::user
