// Cache test cases written once and run on both implementations: memory_cache_test.cpp on
// MemoryCache, redis_cache_redistest.cpp on RedisCache (real Redis from the redis fixture).
// Real time with short TTLs, since Redis keeps its own clock.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "platform/cache.h"

namespace cp::cache {

struct CacheBackend {
  std::string name;
  // Two handles on one store, as two processes would have: for Redis two independent clients
  // on the same server (and key prefix), in process the same MemoryCache twice.
  std::function<std::pair<std::shared_ptr<Cache>, std::shared_ptr<Cache>>()> open;
};

inline std::string PrintToString(const CacheBackend& b) {
  return b.name;
}

class CacheCase : public ::testing::TestWithParam<CacheBackend> {
 protected:
  void SetUp() override { std::tie(a_, b_) = GetParam().open(); }
  std::shared_ptr<Cache> a_, b_;
};

using namespace std::chrono_literals;

TEST_P(CacheCase, GetSetDelete) {
  EXPECT_EQ(a_->get("k"), std::nullopt);
  a_->set("k", "v", 1min);
  EXPECT_EQ(a_->get("k"), "v");
  EXPECT_EQ(b_->get("k"), "v");  // the other handle sees it
  b_->set("k", std::string("w\0x", 3), 1min);
  EXPECT_EQ(a_->get("k"), std::string("w\0x", 3));  // binary-safe
  a_->del("k");
  EXPECT_EQ(b_->get("k"), std::nullopt);
  a_->del("never-set");
}

TEST_P(CacheCase, EntriesExpireAfterTheirTtl) {
  a_->set("short", "1", 300ms);
  a_->set("long", "2", 1min);
  a_->set("zero", "x", 0ms);
  EXPECT_EQ(a_->get("short"), "1");
  EXPECT_EQ(a_->get("zero"), std::nullopt);
  std::this_thread::sleep_for(450ms);
  EXPECT_EQ(a_->get("short"), std::nullopt);
  EXPECT_EQ(b_->get("long"), "2");
}

TEST_P(CacheCase, IncrStartsAWindowAndKeepsItsExpiry) {
  EXPECT_EQ(a_->incr("n", 1, 400ms), 1);
  EXPECT_EQ(b_->incr("n", 1, 10s), 2);  // an existing key keeps its first expiry
  EXPECT_EQ(a_->incr("n", 5, 10s), 7);
  std::this_thread::sleep_for(550ms);
  EXPECT_EQ(b_->incr("n", 1, 400ms), 1);  // window over: starts again
  EXPECT_EQ(a_->incr("z", 0, 1min), 0);   // a new key at 0 still gets its ttl and exists
  EXPECT_EQ(a_->incr("z", 2, 1min), 2);
  a_->set("text", "abc", 1min);
  EXPECT_THROW(a_->incr("text", 1, 1s), std::invalid_argument);
  EXPECT_EQ(a_->get("text"), "abc");
}

TEST_P(CacheCase, ConcurrentIncrementsFromTwoHandlesAreNotLost) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Cache& c = t % 2 ? *a_ : *b_;
      for (int i = 0; i < 250; ++i) c.incr("count", 1, 1min);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(a_->get("count"), "1000");
}

}  // namespace cp::cache
