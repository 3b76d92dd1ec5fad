// Rate limiter cases run on both counter stores: rate_limiter_shared_test.cpp on the in-process
// cache, rate_limiter_redistest.cpp on Redis, where two limiters with their own Redis clients
// stand for two gateway processes.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "platform/cache.h"
#include "services/gateway/rate_limiter.h"

namespace cp::gateway {

struct CounterStore {
  std::string name;
  // Two handles on one store (two gateways' views of it).
  std::function<std::pair<std::shared_ptr<cache::Cache>, std::shared_ptr<cache::Cache>>()> open;
};

class SharedLimitCase : public ::testing::TestWithParam<CounterStore> {
 protected:
  void SetUp() override { std::tie(a_, b_) = GetParam().open(); }
  std::shared_ptr<cache::Cache> a_, b_;
};

TEST_P(SharedLimitCase, TwoGatewaysShareOneCallersLimit) {
  RateLimiter gw1(*a_, parse_rate_rules("10/1s,15/1h"));
  RateLimiter gw2(*b_, parse_rate_rules("10/1s,15/1h"));
  const int64_t t0 = 7'200'000 + 100;  // 100 ms into a second and into an hour
  int allowed = 0;
  for (int i = 0; i < 14; ++i) {
    RateDecision d = (i % 2 ? gw2 : gw1).check("user:usr_1", t0 + i);
    if (d.allowed) ++allowed;
    if (i == 9) {
      EXPECT_EQ(d.remaining, 0);
    }
    if (i >= 10) {
      EXPECT_FALSE(d.allowed) << i;
      EXPECT_EQ(d.retry_after_seconds, 1);
    }
  }
  EXPECT_EQ(allowed, 10);  // not 10 per gateway
  // The next second: the per-second window starts again, the hourly one keeps counting.
  EXPECT_TRUE(gw2.check("user:usr_1", t0 + 1000).allowed);  // 15th in the hour
  RateDecision hourly = gw1.check("user:usr_1", t0 + 1001);
  EXPECT_FALSE(hourly.allowed);
  EXPECT_GT(hourly.retry_after_seconds, 3000);
  // Other callers are counted apart.
  EXPECT_TRUE(gw1.check("user:usr_2", t0 + 1002).allowed);
}

TEST_P(SharedLimitCase, ConcurrentRequestsOnTwoGatewaysNeverExceedTheLimit) {
  RateLimiter gw1(*a_, parse_rate_rules("50/1h"));
  RateLimiter gw2(*b_, parse_rate_rules("50/1h"));
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      RateLimiter& gw = t % 2 ? gw2 : gw1;
      for (int i = 0; i < 40; ++i) {
        if (gw.check("ip:10.0.0.1", 3'600'000 + 5).allowed) ++allowed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 50);
}

}  // namespace cp::gateway
