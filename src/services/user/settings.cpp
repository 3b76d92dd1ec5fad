#include "services/user/settings.h"

#include <stdexcept>

namespace cp::user {

UserSettings UserSettings::from_config(const Config& c) {
  UserSettings s;
  s.tokens.jwt_secret = c.get("auth.jwt_secret");
  if (s.tokens.jwt_secret.size() < 32) {
    throw std::invalid_argument("auth.jwt_secret must be set and at least 32 bytes long");
  }
  s.tokens.access_ttl = std::chrono::seconds(c.get_int("auth.access_ttl_seconds", 900));
  s.tokens.refresh_ttl =
      std::chrono::seconds(c.get_int("auth.refresh_ttl_seconds", 30LL * 24 * 3600));
  s.lockout.max_failures = static_cast<int>(c.get_int("auth.lockout.max_failures", 5));
  s.lockout.window = std::chrono::seconds(c.get_int("auth.lockout.window_seconds", 900));
  s.lockout.lock_duration = std::chrono::seconds(c.get_int("auth.lockout.lock_seconds", 900));
  s.password_policy.min_length = static_cast<size_t>(c.get_int("auth.password.min_length", 10));
  s.argon2.ops_limit = static_cast<uint64_t>(c.get_int("auth.argon2.ops_limit", 2));
  s.argon2.mem_limit_bytes =
      static_cast<size_t>(c.get_int("auth.argon2.mem_limit_kb", 65536)) * 1024;
  s.totp_issuer = c.get("auth.totp_issuer", "cloudphone");
  s.quota_defaults.max_devices = c.get_int("quota.default.max_devices", 2);
  s.quota_defaults.max_cpu_cores = c.get_int("quota.default.max_cpu_cores", 4);
  s.quota_defaults.max_memory_mb = c.get_int("quota.default.max_memory_mb", 8192);
  s.quota_defaults.max_device_hours = c.get_int("quota.default.max_device_hours", 100);
  s.password_reset.token_ttl =
      std::chrono::seconds(c.get_int("user.password_reset.ttl_seconds", 1800));
  if (s.password_reset.token_ttl.count() < 60) {
    throw std::invalid_argument("user.password_reset.ttl_seconds must be at least 60");
  }
  s.password_reset.min_interval =
      std::chrono::seconds(c.get_int("user.password_reset.min_interval_seconds", 60));
  s.password_reset.link_base = c.get("user.password_reset.link_base", s.password_reset.link_base);
  s.password_reset.mail_from = c.get("smtp.from", s.password_reset.mail_from);
  s.password_reset.log_link_when_unsent = c.get_bool("smtp.log_only", false);
  return s;
}

}  // namespace cp::user
