#include <gtest/gtest.h>

#include <thread>

#include "platform/cache.h"
#include "platform/cache_cases.h"

namespace cp::cache {
namespace {

using namespace std::chrono_literals;

// A cache on a clock the test moves by hand.
struct FakeClockCache {
  std::chrono::steady_clock::time_point now{};
  MemoryCache cache{
      MemoryCacheOptions{.max_entries = 4, .shards = 1, .clock = [this] { return now; }}};
};

TEST(MemoryCache, GetSetDelete) {
  MemoryCache cache;
  EXPECT_EQ(cache.get("k"), std::nullopt);
  cache.set("k", "v", 1min);
  EXPECT_EQ(cache.get("k"), "v");
  cache.set("k", "w", 1min);
  EXPECT_EQ(cache.get("k"), "w");
  cache.del("k");
  EXPECT_EQ(cache.get("k"), std::nullopt);
  cache.del("never-set");
}

TEST(MemoryCache, EntriesExpireAfterTheirTtl) {
  FakeClockCache f;
  f.cache.set("short", "1", 100ms);
  f.cache.set("long", "2", 10s);
  f.now += 99ms;
  EXPECT_EQ(f.cache.get("short"), "1");
  f.now += 1ms;
  EXPECT_EQ(f.cache.get("short"), std::nullopt);
  EXPECT_EQ(f.cache.get("long"), "2");
  f.cache.set("zero", "x", 0ms);
  EXPECT_EQ(f.cache.get("zero"), std::nullopt);
}

TEST(MemoryCache, EvictsLeastRecentlyUsedWhenFull) {
  FakeClockCache f;  // 4 entries
  for (const char* k : {"a", "b", "c", "d"}) f.cache.set(k, k, 1min);
  EXPECT_EQ(f.cache.get("a"), "a");  // a is now the most recently used
  f.cache.set("e", "e", 1min);       // evicts b
  EXPECT_EQ(f.cache.get("b"), std::nullopt);
  EXPECT_EQ(f.cache.get("a"), "a");
  EXPECT_EQ(f.cache.get("e"), "e");
  EXPECT_EQ(f.cache.size(), 4u);
}

TEST(MemoryCache, IncrCountsWithinAWindow) {
  FakeClockCache f;
  EXPECT_EQ(f.cache.incr("rate:usr_1", 1, 1s), 1);
  f.now += 600ms;
  EXPECT_EQ(f.cache.incr("rate:usr_1", 1, 1s), 2);  // keeps the first expiry
  EXPECT_EQ(f.cache.incr("rate:usr_1", 5, 1s), 7);
  f.now += 400ms;
  EXPECT_EQ(f.cache.incr("rate:usr_1", 1, 1s), 1);  // window over: starts again
  f.cache.set("text", "abc", 1min);
  EXPECT_THROW(f.cache.incr("text", 1, 1s), std::invalid_argument);
}

TEST(MemoryCache, ConcurrentIncrementsAreNotLost) {
  MemoryCache cache;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) cache.incr("n", 1, 1min);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(cache.get("n"), "4000");
}

}  // namespace
}  // namespace cp::cache

// The cases shared with Redis (cache_cases.h), on one MemoryCache seen through two handles.
namespace cp::cache {
INSTANTIATE_TEST_SUITE_P(
    Memory, CacheCase,
    ::testing::Values(CacheBackend{
        "memory",
        [] {
          auto cache = std::make_shared<MemoryCache>();
          return std::make_pair<std::shared_ptr<Cache>, std::shared_ptr<Cache>>(cache, cache);
        }}),
    [](const auto& info) { return info.param.name; });
}  // namespace cp::cache
