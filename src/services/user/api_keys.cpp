#include "services/user/api_keys.h"

#include <algorithm>
#include <cctype>

#include "core/ids.h"
#include "core/problem.h"
#include "platform/cache.h"
#include "services/user/audit.h"
#include "services/user/crypto.h"
#include "services/user/rbac.h"
#include "services/user/store.h"

namespace cp::user {
namespace {

constexpr size_t kPrefixLength = 12;
constexpr size_t kSecretLength = 43;  // 32 bytes in base64url without padding

bool all_of(std::string_view s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return pred(c) != 0; });
}

int is_base64url(int c) {
  return std::isalnum(c) || c == '-' || c == '_';
}
int is_lower_hex(int c) {
  return std::isdigit(c) || (c >= 'a' && c <= 'f');
}

}  // namespace

std::optional<ParsedApiKey> parse_api_key(std::string_view key) {
  constexpr std::string_view kTag = "cpk_";
  if (key.size() != kTag.size() + kPrefixLength + 1 + kSecretLength ||
      key.substr(0, kTag.size()) != kTag || key[kTag.size() + kPrefixLength] != '_') {
    return std::nullopt;
  }
  auto prefix = key.substr(kTag.size(), kPrefixLength);
  auto secret = key.substr(kTag.size() + kPrefixLength + 1);
  if (!all_of(prefix, is_lower_hex) || !all_of(secret, is_base64url)) {
    return std::nullopt;
  }
  return ParsedApiKey{std::string(prefix), std::string(secret)};
}

CreatedApiKey create_api_key(UserContext& ctx, const http::Identity& caller,
                             const std::string& name, const std::vector<std::string>& scopes,
                             std::optional<int64_t> expires_at_ms, const RequestMeta& meta) {
  for (const auto& s : scopes) {
    if (!is_valid_permission(s)) {
      throw http::bad_request("scopes", "'" + s + "' is not resource:action.",
                              "invalid_permission");
    }
  }
  if (!may_grant(caller, scopes)) {
    throw http::forbidden("API key scopes must be among your own permissions.",
                          "escalation_denied");
  }
  const int64_t now = ctx.now_ms();
  if (expires_at_ms && *expires_at_ms <= now) {
    throw http::bad_request("expires_at", "must be in the future");
  }
  CreatedApiKey created;
  std::string prefix = cp::random_hex(kPrefixLength / 2);
  created.key = "cpk_" + prefix + "_" + random_token(32);
  created.record = ApiKeyRecord{cp::new_id("key"), caller.user_id, name,        prefix, scopes, now,
                                expires_at_ms,     std::nullopt,   std::nullopt};
  ctx.db.transaction([&](db::Transaction& tx) {
    store::insert_api_key(tx, created.record, sha256_hex(created.key));
    record_audit(tx,
                 {"api_key.created",
                  caller.user_id,
                  "api_key",
                  created.record.id,
                  "success",
                  meta.client_ip,
                  {{"name", name}, {"prefix", prefix}}},
                 now);
  });
  return created;
}

std::vector<ApiKeyRecord> list_api_keys(UserContext& ctx, const http::Identity& caller) {
  return store::list_api_keys(ctx.db, caller.user_id);
}

void revoke_api_key(UserContext& ctx, const http::Identity& caller, const std::string& key_id,
                    const RequestMeta& meta) {
  const bool admin = caller.has_permission(kApiKeyAdminPermission);
  std::string secret_hash;
  ctx.db.transaction([&](db::Transaction& tx) {
    auto found = store::find_api_key(tx, key_id);
    // Without api_key:admin someone else's key is indistinguishable from an unknown one.
    if (!found || (found->first.user_id != caller.user_id && !admin) ||
        !store::revoke_any_api_key(tx, key_id, ctx.now_ms())) {
      throw http::not_found("No such active API key.", "api_key_not_found");
    }
    secret_hash = found->second;
    boost::json::object details{{"prefix", found->first.prefix}};
    if (found->first.user_id != caller.user_id) details["owner_id"] = found->first.user_id;
    record_audit(tx,
                 {"api_key.revoked", caller.user_id, "api_key", key_id, "success", meta.client_ip,
                  std::move(details)},
                 ctx.now_ms());
  });
  if (ctx.cache != nullptr) ctx.cache->del(api_key_cache_key(secret_hash));
}

std::string api_key_cache_key(std::string_view key_sha256_hex) {
  return "gw:apikey:" + std::string(key_sha256_hex);
}

http::Identity authenticate_api_key(db::Database& db, std::string_view key, TimePoint now) {
  auto invalid = [] { return http::unauthorized("The API key is not valid.", "invalid_api_key"); };
  auto parsed = parse_api_key(key);
  if (!parsed) {
    throw invalid();
  }
  auto found = store::find_api_key_by_prefix(db, parsed->prefix);
  if (!found || !constant_time_equal(sha256_hex(key), found->second)) {
    throw invalid();
  }
  const ApiKeyRecord& rec = found->first;
  const int64_t now_ms = unix_ms(now);
  if (rec.revoked_at || (rec.expires_at && *rec.expires_at <= now_ms)) {
    throw invalid();
  }
  auto owner = store::find_user(db, rec.user_id);
  if (!owner || owner->status != kStatusActive) {
    throw invalid();
  }
  store::touch_api_key(db, rec.id, now_ms);
  http::Identity identity;
  identity.user_id = rec.user_id;
  identity.roles = owner->roles;
  identity.permissions = store::user_permissions(db, rec.user_id);
  identity.auth_method = "api_key";
  identity.credential_id = rec.id;
  identity.scopes = rec.scopes;
  return identity;
}

}  // namespace cp::user
