// The cache cases on a real Redis (fixture redis), plus what only a networked cache has:
// URLs, authentication, reconnecting after the server dropped connections.
#include "platform/backend_testing.h"
#include "platform/cache_cases.h"
#include "platform/redis_cache.h"

namespace cp::cache {
namespace {

std::shared_ptr<redis::RedisClient> client(size_t pool = 4) {
  redis::RedisOptions o;
  o.url = testing_env::test_redis_url();
  o.pool_size = pool;
  return std::make_shared<redis::RedisClient>(o);
}

INSTANTIATE_TEST_SUITE_P(
    Redis, CacheCase,
    ::testing::Values(CacheBackend{
        "redis",
        [] {
          // A fresh prefix per test: the server is shared by the whole run.
          auto prefix = testing_env::unique_name("cp_test_") + ":";
          return std::make_pair<std::shared_ptr<Cache>, std::shared_ptr<Cache>>(
              std::make_shared<RedisCache>(client(), prefix),
              std::make_shared<RedisCache>(client(), prefix));
        }}),
    [](const auto& info) { return info.param.name; });

TEST(RedisCache, KeysCarryThePrefixAndTheTtl) {
  auto c = client();
  RedisCache cache(c, "pfx_" + testing_env::unique_name("") + ":");
  cache.set("k", "v", std::chrono::seconds(60));
  auto keys = c->command({"KEYS", "pfx_*:k"});
  ASSERT_EQ(keys.elements.size(), 1u);
  auto ttl = c->command({"PTTL", keys.elements[0].str});
  EXPECT_GT(ttl.integer, 55'000);
  EXPECT_LE(ttl.integer, 60'000);
  cache.incr("n", 1, std::chrono::seconds(5));
  std::string n_key = keys.elements[0].str.substr(0, keys.elements[0].str.size() - 1) + "n";
  EXPECT_GT(c->command({"PTTL", n_key}).integer, 4000);
}

TEST(RedisClient, WrongPasswordOrAddressFailsAtConstruction) {
  std::string url = testing_env::test_redis_url();  // redis://:PASSWORD@127.0.0.1:PORT/0
  auto at = url.find('@');
  redis::RedisOptions o;
  o.url = "redis://:wrong" + url.substr(at);
  EXPECT_THROW(redis::RedisClient{o}, redis::RedisError);
  o.url = "redis://127.0.0.1:1/0";
  EXPECT_THROW(redis::RedisClient{o}, redis::RedisError);
  o.url = "http://127.0.0.1:6379";
  EXPECT_THROW(redis::RedisClient{o}, std::invalid_argument);
}

TEST(RedisClient, ReconnectsAfterTheServerDroppedItsConnections) {
  auto c = client(2);
  RedisCache cache(c, testing_env::unique_name("cp_test_") + ":");
  cache.set("k", "v", std::chrono::minutes(1));
  // Another client kills every normal connection (ours included, idle in the pool).
  auto killer = client(1);
  killer->command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  EXPECT_EQ(cache.get("k"), "v");  // the stale connection is replaced transparently
  EXPECT_EQ(cache.incr("n", 1, std::chrono::minutes(1)), 1);
}

TEST(RedisClient, ServerErrorsKeepTheConnectionUsable) {
  auto c = client(1);
  try {
    c->command({"NOSUCHCOMMAND"});
    FAIL() << "no error";
  } catch (const redis::RedisError& e) {
    EXPECT_TRUE(e.server_reply) << e.what();
  }
  EXPECT_TRUE(c->ping());
}

}  // namespace
}  // namespace cp::cache
