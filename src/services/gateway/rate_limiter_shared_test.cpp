// The shared-limit cases on the in-process cache (one cache, two limiters).
#include "services/gateway/rate_limiter_cases.h"

namespace cp::gateway {
INSTANTIATE_TEST_SUITE_P(
    Memory, SharedLimitCase,
    ::testing::Values(CounterStore{
        "memory",
        [] {
          auto c = std::make_shared<cache::MemoryCache>();
          return std::make_pair<std::shared_ptr<cache::Cache>, std::shared_ptr<cache::Cache>>(c, c);
        }}),
    [](const auto& info) { return info.param.name; });
}  // namespace cp::gateway
