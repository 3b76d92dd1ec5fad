#pragma once
// The user service's configuration, read once from cp::Config at start-up.
//   auth.jwt_secret, auth.access_ttl_seconds (900), auth.refresh_ttl_seconds (2592000)
//   auth.lockout.max_failures (5), auth.lockout.window_seconds (900), auth.lockout.lock_seconds
//   (900) auth.password.min_length (10), auth.argon2.ops_limit (2), auth.argon2.mem_limit_kb
//   (65536) auth.totp_issuer ("cloudphone") quota.default.max_devices (2), .max_cpu_cores (4),
//   .max_memory_mb (8192), .max_device_hours (100)
//   user.password_reset.ttl_seconds (1800), .min_interval_seconds (60), .link_base
//   (http://localhost:30000/reset-password?token=); smtp.from, smtp.log_only (false)
#include <string>

#include "core/config.h"
#include "services/user/lockout.h"
#include "services/user/passwords.h"
#include "services/user/tokens.h"

namespace cp::user {

struct QuotaDefaults {
  int64_t max_devices = 2;
  int64_t max_cpu_cores = 4;
  int64_t max_memory_mb = 8192;
  int64_t max_device_hours = 100;
};

struct PasswordResetSettings {
  std::chrono::seconds token_ttl{1800};
  // One mail per account per interval: the endpoint is public, so without it anyone could
  // flood a mailbox. Requests inside the interval still answer 202 and send nothing.
  std::chrono::seconds min_interval{60};
  std::string link_base = "http://localhost:30000/reset-password?token=";  // + the token
  std::string mail_from = "cloudphone <no-reply@localhost>";
  // Development only: with no SMTP server configured, write the reset link into the log.
  bool log_link_when_unsent = false;
};

struct UserSettings {
  TokenSettings tokens;
  LockoutPolicy lockout;
  PasswordPolicy password_policy;
  Argon2Limits argon2;
  QuotaDefaults quota_defaults;
  std::string totp_issuer = "cloudphone";
  PasswordResetSettings password_reset;

  // Throws std::invalid_argument when auth.jwt_secret is missing or shorter than 32 bytes: a
  // guessable HS256 secret lets anyone mint admin tokens.
  static UserSettings from_config(const Config& config);
};

}  // namespace cp::user
