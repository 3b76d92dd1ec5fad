#pragma once
// Rate limits per caller and per client IP (seed defaults: 10/s, 100/10 s, 500/min). Fixed
// windows counted in the shared cache (in-process now, Redis when configured), so several
// gateway instances share the counts. Pure decision logic: the clock is a parameter.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cp::cache {
class Cache;
}

namespace cp::gateway {

struct RateRule {
  int64_t limit = 0;
  std::chrono::milliseconds window{0};
};

// "10/1s,100/10s,500/60s" → rules; throws std::invalid_argument on nonsense.
std::vector<RateRule> parse_rate_rules(const std::string& spec);

struct RateDecision {
  bool allowed = true;
  int64_t retry_after_seconds = 0;  // when refused: until the tightest exhausted window ends
  int64_t remaining = 0;            // of the tightest rule
};

class RateLimiter {
 public:
  RateLimiter(cache::Cache& counters, std::vector<RateRule> rules)
      : counters_(counters), rules_(std::move(rules)) {}
  // `subject` is "user:usr_..." or "ip:1.2.3.4"; now is unix milliseconds.
  RateDecision check(const std::string& subject, int64_t now_ms);
  bool enabled() const { return !rules_.empty(); }

 private:
  cache::Cache& counters_;
  std::vector<RateRule> rules_;
};

}  // namespace cp::gateway
