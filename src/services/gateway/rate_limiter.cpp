#include "services/gateway/rate_limiter.h"

#include <stdexcept>

#include "platform/cache.h"

namespace cp::gateway {

std::vector<RateRule> parse_rate_rules(const std::string& spec) {
  std::vector<RateRule> rules;
  size_t start = 0;
  while (start < spec.size()) {
    auto comma = spec.find(',', start);
    auto item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? spec.size() : comma + 1;
    if (item.empty()) continue;
    auto slash = item.find('/');
    if (slash == std::string::npos)
      throw std::invalid_argument("rate rule needs N/window: " + item);
    RateRule rule;
    rule.limit = std::stoll(item.substr(0, slash));
    auto window = item.substr(slash + 1);
    size_t unit_pos = window.find_first_not_of("0123456789");
    int64_t amount = unit_pos == 0 ? 1 : std::stoll(window.substr(0, unit_pos));
    std::string unit = unit_pos == std::string::npos ? "s" : window.substr(unit_pos);
    int64_t ms = unit == "ms"                   ? 1
                 : unit == "s"                  ? 1000
                 : unit == "m" || unit == "min" ? 60'000
                 : unit == "h"                  ? 3'600'000
                                                : -1;
    if (ms < 0 || amount <= 0 || rule.limit <= 0) {
      throw std::invalid_argument("bad rate rule: " + item);
    }
    rule.window = std::chrono::milliseconds(amount * ms);
    rules.push_back(rule);
  }
  return rules;
}

RateDecision RateLimiter::check(const std::string& subject, int64_t now_ms) {
  RateDecision decision;
  decision.remaining = INT64_MAX;
  for (const auto& rule : rules_) {
    const int64_t window = rule.window.count();
    const int64_t slot = now_ms / window;
    auto key = "rl:" + subject + ":" + std::to_string(window) + ":" + std::to_string(slot);
    int64_t count = counters_.incr(key, 1, rule.window + std::chrono::milliseconds(1000));
    int64_t remaining = rule.limit - count;
    if (remaining < decision.remaining) decision.remaining = std::max<int64_t>(remaining, 0);
    if (count > rule.limit) {
      decision.allowed = false;
      int64_t until_ms = (slot + 1) * window - now_ms;
      decision.retry_after_seconds =
          std::max(decision.retry_after_seconds, std::max<int64_t>(1, (until_ms + 999) / 1000));
    }
  }
  return decision;
}

}  // namespace cp::gateway
