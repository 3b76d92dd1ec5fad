// refresh_tokens and api_keys tables.
#include <cctype>
#include <sstream>

#include "services/user/store.h"

namespace cp::user::store {
namespace {

const std::string kInsertRefreshToken =
    "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
const std::string kSelectRefreshToken =
    "SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens"
    " WHERE token_hash = $1";
// The used_at IS NULL guard makes concurrent rotations of one token race-free: one wins.
const std::string kMarkRefreshTokenUsed =
    "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS "
    "NULL";
const std::string kRevokeFamily =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
const std::string kRevokeUserSessions =
    "UPDATE refresh_tokens SET revoked_at = $2"
    " WHERE user_id = $1 AND revoked_at IS NULL AND family_id <> $3";
const std::string kFamilyActive =
    "SELECT id FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL AND used_at IS NULL"
    " AND expires_at > $2";

const std::string kInsertApiKey =
    "INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, scopes, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kApiKeyColumns =
    "id, user_id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at";
const std::string kSelectApiKeyByPrefix =
    "SELECT " + std::string(kApiKeyColumns) + ", secret_hash FROM api_keys WHERE prefix = $1";
const std::string kListApiKeys =
    "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys WHERE user_id = $1 ORDER BY id";
const std::string kRevokeApiKey =
    "UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
const std::string kTouchApiKey = "UPDATE api_keys SET last_used_at = $2 WHERE id = $1";
const std::string kSelectApiKeyById =
    "SELECT " + std::string(kApiKeyColumns) + ", secret_hash FROM api_keys WHERE id = $1";
const std::string kRevokeAnyApiKey =
    "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
// Every user's keys with the owner's name, by id (the cursor). $1 = exact owner id or '',
// $2 = LIKE pattern on the owner's username or email or '', $3 = 'active' | 'revoked' | ''.
const std::string kListAllApiKeys =
    "SELECT k.id, k.user_id, k.name, k.prefix, k.scopes, k.created_at, k.expires_at,"
    " k.last_used_at, k.revoked_at, u.username AS owner_username"
    " FROM api_keys k JOIN users u ON u.id = k.user_id"
    " WHERE ($1 = '' OR k.user_id = $1)"
    " AND ($2 = '' OR lower(u.username) LIKE $2 ESCAPE '\\' OR lower(u.email) LIKE $2 ESCAPE '\\')"
    " AND ($3 = '' OR ($3 = 'revoked' AND k.revoked_at IS NOT NULL)"
    "      OR ($3 = 'active' AND k.revoked_at IS NULL))"
    " AND k.id > $4 ORDER BY k.id LIMIT $5";

std::string like_lower(const std::string& search) {
  if (search.empty()) return "";
  std::string p = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
    p.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return p + "%";
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    out += out.empty() ? s : " " + s;
  }
  return out;
}

std::vector<std::string> split_scopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;) {
    out.push_back(s);
  }
  return out;
}

ApiKeyRecord api_key_from_row(const db::Row& r) {
  return ApiKeyRecord{r.text("id"),
                      r.text("user_id"),
                      r.text("name"),
                      r.text("prefix"),
                      split_scopes(r.text("scopes")),
                      r.int64("created_at"),
                      r.opt_int64("expires_at"),
                      r.opt_int64("last_used_at"),
                      r.opt_int64("revoked_at")};
}

}  // namespace

void insert_refresh_token(Executor& ex, const std::string& id, const std::string& family_id,
                          const std::string& user_id, const NewRefreshToken& token, int64_t now) {
  ex.exec(kInsertRefreshToken,
          {id, family_id, user_id, token.token_hash, now, token.expires_at_ms});
}

std::optional<RefreshTokenState> find_refresh_token(Executor& ex, const std::string& token_hash) {
  auto rows = ex.exec(kSelectRefreshToken, {token_hash});
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& r = rows[0];
  return RefreshTokenState{r.text("id"),           r.text("family_id"),
                           r.text("user_id"),      r.int64("expires_at"),
                           r.opt_int64("used_at"), r.opt_int64("revoked_at")};
}

bool mark_refresh_token_used(Executor& ex, const std::string& id, int64_t now) {
  return ex.exec(kMarkRefreshTokenUsed, {id, now}).affected() == 1;
}

void revoke_family(Executor& ex, const std::string& family_id, int64_t now) {
  ex.exec(kRevokeFamily, {family_id, now});
}

void revoke_user_sessions(Executor& ex, const std::string& user_id, int64_t now,
                          const std::string& keep_family_id) {
  ex.exec(kRevokeUserSessions, {user_id, now, keep_family_id});
}

bool family_active(Executor& ex, const std::string& family_id, int64_t now) {
  return !ex.exec(kFamilyActive, {family_id, now}).empty();
}

void insert_api_key(Executor& ex, const ApiKeyRecord& k, const std::string& secret_hash) {
  ex.exec(kInsertApiKey,
          {k.id, k.user_id, k.name, k.prefix, secret_hash, join_scopes(k.scopes), k.created_at,
           k.expires_at ? db::Param(*k.expires_at) : db::Param(nullptr)});
}

std::optional<std::pair<ApiKeyRecord, std::string>> find_api_key_by_prefix(
    Executor& ex, const std::string& prefix) {
  auto rows = ex.exec(kSelectApiKeyByPrefix, {prefix});
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::make_pair(api_key_from_row(rows[0]), rows[0].text("secret_hash"));
}

std::vector<ApiKeyRecord> list_api_keys(Executor& ex, const std::string& user_id) {
  std::vector<ApiKeyRecord> out;
  for (const auto& r : ex.exec(kListApiKeys, {user_id})) {
    out.push_back(api_key_from_row(r));
  }
  return out;
}

bool revoke_api_key(Executor& ex, const std::string& id, const std::string& user_id, int64_t now) {
  return ex.exec(kRevokeApiKey, {id, user_id, now}).affected() == 1;
}

void touch_api_key(Executor& ex, const std::string& id, int64_t now) {
  ex.exec(kTouchApiKey, {id, now});
}

std::optional<std::pair<ApiKeyRecord, std::string>> find_api_key(Executor& ex,
                                                                 const std::string& id) {
  auto rows = ex.exec(kSelectApiKeyById, {id});
  if (rows.empty()) return std::nullopt;
  return std::make_pair(api_key_from_row(rows[0]), rows[0].text("secret_hash"));
}

bool revoke_any_api_key(Executor& ex, const std::string& id, int64_t now) {
  return ex.exec(kRevokeAnyApiKey, {id, now}).affected() == 1;
}

Page<OwnedApiKey> list_all_api_keys(Executor& ex, const ApiKeyFilter& f) {
  auto rows = ex.exec(kListAllApiKeys,
                      {f.owner_id, like_lower(f.owner_search), f.state, f.after_id, f.limit + 1});
  Page<OwnedApiKey> page;
  for (const auto& r : rows) {
    if (static_cast<int64_t>(page.items.size()) == f.limit) {
      page.next_cursor = page.items.back().key.id;
      break;
    }
    page.items.push_back(OwnedApiKey{api_key_from_row(r), r.text("owner_username")});
  }
  return page;
}

}  // namespace cp::user::store
