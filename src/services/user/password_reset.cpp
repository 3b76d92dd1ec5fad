#include "services/user/password_reset.h"

#include "core/ids.h"
#include "core/problem.h"
#include "services/user/accounts.h"
#include "services/user/audit.h"
#include "services/user/crypto.h"
#include "services/user/events.h"
#include "services/user/store.h"

namespace cp::user {
namespace {

http::ApiError bad_token(const char* code, const char* detail) {
  return http::bad_request("token", detail, code);
}

// The token's row, checked for use/supersession/expiry; throws the matching 400.
ResetTokenRecord usable_token(db::Executor& ex, const std::string& token, int64_t now) {
  auto rec = store::find_reset_token(ex, hash_reset_token(token));
  if (!rec || rec->invalidated_at) {
    throw bad_token("reset_token_invalid", "This reset link is not valid; request a new one.");
  }
  if (rec->used_at) {
    throw bad_token("reset_token_used", "This reset link was already used; request a new one.");
  }
  if (rec->expires_at <= now) {
    throw bad_token("reset_token_expired", "This reset link has expired; request a new one.");
  }
  return *rec;
}

}  // namespace

std::string hash_reset_token(const std::string& token) {
  return sha256_hex(token);
}

std::optional<ResetMail> request_password_reset(UserContext& ctx, const std::string& email,
                                                const RequestMeta& meta) {
  const std::string address = normalize_email(email);
  const auto& cfg = ctx.settings.password_reset;
  return ctx.db.transaction([&](db::Transaction& tx) -> std::optional<ResetMail> {
    const int64_t now = ctx.now_ms();
    auto user_id = store::find_user_id_by_email(tx, address);
    auto user = user_id ? store::find_user(tx, *user_id) : std::nullopt;
    if (!user || user->status != kStatusActive) {
      // Audited (who is probing for accounts), answered like any other request.
      record_audit(tx,
                   {"password_reset.requested",
                    user ? std::optional(user->id) : std::nullopt,
                    "user",
                    user ? user->id : "",
                    "failure",
                    meta.client_ip,
                    {{"email", address}, {"reason", user ? "inactive" : "unknown_email"}}},
                   now);
      return std::nullopt;
    }
    auto latest = store::latest_reset_request(tx, user->id);
    if (latest && now - *latest < cfg.min_interval.count() * 1000) {
      record_audit(tx,
                   {"password_reset.requested",
                    user->id,
                    "user",
                    user->id,
                    "failure",
                    meta.client_ip,
                    {{"reason", "throttled"}}},
                   now);
      return std::nullopt;
    }
    const std::string token = "cpw_" + random_token(32);
    store::invalidate_reset_tokens(tx, user->id, now);
    ResetTokenRecord rec{
        cp::new_id("prt"), user->id, now, now + cfg.token_ttl.count() * 1000, {}, {}};
    store::insert_reset_token(tx, rec, hash_reset_token(token), meta.client_ip);
    record_audit(tx,
                 {"password_reset.requested",
                  user->id,
                  "user",
                  user->id,
                  "success",
                  meta.client_ip,
                  {{"token_id", rec.id}}},
                 now);
    return ResetMail{
        user->id,    user->email, user->username, cfg.link_base + token, cfg.token_ttl.count() / 60,
        std::nullopt};
  });
}

void reset_password_with_token(UserContext& ctx, const std::string& token,
                               const std::string& new_password, const RequestMeta& meta) {
  // Checked before hashing (Argon2 is slow and must not run inside the transaction); checked
  // again inside it, where the single-use UPDATE decides races.
  auto rec = usable_token(ctx.db, token, ctx.now_ms());
  auto user = store::find_user(ctx.db, rec.user_id);
  if (!user || user->status != kStatusActive) {
    throw bad_token("reset_token_invalid", "This reset link is not valid; request a new one.");
  }
  if (auto why = password_policy_violation(new_password, user->username, user->email,
                                           ctx.settings.password_policy)) {
    throw http::bad_request("new_password", "password " + *why, "weak_password");
  }
  const std::string hash = ctx.hasher.hash(new_password);
  ctx.db.transaction([&](db::Transaction& tx) {
    const int64_t now = ctx.now_ms();
    usable_token(tx, token, now);
    if (!store::use_reset_token(tx, rec.id, now)) {
      throw bad_token("reset_token_used", "This reset link was already used; request a new one.");
    }
    store::invalidate_reset_tokens(tx, user->id, now);
    store::update_password(tx, user->id, hash, now);
    store::save_login_failures(tx, user->id, record_successful_login());
    // Same as "logout everywhere": whoever knew the old password loses their sessions too.
    store::revoke_user_sessions(tx, user->id, now);
    record_audit(tx,
                 {"password.reset",
                  user->id,
                  "user",
                  user->id,
                  "success",
                  meta.client_ip,
                  {{"token_id", rec.id}}},
                 now);
    emit(tx, ctx, user_password_reset_event(user->id));
  });
}

}  // namespace cp::user
