#pragma once
// Administrator bootstrap for the CLI (`cloudphone up`, `cloudphone admin ...`). Works on the
// database directly; apply the user migrations first.
#include <optional>
#include <string>

#include "platform/db.h"
#include "services/user/passwords.h"

namespace cp::user {

struct EnsureAdminResult {
  std::string user_id;
  bool created = false;
  // The generated password, only when `created` and no password was given: print it once.
  std::optional<std::string> generated_password;
};

// Creates `username` as super_admin (email <username>@localhost) unless it already exists;
// an existing user is left untouched (its password is not reset).
EnsureAdminResult ensure_admin(db::Database& db, const std::string& username,
                               std::optional<std::string> password,
                               const Argon2Limits& limits = {});

// Sets a new random password, clears the lockout and revokes all sessions. Throws
// std::runtime_error when there is no such (non-deleted) user.
std::string reset_password(db::Database& db, const std::string& username,
                           const Argon2Limits& limits = {});

}  // namespace cp::user
