// The breaker's state machine on a fake clock: it opens at the failure ratio once enough calls
// happened in the window, lets exactly one probe through when half-open, closes on success.
#include "core/circuit_breaker.h"

#include <gtest/gtest.h>

namespace cp::http {
namespace {

using namespace std::chrono_literals;
using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreaker::Options options() {
    CircuitBreaker::Options o;
    o.window = 10s;
    o.min_calls = 4;
    o.failure_ratio = 0.5;
    o.reset_after = 30s;
    return o;
  }
  void record(CircuitBreaker& b, bool success) {
    ASSERT_TRUE(b.allow(now_));
    b.record(success, now_);
  }
  CircuitBreaker::Clock::time_point now_ = CircuitBreaker::Clock::time_point{} + 1000s;
};

TEST_F(CircuitBreakerTest, StaysClosedBelowMinimumCalls) {
  CircuitBreaker b(options());
  for (int i = 0; i < 3; ++i) record(b, false);
  EXPECT_EQ(b.state(now_), State::closed);
  EXPECT_TRUE(b.allow(now_));
}

TEST_F(CircuitBreakerTest, StaysClosedBelowFailureRatio) {
  CircuitBreaker b(options());
  record(b, true);
  record(b, true);
  record(b, true);
  record(b, false);  // 1 of 4 = 25 %
  record(b, true);
  EXPECT_EQ(b.state(now_), State::closed);
}

TEST_F(CircuitBreakerTest, OpensAtHalfFailuresWithMinimumCalls) {
  CircuitBreaker b(options());
  record(b, true);
  record(b, false);
  record(b, true);
  EXPECT_EQ(b.state(now_), State::closed);
  record(b, false);  // 2 of 4 = 50 %
  EXPECT_EQ(b.state(now_), State::open);
  EXPECT_FALSE(b.allow(now_));
  EXPECT_FALSE(b.allow(now_ + 29s));
}

TEST_F(CircuitBreakerTest, OldOutcomesLeaveTheWindow) {
  CircuitBreaker b(options());
  record(b, false);
  record(b, false);
  record(b, false);
  now_ += 11s;  // those three failures are now outside the 10 s window
  record(b, true);
  EXPECT_EQ(b.state(now_), State::closed);
  record(b, true);
  record(b, false);
  EXPECT_EQ(b.state(now_), State::closed);  // 1 of 3, and below min_calls
}

TEST_F(CircuitBreakerTest, HalfOpenLetsASingleProbeThroughAndClosesOnSuccess) {
  CircuitBreaker b(options());
  for (int i = 0; i < 4; ++i) record(b, false);
  ASSERT_EQ(b.state(now_), State::open);
  now_ += 30s;
  EXPECT_EQ(b.state(now_), State::half_open);
  EXPECT_TRUE(b.allow(now_));   // the probe
  EXPECT_FALSE(b.allow(now_));  // everyone else waits for it
  EXPECT_FALSE(b.allow(now_ + 1s));
  b.record(true, now_ + 1s);
  EXPECT_EQ(b.state(now_ + 1s), State::closed);
  EXPECT_TRUE(b.allow(now_ + 1s));
  // The failures from before are forgotten: one new failure does not re-open it.
  b.record(false, now_ + 2s);
  EXPECT_EQ(b.state(now_ + 2s), State::closed);
}

TEST_F(CircuitBreakerTest, FailedProbeReopensForAnotherFullPeriod) {
  CircuitBreaker b(options());
  for (int i = 0; i < 4; ++i) record(b, false);
  now_ += 30s;
  ASSERT_TRUE(b.allow(now_));
  b.record(false, now_);
  EXPECT_EQ(b.state(now_), State::open);
  EXPECT_FALSE(b.allow(now_ + 29s));
  EXPECT_TRUE(b.allow(now_ + 30s));
}

TEST_F(CircuitBreakerTest, LateAnswersWhileOpenAreIgnored) {
  CircuitBreaker b(options());
  for (int i = 0; i < 4; ++i) record(b, false);
  b.record(true, now_);
  b.record(true, now_);
  EXPECT_EQ(b.state(now_), State::open);
}

}  // namespace
}  // namespace cp::http
