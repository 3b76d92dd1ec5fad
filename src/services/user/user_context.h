#pragma once
// What the user service's operations need: the core database, settings, the password hasher,
// and a clock (tests move it).
#include <functional>
#include <string>

#include "platform/db.h"
#include "services/user/passwords.h"
#include "services/user/settings.h"

namespace cp::cache {
class Cache;
}

namespace cp::user {

class ResetMailSender;  // reset_mail.h

struct UserContext {
  db::Database& db;
  UserSettings settings;
  PasswordHasher hasher;
  std::function<TimePoint()> clock = [] { return std::chrono::system_clock::now(); };
  // Sends password reset mails after commit (owned by UserService; null: none are sent).
  ResetMailSender* reset_mail = nullptr;
  // The process's cache (shared with the gateway): revoking an API key drops the gateway's
  // cached lookup of it. Null in tests that do not need it.
  cache::Cache* cache = nullptr;

  UserContext(db::Database& database, UserSettings s)
      : db(database), settings(std::move(s)), hasher(settings.argon2) {}
  int64_t now_ms() const { return unix_ms(clock()); }
};

// Who asked, for the audit log.
struct RequestMeta {
  std::string client_ip;
  std::string request_id;
};

}  // namespace cp::user
