#include "services/user/lockout.h"

namespace cp::user {
namespace {
int64_t ms(std::chrono::seconds s) {
  return s.count() * 1000;
}
}  // namespace

bool is_locked(const LoginFailureState& state, TimePoint now) {
  return state.locked_until_ms > unix_ms(now);
}

int64_t lock_remaining_seconds(const LoginFailureState& state, TimePoint now) {
  int64_t remaining_ms = state.locked_until_ms - unix_ms(now);
  return remaining_ms > 0 ? (remaining_ms + 999) / 1000 : 0;
}

FailureOutcome record_failed_login(const LoginFailureState& state, const LockoutPolicy& policy,
                                   TimePoint now) {
  const int64_t t = unix_ms(now);
  FailureOutcome out;
  out.state = state;
  // A lock that has run out, or a window that has passed, starts a fresh count.
  bool lock_expired = state.locked_until_ms != 0 && state.locked_until_ms <= t;
  bool window_passed = state.window_started_at_ms + ms(policy.window) <= t;
  if (lock_expired || window_passed || state.failed_count == 0) {
    out.state = LoginFailureState{0, t, 0};
  }
  out.state.failed_count += 1;
  if (out.state.failed_count >= policy.max_failures && out.state.locked_until_ms <= t) {
    out.state.locked_until_ms = t + ms(policy.lock_duration);
    out.locked_now = true;
  }
  return out;
}

}  // namespace cp::user
