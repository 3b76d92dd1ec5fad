#pragma once
// Self-service account operations: register, login, refresh, logout, password change, TOTP.
// Each runs in one transaction (state, audit and events commit together) and throws ApiError
// for the client's mistakes. Facts that must survive a refused request (a failed login counts
// towards the lockout) are committed first, then the error is thrown.
#include <optional>
#include <string>

#include "core/identity.h"
#include "services/user/model.h"
#include "services/user/user_context.h"

namespace cp::user {

struct RegisterInput {
  std::string email;
  std::string username;
  std::string password;
  std::string display_name;
};
User register_user(UserContext& ctx, const RegisterInput& in, const RequestMeta& meta);
// Shared by self-registration and admin creation: validates username and password policy
// (400 naming the field) and returns the password hash (slow: outside any transaction).
std::string check_new_account(UserContext& ctx, const RegisterInput& in);
// Inserts the account without roles; 409 naming the field when email or username is taken.
User insert_new_account(db::Transaction& tx, const RegisterInput& in,
                        const std::string& password_hash, int64_t now);

// Username: 3–32 of [A-Za-z0-9_.-], starting with a letter (ASCII so that case-insensitive
// uniqueness means the same on SQLite and PostgreSQL).
bool is_valid_username(std::string_view username);
std::string normalize_email(std::string_view email);

struct LoginInput {
  std::string login;  // username or email
  std::string password;
  std::optional<std::string> totp_code;
};

struct SessionTokens {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_in = 0;  // seconds of the access token
  User user;
};
SessionTokens login(UserContext& ctx, const LoginInput& in, const RequestMeta& meta);
SessionTokens refresh_session(UserContext& ctx, const std::string& refresh_token,
                              const RequestMeta& meta);
// Revokes the caller's session (the token family in the JWT "sid"), or every session.
void logout(UserContext& ctx, const http::Identity& caller, bool all_sessions,
            const RequestMeta& meta);

void change_password(UserContext& ctx, const http::Identity& caller,
                     const std::string& old_password, const std::string& new_password,
                     const RequestMeta& meta);

struct TotpSetup {
  std::string secret;
  std::string otpauth_uri;
};
// Stores a new (not yet enabled) secret; 409 when TOTP is already enabled.
TotpSetup totp_setup(UserContext& ctx, const http::Identity& caller);
void totp_enable(UserContext& ctx, const http::Identity& caller, const std::string& code,
                 const RequestMeta& meta);
// Needs a current code (or the password), so a stolen access token cannot remove the factor.
void totp_disable(UserContext& ctx, const http::Identity& caller, const std::string& code,
                  const std::string& password, const RequestMeta& meta);

// The live (not deleted) user or 404.
User require_user(db::Executor& ex, const std::string& user_id);

}  // namespace cp::user
