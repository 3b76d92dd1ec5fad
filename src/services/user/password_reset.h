#pragma once
// Password reset by email. A request creates a single-use token (256 random bits; only its
// SHA-256 is stored) that expires after user.password_reset.ttl_seconds and supersedes the
// user's older tokens; the mail with the link is sent after the commit, off the request thread
// (reset_mail.h). The answer never tells whether an account exists. Redeeming the token sets
// the password (same policy as register/change), ends every session, clears a login lockout,
// and records the audit entry and the user.password_reset event in the same transaction.
#include <optional>
#include <string>

#include "services/user/user_context.h"

namespace cp::user {

// What the mail needs; produced by a request for an active account.
struct ResetMail {
  std::string user_id;
  std::string to;  // the account's email
  std::string username;
  std::string link;  // link_base + token
  int64_t valid_minutes = 0;
  std::optional<std::string> locale;  // accounts carry none yet: the mail is bilingual then
};

// Never throws for an unknown, disabled or deleted account, nor for a throttled request: those
// return nullopt (nothing to send). The email must already be schema-validated.
std::optional<ResetMail> request_password_reset(UserContext& ctx, const std::string& email,
                                                const RequestMeta& meta);

// 400 field "token" with code reset_token_invalid / reset_token_expired / reset_token_used;
// 400 field "new_password" with code weak_password.
void reset_password_with_token(UserContext& ctx, const std::string& token,
                               const std::string& new_password, const RequestMeta& meta);

// The stored form of a token (exposed for tests).
std::string hash_reset_token(const std::string& token);

}  // namespace cp::user
