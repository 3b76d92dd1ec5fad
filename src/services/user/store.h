#pragma once
// All SQL of the user service. Functions take an Executor so they run inside the caller's
// transaction (or directly on the Database for single reads). Queries are named constants in
// the .cpp files next to the functions that use them; SQL is portable (platform/db.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/db.h"
#include "services/user/model.h"
#include "services/user/tokens.h"

namespace cp::user::store {

using db::Executor;

// ---- users (store_users.cpp)
void insert_user(Executor& ex, const User& user, const std::string& password_hash);
std::optional<User> find_user(Executor& ex, const std::string& id);
std::optional<User> find_user_by_username(Executor& ex, const std::string& username);
// Username (case-insensitive) or email.
std::optional<std::pair<User, UserSecrets>> find_login(Executor& ex, const std::string& login);
std::optional<UserSecrets> find_secrets(Executor& ex, const std::string& user_id);
bool email_taken(Executor& ex, const std::string& email, const std::string& except_user_id = "");
bool username_taken(Executor& ex, const std::string& username);
void update_profile(Executor& ex, const std::string& id, const std::string& display_name,
                    const std::string& email, int64_t now);
void update_password(Executor& ex, const std::string& id, const std::string& hash, int64_t now);
void set_status(Executor& ex, const std::string& id, std::string_view status, int64_t now);
void save_login_failures(Executor& ex, const std::string& id, const LoginFailureState& state);
void save_totp(Executor& ex, const std::string& id, const std::optional<std::string>& secret,
               bool enabled, std::optional<int64_t> last_step, int64_t now);

struct UserFilter {
  std::string search;  // substring of username, email or display name
  std::string status;  // empty = active and disabled (deleted only when asked for)
  int64_t limit = 50;
  std::string after_id;  // cursor
};
Page<User> list_users(Executor& ex, const UserFilter& filter);

// ---- roles and permissions (store_roles.cpp)
std::vector<Role> list_roles(Executor& ex);
std::optional<Role> find_role(Executor& ex, const std::string& id_or_name);
void insert_role(Executor& ex, const Role& role);
void update_role(Executor& ex, const Role& role);  // description + permissions
void delete_role(Executor& ex, const std::string& role_id);
std::vector<PermissionInfo> list_permissions(Executor& ex);
std::vector<std::string> user_role_names(Executor& ex, const std::string& user_id);
std::vector<std::string> user_permissions(Executor& ex, const std::string& user_id);
bool assign_role(Executor& ex, const std::string& user_id, const std::string& role_id, int64_t now);
bool unassign_role(Executor& ex, const std::string& user_id, const std::string& role_id);
int64_t count_users_with_role(Executor& ex, const std::string& role_id);

// ---- refresh tokens (store_sessions.cpp)
void insert_refresh_token(Executor& ex, const std::string& id, const std::string& family_id,
                          const std::string& user_id, const NewRefreshToken& token, int64_t now);
std::optional<RefreshTokenState> find_refresh_token(Executor& ex, const std::string& token_hash);
// False when another request used it first (only one rotation can win).
bool mark_refresh_token_used(Executor& ex, const std::string& id, int64_t now);
void revoke_family(Executor& ex, const std::string& family_id, int64_t now);
// Every live session of the user, except `keep_family_id` when given.
void revoke_user_sessions(Executor& ex, const std::string& user_id, int64_t now,
                          const std::string& keep_family_id = "");
bool family_active(Executor& ex, const std::string& family_id, int64_t now);

// ---- API keys (store_sessions.cpp)
void insert_api_key(Executor& ex, const ApiKeyRecord& key, const std::string& secret_hash);
std::optional<std::pair<ApiKeyRecord, std::string>> find_api_key_by_prefix(
    Executor& ex, const std::string& prefix);
std::vector<ApiKeyRecord> list_api_keys(Executor& ex, const std::string& user_id);
bool revoke_api_key(Executor& ex, const std::string& id, const std::string& user_id, int64_t now);
void touch_api_key(Executor& ex, const std::string& id, int64_t now);
// The admin view: any key, whoever owns it (with its secret hash, which never leaves the service).
std::optional<std::pair<ApiKeyRecord, std::string>> find_api_key(Executor& ex,
                                                                 const std::string& id);
bool revoke_any_api_key(Executor& ex, const std::string& id, int64_t now);
struct ApiKeyFilter {
  std::string owner_id;      // exact owner id, or empty
  std::string owner_search;  // substring of the owner's username or email, or empty
  std::string state;         // "active", "revoked" or empty (both)
  int64_t limit = 50;
  std::string after_id;  // cursor
};
struct OwnedApiKey {
  ApiKeyRecord key;
  std::string owner_username;
};
Page<OwnedApiKey> list_all_api_keys(Executor& ex, const ApiKeyFilter& filter);

// ---- password reset tokens (store_password_reset.cpp)
std::optional<std::string> find_user_id_by_email(Executor& ex, const std::string& email);
void insert_reset_token(Executor& ex, const ResetTokenRecord& token, const std::string& token_hash,
                        const std::string& requested_ip);
std::optional<ResetTokenRecord> find_reset_token(Executor& ex, const std::string& token_hash);
// Supersedes every unused token of the user (a newer request, or a completed reset).
void invalidate_reset_tokens(Executor& ex, const std::string& user_id, int64_t now);
// Marks the token used; false when it was already used or superseded (one reset wins).
bool use_reset_token(Executor& ex, const std::string& id, int64_t now);
// created_at of the user's newest token (requests are throttled per account).
std::optional<int64_t> latest_reset_request(Executor& ex, const std::string& user_id);

// ---- audit and quotas (store_audit.cpp)
void insert_audit(Executor& ex, const AuditEntry& entry);
struct AuditFilter {
  std::string actor_id;
  std::string action;
  std::string target_id;
  int64_t since = 0;
  int64_t until = INT64_MAX;
  int64_t limit = 50;
  std::string before_id;  // cursor: newest first
};
Page<AuditEntry> list_audit(Executor& ex, const AuditFilter& filter);
std::optional<Quota> find_quota(Executor& ex, const std::string& user_id);
void upsert_quota(Executor& ex, const Quota& quota, int64_t now);

}  // namespace cp::user::store
