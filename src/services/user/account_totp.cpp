// TOTP second factor: setup (secret stored, not yet required), enable (prove the app works),
// disable (prove possession again).
#include "core/problem.h"
#include "services/user/accounts.h"
#include "services/user/audit.h"
#include "services/user/store.h"
#include "services/user/totp.h"

namespace cp::user {

TotpSetup totp_setup(UserContext& ctx, const http::Identity& caller) {
  return ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, caller.user_id);
    if (user.totp_enabled) {
      throw http::conflict("TOTP is already enabled; disable it first.", "totp_already_enabled");
    }
    TotpSetup setup;
    setup.secret = generate_totp_secret();
    setup.otpauth_uri = otpauth_uri(ctx.settings.totp_issuer, user.username, setup.secret);
    store::save_totp(tx, user.id, setup.secret, false, std::nullopt, ctx.now_ms());
    return setup;
  });
}

void totp_enable(UserContext& ctx, const http::Identity& caller, const std::string& code,
                 const RequestMeta& meta) {
  ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, caller.user_id);
    auto secrets = store::find_secrets(tx, user.id);
    if (user.totp_enabled) {
      throw http::conflict("TOTP is already enabled.", "totp_already_enabled");
    }
    if (!secrets->totp_secret) {
      throw http::conflict("Call /auth/totp/setup first.", "totp_not_set_up");
    }
    auto step = verify_totp(*secrets->totp_secret, code, ctx.clock(), std::nullopt);
    if (!step) {
      throw http::bad_request("code", "The TOTP code is wrong.", "invalid_totp");
    }
    store::save_totp(tx, user.id, secrets->totp_secret, true, *step, ctx.now_ms());
    record_audit(tx, {"totp.enabled", user.id, "user", user.id, "success", meta.client_ip, {}},
                 ctx.now_ms());
  });
}

void totp_disable(UserContext& ctx, const http::Identity& caller, const std::string& code,
                  const std::string& password, const RequestMeta& meta) {
  auto secrets = store::find_secrets(ctx.db, caller.user_id);
  const bool password_ok =
      secrets && !password.empty() && ctx.hasher.verify(password, secrets->password_hash);
  ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, caller.user_id);
    auto fresh = store::find_secrets(tx, user.id);
    if (!user.totp_enabled) {
      throw http::conflict("TOTP is not enabled.", "totp_not_enabled");
    }
    bool code_ok = !code.empty() && verify_totp(fresh->totp_secret.value_or(""), code, ctx.clock(),
                                                fresh->totp_last_step);
    if (!code_ok && !password_ok) {
      throw http::bad_request("code", "Give a current TOTP code or the account password.",
                              "invalid_totp");
    }
    store::save_totp(tx, user.id, std::nullopt, false, std::nullopt, ctx.now_ms());
    record_audit(tx, {"totp.disabled", user.id, "user", user.id, "success", meta.client_ip, {}},
                 ctx.now_ms());
  });
}

}  // namespace cp::user
