#pragma once
// Brute-force protection: `max_failures` failed logins within `window` lock the account for
// `lock_duration`. Pure state transitions; the store keeps the state on the user row.
#include <chrono>
#include <cstdint>

#include "services/user/tokens.h"  // TimePoint

namespace cp::user {

struct LockoutPolicy {
  int max_failures = 5;
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lock_duration{15 * 60};
};

struct LoginFailureState {
  int failed_count = 0;
  int64_t window_started_at_ms = 0;  // first failure in the current window
  int64_t locked_until_ms = 0;       // 0 = not locked
};

bool is_locked(const LoginFailureState& state, TimePoint now);
// Seconds until the lock ends (0 when not locked), for Retry-After.
int64_t lock_remaining_seconds(const LoginFailureState& state, TimePoint now);

struct FailureOutcome {
  LoginFailureState state;
  bool locked_now = false;  // this failure reached the limit (audit "account_locked")
};
FailureOutcome record_failed_login(const LoginFailureState& state, const LockoutPolicy& policy,
                                   TimePoint now);
// A successful login clears the counter.
inline LoginFailureState record_successful_login() {
  return {};
}

}  // namespace cp::user
