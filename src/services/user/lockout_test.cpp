#include "services/user/lockout.h"

#include <gtest/gtest.h>

namespace cp::user {
namespace {

const TimePoint kStart = from_unix_ms(1'700'000'000'000);
using std::chrono::minutes;
using std::chrono::seconds;

TEST(Lockout, FifthFailureLocks) {
  LockoutPolicy policy;
  LoginFailureState s;
  for (int i = 1; i <= 4; ++i) {
    auto out = record_failed_login(s, policy, kStart + seconds(i));
    EXPECT_FALSE(out.locked_now) << i;
    s = out.state;
    EXPECT_FALSE(is_locked(s, kStart + seconds(i)));
  }
  auto out = record_failed_login(s, policy, kStart + seconds(5));
  EXPECT_TRUE(out.locked_now);
  EXPECT_TRUE(is_locked(out.state, kStart + seconds(6)));
  EXPECT_EQ(lock_remaining_seconds(out.state, kStart + seconds(5)), 15 * 60);
  EXPECT_FALSE(is_locked(out.state, kStart + seconds(5) + minutes(15)));
}

TEST(Lockout, FailuresOutsideTheWindowDoNotAccumulate) {
  LockoutPolicy policy;
  LoginFailureState s;
  for (int i = 0; i < 4; ++i) {
    s = record_failed_login(s, policy, kStart).state;
  }
  auto out = record_failed_login(s, policy, kStart + minutes(16));
  EXPECT_FALSE(out.locked_now);
  EXPECT_EQ(out.state.failed_count, 1);
}

TEST(Lockout, CountRestartsAfterLockExpires) {
  LockoutPolicy policy{3, minutes(60), minutes(5)};
  LoginFailureState s;
  for (int i = 0; i < 3; ++i) {
    s = record_failed_login(s, policy, kStart).state;
  }
  ASSERT_TRUE(is_locked(s, kStart));
  auto out = record_failed_login(s, policy, kStart + minutes(6));
  EXPECT_FALSE(out.locked_now);
  EXPECT_EQ(out.state.failed_count, 1);
  EXPECT_FALSE(is_locked(out.state, kStart + minutes(6)));
}

TEST(Lockout, SuccessClears) {
  auto s = record_successful_login();
  EXPECT_EQ(s.failed_count, 0);
  EXPECT_FALSE(is_locked(s, kStart));
}

}  // namespace
}  // namespace cp::user
