#include "core/circuit_breaker.h"

namespace cp::http {

void CircuitBreaker::trim(Clock::time_point now) {
  while (!outcomes_.empty() && now - outcomes_.front().first > options_.window) {
    outcomes_.pop_front();
  }
}

bool CircuitBreaker::allow(Clock::time_point now) {
  std::lock_guard lock(mu_);
  switch (state_) {
    case State::closed:
      return true;
    case State::open:
      if (now - opened_at_ < options_.reset_after) return false;
      state_ = State::half_open;
      probe_in_flight_ = true;
      return true;
    case State::half_open:
      if (probe_in_flight_) return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::record(bool success, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (state_ == State::half_open) {
    probe_in_flight_ = false;
    if (success) {
      state_ = State::closed;
      outcomes_.clear();
    } else {
      state_ = State::open;
      opened_at_ = now;
    }
    return;
  }
  if (state_ == State::open) return;  // a late answer from before it opened
  outcomes_.emplace_back(now, success);
  trim(now);
  if (outcomes_.size() < options_.min_calls) return;
  size_t failures = 0;
  for (const auto& o : outcomes_) failures += o.second ? 0 : 1;
  if (static_cast<double>(failures) >=
      options_.failure_ratio * static_cast<double>(outcomes_.size())) {
    state_ = State::open;
    opened_at_ = now;
  }
}

CircuitBreaker::State CircuitBreaker::state(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (state_ == State::open && now - opened_at_ >= options_.reset_after) return State::half_open;
  return state_;
}

}  // namespace cp::http
