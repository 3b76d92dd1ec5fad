#pragma once
// The user service's configuration, read once from cp::Config at start-up.
//   auth.jwt_secret, auth.access_ttl_seconds (900), auth.refresh_ttl_seconds (2592000)
//   auth.lockout.max_failures (5), auth.lockout.window_seconds (900), auth.lockout.lock_seconds
//   (900) auth.password.min_length (10), auth.argon2.ops_limit (2), auth.argon2.mem_limit_kb
//   (65536) auth.totp_issuer ("cloudphone") quota.default.max_devices (2), .max_cpu_cores (4),
//   .max_memory_mb (8192), .max_device_hours (100)
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

struct UserSettings {
  TokenSettings tokens;
  LockoutPolicy lockout;
  PasswordPolicy password_policy;
  Argon2Limits argon2;
  QuotaDefaults quota_defaults;
  std::string totp_issuer = "cloudphone";

  // Throws std::invalid_argument when auth.jwt_secret is missing or shorter than 32 bytes: a
  // guessable HS256 secret lets anyone mint admin tokens.
  static UserSettings from_config(const Config& config);
};

}  // namespace cp::user
