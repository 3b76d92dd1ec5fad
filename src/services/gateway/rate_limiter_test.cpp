// Rate limits with a fake clock: the limiter takes `now_ms` as a parameter.
#include "services/gateway/rate_limiter.h"

#include <gtest/gtest.h>

#include "platform/cache.h"

namespace cp::gateway {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kT0 = 1'700'000'000'000;  // a whole second: windows start here

TEST(RateRules, ParsesTheSeedDefaults) {
  auto rules = parse_rate_rules("10/1s,100/10s,500/60s");
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].limit, 10);
  EXPECT_EQ(rules[0].window, 1s);
  EXPECT_EQ(rules[1].limit, 100);
  EXPECT_EQ(rules[1].window, 10s);
  EXPECT_EQ(rules[2].window, 60s);
}

TEST(RateRules, UnitsAndEmptySpec) {
  EXPECT_TRUE(parse_rate_rules("").empty());
  EXPECT_EQ(parse_rate_rules("5/250ms")[0].window, 250ms);
  EXPECT_EQ(parse_rate_rules("5/m")[0].window, 60s);
  EXPECT_EQ(parse_rate_rules("5/2h")[0].window, 7200s);
  EXPECT_EQ(parse_rate_rules("5/s,,7/10s").size(), 2u);
}

TEST(RateRules, NonsenseIsRejected) {
  EXPECT_THROW(parse_rate_rules("10"), std::invalid_argument);
  EXPECT_THROW(parse_rate_rules("10/1y"), std::invalid_argument);
  EXPECT_THROW(parse_rate_rules("0/1s"), std::invalid_argument);
  EXPECT_THROW(parse_rate_rules("-3/1s"), std::invalid_argument);
  EXPECT_THROW(parse_rate_rules("x/1s"), std::invalid_argument);
}

TEST(RateLimiter, TenPerSecondThenRefusedWithRetryAfter) {
  cache::MemoryCache cache;
  RateLimiter limiter(cache, parse_rate_rules("10/1s"));
  for (int i = 0; i < 10; ++i) {
    auto d = limiter.check("user:usr_1", kT0 + i * 10);
    ASSERT_TRUE(d.allowed) << "request " << i;
    EXPECT_EQ(d.remaining, 9 - i);
  }
  auto refused = limiter.check("user:usr_1", kT0 + 100);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  // The next window admits again.
  EXPECT_TRUE(limiter.check("user:usr_1", kT0 + 1000).allowed);
}

TEST(RateLimiter, SubjectsAreCountedSeparately) {
  cache::MemoryCache cache;
  RateLimiter limiter(cache, parse_rate_rules("2/1s"));
  EXPECT_TRUE(limiter.check("user:a", kT0).allowed);
  EXPECT_TRUE(limiter.check("user:a", kT0).allowed);
  EXPECT_FALSE(limiter.check("user:a", kT0).allowed);
  EXPECT_TRUE(limiter.check("user:b", kT0).allowed);
  EXPECT_TRUE(limiter.check("ip:127.0.0.1", kT0).allowed);
}

TEST(RateLimiter, LongerWindowLimitsAcrossSecondsAndRetryAfterCoversIt) {
  cache::MemoryCache cache;
  RateLimiter limiter(cache, parse_rate_rules("10/1s,15/10s"));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.check("s", kT0 + i).allowed);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter.check("s", kT0 + 1000 + i).allowed);
  // 16th request in the 10 s window, 6th in its second: the 10 s rule refuses until kT0 + 10 s.
  auto d = limiter.check("s", kT0 + 2500);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 8);  // 7.5 s left, rounded up
}

TEST(RateLimiter, NoRulesMeansDisabled) {
  cache::MemoryCache cache;
  RateLimiter limiter(cache, {});
  EXPECT_FALSE(limiter.enabled());
  EXPECT_TRUE(limiter.check("s", kT0).allowed);
}

}  // namespace
}  // namespace cp::gateway
