#pragma once
// Circuit breaker for calls to another service instance. Closed: calls flow, outcomes are
// counted in a sliding time window; when at least `min_calls` happened in the window and
// `failure_ratio` of them failed, it opens. Open: calls are refused at once (fast 503) until
// `reset_after` passes; then half-open lets one probe through: success closes, failure re-opens.
// Pure logic with an injected clock, so tests run without sleeping.
#include <chrono>
#include <deque>
#include <mutex>

namespace cp::http {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    std::chrono::milliseconds window{10'000};
    size_t min_calls = 5;
    double failure_ratio = 0.5;
    std::chrono::milliseconds reset_after{30'000};
  };
  enum class State { closed, open, half_open };

  CircuitBreaker() : CircuitBreaker(Options{}) {}
  explicit CircuitBreaker(Options options) : options_(options) {}

  // True when a call may proceed now (in half-open, only the single probe).
  bool allow(Clock::time_point now = Clock::now());
  void record(bool success, Clock::time_point now = Clock::now());
  State state(Clock::time_point now = Clock::now());

 private:
  void trim(Clock::time_point now);
  Options options_;
  std::mutex mu_;
  State state_ = State::closed;
  Clock::time_point opened_at_{};
  bool probe_in_flight_ = false;
  std::deque<std::pair<Clock::time_point, bool>> outcomes_;
};

}  // namespace cp::http
