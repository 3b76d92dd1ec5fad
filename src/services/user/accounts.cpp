#include "services/user/accounts.h"

#include <algorithm>
#include <cctype>

#include "core/ids.h"
#include "core/problem.h"
#include "services/user/audit.h"
#include "services/user/events.h"
#include "services/user/rbac.h"
#include "services/user/sessions.h"
#include "services/user/store.h"
#include "services/user/totp.h"

namespace cp::user {
namespace {

using http::ApiError;
using http::Status;

enum class LoginOutcome { ok, bad_credentials, locked, totp_required, bad_totp, disabled };

struct LoginAttempt {
  LoginOutcome outcome = LoginOutcome::bad_credentials;
  SessionTokens tokens;
  int64_t retry_after_seconds = 0;
};

ApiError account_locked(int64_t retry_after_seconds) {
  ApiError e(Status::locked, "account_locked",
             "Too many failed logins; the account is locked for a while.");
  e.extra()["retry_after"] = retry_after_seconds;
  return e;
}

// Applies a failed attempt to the freshly read counter, inside the transaction.
LoginAttempt fail_login(db::Transaction& tx, UserContext& ctx, const User& user, LoginOutcome why,
                        const RequestMeta& meta) {
  auto now = ctx.clock();
  auto fresh = store::find_secrets(tx, user.id);
  auto outcome = record_failed_login(fresh->failures, ctx.settings.lockout, now);
  store::save_login_failures(tx, user.id, outcome.state);
  std::string reason = why == LoginOutcome::bad_totp ? "bad_totp" : "bad_password";
  record_audit(tx,
               {"login.failed",
                user.id,
                "user",
                user.id,
                "failure",
                meta.client_ip,
                {{"reason", reason}, {"failed_count", outcome.state.failed_count}}},
               unix_ms(now));
  if (outcome.locked_now) {
    record_audit(tx,
                 {"account.locked",
                  user.id,
                  "user",
                  user.id,
                  "success",
                  meta.client_ip,
                  {{"until", outcome.state.locked_until_ms}}},
                 unix_ms(now));
    return {LoginOutcome::locked, {}, lock_remaining_seconds(outcome.state, now)};
  }
  return {why, {}, 0};
}

LoginAttempt attempt_login(UserContext& ctx, const LoginInput& in, const RequestMeta& meta) {
  // Argon2 runs before the transaction so no database lock is held while it burns CPU.
  auto found = store::find_login(ctx.db, in.login);
  const bool password_ok = found && ctx.hasher.verify(in.password, found->second.password_hash);
  if (!found) {
    ctx.hasher.burn_verification_time(in.password);
  }
  return ctx.db.transaction([&](db::Transaction& tx) -> LoginAttempt {
    auto now = ctx.clock();
    if (!found) {
      record_audit(tx,
                   {"login.failed",
                    std::nullopt,
                    "user",
                    "",
                    "failure",
                    meta.client_ip,
                    {{"login", in.login}, {"reason", "unknown_user"}}},
                   unix_ms(now));
      return {LoginOutcome::bad_credentials, {}, 0};
    }
    const User& user = found->first;
    auto secrets = store::find_secrets(tx, user.id);
    if (is_locked(secrets->failures, now)) {
      record_audit(tx, {"login.blocked", user.id, "user", user.id, "failure", meta.client_ip, {}},
                   unix_ms(now));
      return {LoginOutcome::locked, {}, lock_remaining_seconds(secrets->failures, now)};
    }
    if (!password_ok) {
      return fail_login(tx, ctx, user, LoginOutcome::bad_credentials, meta);
    }
    if (user.totp_enabled) {
      if (!in.totp_code || in.totp_code->empty()) {
        return {LoginOutcome::totp_required, {}, 0};
      }
      auto step = verify_totp(secrets->totp_secret.value_or(""), *in.totp_code, now,
                              secrets->totp_last_step);
      if (!step) {
        return fail_login(tx, ctx, user, LoginOutcome::bad_totp, meta);
      }
      store::save_totp(tx, user.id, secrets->totp_secret, true, *step, unix_ms(now));
    }
    if (user.status != kStatusActive) {
      record_audit(tx,
                   {"login.failed",
                    user.id,
                    "user",
                    user.id,
                    "failure",
                    meta.client_ip,
                    {{"reason", "disabled"}}},
                   unix_ms(now));
      return {LoginOutcome::disabled, {}, 0};
    }
    store::save_login_failures(tx, user.id, record_successful_login());
    auto tokens = issue_session(tx, ctx, user, cp::new_id("ses"));
    record_audit(tx,
                 {"login.succeeded",
                  user.id,
                  "user",
                  user.id,
                  "success",
                  meta.client_ip,
                  {{"session_id", tokens.session_id}}},
                 unix_ms(now));
    return {LoginOutcome::ok, std::move(tokens.tokens), 0};
  });
}

}  // namespace

bool is_valid_username(std::string_view u) {
  return u.size() >= 3 && u.size() <= 32 && std::isalpha(static_cast<unsigned char>(u[0])) &&
         std::all_of(u.begin(), u.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '.' || c == '-';
         });
}

std::string normalize_email(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

User require_user(db::Executor& ex, const std::string& user_id) {
  auto user = store::find_user(ex, user_id);
  if (!user || user->status == kStatusDeleted) {
    throw http::not_found("No such user.", "user_not_found");
  }
  return *user;
}

std::string check_new_account(UserContext& ctx, const RegisterInput& in) {
  if (!is_valid_username(in.username)) {
    throw http::bad_request("username",
                            "3-32 letters, digits, '_', '.' or '-', starting with a letter");
  }
  if (auto why = password_policy_violation(in.password, in.username, in.email,
                                           ctx.settings.password_policy)) {
    throw http::bad_request("password", "password " + *why, "weak_password");
  }
  return ctx.hasher.hash(in.password);
}

User insert_new_account(db::Transaction& tx, const RegisterInput& in,
                        const std::string& password_hash, int64_t now) {
  User user{cp::new_id("usr"),
            normalize_email(in.email),
            in.username,
            in.display_name.empty() ? in.username : in.display_name,
            std::string(kStatusActive),
            false,
            now,
            now,
            {}};
  if (store::email_taken(tx, user.email)) {
    throw http::conflict("This email is already registered.", "email_taken", "email");
  }
  if (store::username_taken(tx, user.username)) {
    throw http::conflict("This username is taken.", "username_taken", "username");
  }
  store::insert_user(tx, user, password_hash);
  return user;
}

User register_user(UserContext& ctx, const RegisterInput& in, const RequestMeta& meta) {
  const std::string hash = check_new_account(ctx, in);
  return ctx.db.transaction([&](db::Transaction& tx) {
    const int64_t now = ctx.now_ms();
    User user = insert_new_account(tx, in, hash, now);
    store::assign_role(tx, user.id, store::find_role(tx, std::string(kUserRole))->id, now);
    user.roles = {std::string(kUserRole)};
    emit(tx, ctx, user_registered_event(user));
    record_audit(tx, {"user.registered", user.id, "user", user.id, "success", meta.client_ip, {}},
                 now);
    return user;
  });
}

SessionTokens login(UserContext& ctx, const LoginInput& in, const RequestMeta& meta) {
  auto attempt = attempt_login(ctx, in, meta);
  switch (attempt.outcome) {
    case LoginOutcome::ok:
      return std::move(attempt.tokens);
    case LoginOutcome::locked:
      throw account_locked(attempt.retry_after_seconds);
    case LoginOutcome::totp_required:
      throw ApiError(Status::unauthorized, "totp_required", "A TOTP code is required.",
                     "totp_code");
    case LoginOutcome::bad_totp:
      throw ApiError(Status::unauthorized, "invalid_totp", "The TOTP code is wrong.", "totp_code");
    case LoginOutcome::disabled:
      throw http::forbidden("This account is disabled.", "account_disabled");
    case LoginOutcome::bad_credentials:
      break;
  }
  throw http::unauthorized("Wrong username/email or password.", "invalid_credentials");
}

SessionTokens refresh_session(UserContext& ctx, const std::string& refresh_token,
                              const RequestMeta& meta) {
  const std::string hash = hash_refresh_token(refresh_token);
  auto [decision, tokens] = ctx.db.transaction([&](db::Transaction& tx) {
    auto now = ctx.clock();
    auto state = store::find_refresh_token(tx, hash);
    auto user = state ? store::find_user(tx, state->user_id) : std::nullopt;
    auto decision = decide_refresh(state, user && user->status == kStatusActive, now);
    if (decision == RefreshDecision::rotate) {
      if (store::mark_refresh_token_used(tx, state->id, unix_ms(now))) {
        return std::make_pair(decision, issue_session(tx, ctx, *user, state->family_id).tokens);
      }
      decision = RefreshDecision::reuse_detected;  // a concurrent request rotated it first
    }
    if (decision == RefreshDecision::reuse_detected) {
      store::revoke_family(tx, state->family_id, unix_ms(now));
      record_audit(tx,
                   {"refresh_token.reused",
                    state->user_id,
                    "session",
                    state->family_id,
                    "failure",
                    meta.client_ip,
                    {}},
                   unix_ms(now));
    }
    return std::make_pair(decision, SessionTokens{});
  });
  switch (decision) {
    case RefreshDecision::rotate:
      return std::move(tokens);
    case RefreshDecision::reuse_detected:
      throw http::unauthorized("This refresh token was already used; the session is revoked.",
                               "refresh_token_reused");
    case RefreshDecision::expired:
      throw http::unauthorized("The refresh token has expired.", "refresh_token_expired");
    default:
      throw http::unauthorized("The refresh token is not valid.", "invalid_refresh_token");
  }
}

void logout(UserContext& ctx, const http::Identity& caller, bool all_sessions,
            const RequestMeta& meta) {
  ctx.db.transaction([&](db::Transaction& tx) {
    const int64_t now = ctx.now_ms();
    if (all_sessions) {
      store::revoke_user_sessions(tx, caller.user_id, now);
    } else if (caller.auth_method == "jwt" && !caller.credential_id.empty()) {
      store::revoke_family(tx, caller.credential_id, now);
    }
    record_audit(tx,
                 {"logout",
                  caller.user_id,
                  "session",
                  all_sessions ? "*" : caller.credential_id,
                  "success",
                  meta.client_ip,
                  {}},
                 now);
  });
}

void change_password(UserContext& ctx, const http::Identity& caller,
                     const std::string& old_password, const std::string& new_password,
                     const RequestMeta& meta) {
  User user = require_user(ctx.db, caller.user_id);
  auto secrets = store::find_secrets(ctx.db, user.id);
  if (!ctx.hasher.verify(old_password, secrets->password_hash)) {
    throw http::bad_request("old_password", "The current password is wrong.", "wrong_password");
  }
  if (old_password == new_password) {
    throw http::bad_request("new_password", "The new password must differ from the current one.",
                            "weak_password");
  }
  if (auto why = password_policy_violation(new_password, user.username, user.email,
                                           ctx.settings.password_policy)) {
    throw http::bad_request("new_password", "password " + *why, "weak_password");
  }
  const std::string hash = ctx.hasher.hash(new_password);
  ctx.db.transaction([&](db::Transaction& tx) {
    const int64_t now = ctx.now_ms();
    store::update_password(tx, user.id, hash, now);
    // Other devices must log in again; the session that made the change stays.
    store::revoke_user_sessions(tx, user.id, now,
                                caller.auth_method == "jwt" ? caller.credential_id : "");
    record_audit(tx, {"password.changed", user.id, "user", user.id, "success", meta.client_ip, {}},
                 now);
  });
}

}  // namespace cp::user
