// The shared-limit cases on a real Redis (fixture redis): two limiters, each with its own Redis
// client, as two gateway processes would be.
#include "platform/backend_testing.h"
#include "platform/redis_cache.h"
#include "services/gateway/rate_limiter_cases.h"

namespace cp::gateway {
namespace {

std::shared_ptr<cache::Cache> redis_store(const std::string& prefix) {
  redis::RedisOptions o;
  o.url = testing_env::test_redis_url();
  return std::make_shared<cache::RedisCache>(std::make_shared<redis::RedisClient>(o), prefix);
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Redis, SharedLimitCase,
                         ::testing::Values(CounterStore{
                             "redis",
                             [] {
                               auto prefix = testing_env::unique_name("cp_rl_") + ":";
                               return std::make_pair(redis_store(prefix), redis_store(prefix));
                             }}),
                         [](const auto& info) { return info.param.name; });
}  // namespace cp::gateway
