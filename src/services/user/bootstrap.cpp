#include "services/user/bootstrap.h"

#include <stdexcept>

#include "core/ids.h"
#include "services/user/audit.h"
#include "services/user/rbac.h"
#include "services/user/store.h"

namespace cp::user {

EnsureAdminResult ensure_admin(db::Database& db, const std::string& username,
                               std::optional<std::string> password, const Argon2Limits& limits) {
  EnsureAdminResult result;
  if (auto existing = store::find_user_by_username(db, username)) {
    result.user_id = existing->id;
    return result;
  }
  std::string chosen = password ? *password : generate_password();
  const std::string hash = PasswordHasher(limits).hash(chosen);
  return db.transaction([&](db::Transaction& tx) {
    EnsureAdminResult r;
    if (auto existing = store::find_user_by_username(tx, username)) {  // a concurrent start won
      r.user_id = existing->id;
      return r;
    }
    const int64_t now = cp::now_ms();
    User user{cp::new_id("usr"),
              username + "@localhost",
              username,
              username,
              std::string(kStatusActive),
              false,
              now,
              now,
              {}};
    store::insert_user(tx, user, hash);
    store::assign_role(tx, user.id, store::find_role(tx, std::string(kSuperAdminRole))->id, now);
    record_audit(tx, {"admin.bootstrapped", std::nullopt, "user", user.id, "success", "", {}}, now);
    r.user_id = user.id;
    r.created = true;
    if (!password) {
      r.generated_password = chosen;
    }
    return r;
  });
}

std::string reset_password(db::Database& db, const std::string& username,
                           const Argon2Limits& limits) {
  auto user = store::find_user_by_username(db, username);
  if (!user || user->status == kStatusDeleted) {
    throw std::runtime_error("no user named '" + username + "'");
  }
  std::string password = generate_password();
  const std::string hash = PasswordHasher(limits).hash(password);
  db.transaction([&](db::Transaction& tx) {
    const int64_t now = cp::now_ms();
    store::update_password(tx, user->id, hash, now);
    store::save_login_failures(tx, user->id, record_successful_login());
    store::revoke_user_sessions(tx, user->id, now);
    record_audit(tx, {"password.reset", std::nullopt, "user", user->id, "success", "", {}}, now);
  });
  return password;
}

}  // namespace cp::user
