// Event bus test cases written once and run on both implementations: event_bus_cases_test.cpp
// on InProcessEventBus, amqp_event_bus_amqptest.cpp on AmqpEventBus against a real RabbitMQ.
// Every test uses its own routing-key namespace and queue names, since a RabbitMQ server (and
// its durable queues) outlives a test.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "platform/backend_testing.h"
#include "platform/db_testing.h"
#include "platform/event_bus.h"
#include "platform/in_process_event_bus.h"
#include "platform/migrations.h"
#include "platform/outbox.h"

namespace cp::events {

struct BusTestOptions {
  int max_attempts = 5;
  std::chrono::milliseconds first_retry_delay{20};
};

class BusUnderTest {
 public:
  virtual ~BusUnderTest() = default;
  virtual EventBus& bus() = 0;
  // Dead letters of `queue`, waiting up to `timeout` until there are at least `expected`.
  virtual std::vector<DeadLetter> dead_letters(const std::string& queue, size_t expected,
                                               std::chrono::milliseconds timeout) = 0;
};

struct BusBackend {
  std::string name;
  std::function<std::unique_ptr<BusUnderTest>(BusTestOptions)> open;
};

// Events a handler saw, for waiting on them from the test thread.
class Received {
 public:
  void add(const CloudEvent& e) {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
    changed_.notify_all();
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  std::vector<CloudEvent> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<CloudEvent> events_;
};

class BusCase : public ::testing::TestWithParam<BusBackend> {
 protected:
  std::unique_ptr<BusUnderTest> open(BusTestOptions o = {}) { return GetParam().open(o); }
  // Routing keys and queue names of this test only.
  std::string ns_ = testing_env::unique_name("t");
  std::string type(const std::string& t) { return ns_ + "." + t; }
  std::string queue(const std::string& q) { return ns_ + "." + q; }
};

using namespace std::chrono_literals;

TEST_P(BusCase, PublishReachesBoundQueuesOnly) {
  Received billing, everything;  // before the bus: handlers use them until it stops
  auto t = open();
  t->bus().subscribe(queue("billing"), {type("device.created"), type("device.deleted")},
                     [&](const CloudEvent& e) { billing.add(e); });
  t->bus().subscribe(queue("all"), {ns_ + ".#"}, [&](const CloudEvent& e) { everything.add(e); });
  EXPECT_THROW(t->bus().subscribe(queue("billing"), {"x"}, [](const CloudEvent&) {}),
               std::logic_error);
  auto created = make_event("/t", type("device.created"), "dev_1", {{"cpus", 4}});
  t->bus().publish(created);
  t->bus().publish(make_event("/t", type("app.installed"), "app_1", {}));
  ASSERT_TRUE(everything.wait_for(2));
  ASSERT_TRUE(billing.wait_for(1));
  std::this_thread::sleep_for(200ms);  // nothing else arrives
  ASSERT_EQ(billing.size(), 1u);
  EXPECT_EQ(everything.size(), 2u);
  auto got = billing.events()[0];
  EXPECT_EQ(got.id, created.id);
  EXPECT_EQ(got.data, created.data);
  EXPECT_EQ(got.time_ms, created.time_ms);
}

TEST_P(BusCase, RedeliversUntilTheHandlerSucceeds) {
  std::atomic<int> calls{0};
  Received done;
  auto t = open({.max_attempts = 5});
  t->bus().subscribe(queue("q"), {type("device.*")}, [&](const CloudEvent& e) {
    if (++calls < 3) throw std::runtime_error("database busy");
    done.add(e);
  });
  t->bus().publish(make_event("/t", type("device.created"), "dev_1", {}));
  ASSERT_TRUE(done.wait_for(1));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_TRUE(t->dead_letters(queue("q"), 0, 0ms).empty());
}

TEST_P(BusCase, DeadLettersAfterMaxAttemptsAndKeepsGoing) {
  std::atomic<int> poison_calls{0};
  Received good;
  auto t = open({.max_attempts = 3});
  t->bus().subscribe(queue("q"), {ns_ + ".#"}, [&](const CloudEvent& e) {
    if (e.subject == "poison") {
      ++poison_calls;
      throw std::runtime_error("cannot handle");
    }
    good.add(e);
  });
  t->bus().publish(make_event("/t", type("x.y"), "poison", {}));
  t->bus().publish(make_event("/t", type("x.y"), "fine", {}));
  ASSERT_TRUE(good.wait_for(1));
  auto dead = t->dead_letters(queue("q"), 1, 10s);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].queue, queue("q"));
  EXPECT_EQ(dead[0].event.subject, "poison");
  EXPECT_EQ(dead[0].error, "cannot handle");
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(poison_calls.load(), 3);
}

TEST_P(BusCase, DuplicateDeliveriesAreDeduplicatedByConsumeOnce) {
  auto db = db::open_test_database(db::Dialect::sqlite);
  db::apply_platform_migrations(*db);
  db->exec_script("CREATE TABLE credits (event_id TEXT, amount BIGINT)");
  Received seen;
  std::atomic<int> applied{0};
  auto t = open();
  t->bus().subscribe(queue("billing"), {type("device.created")}, [&](const CloudEvent& e) {
    if (consume_once(*db, "billing", e, [&](db::Transaction& tx) {
          tx.exec("INSERT INTO credits VALUES ($1, 10)", {e.id});
        })) {
      ++applied;
    }
    seen.add(e);
  });
  // The outbox may publish an event twice (crash between publish and marking the row).
  auto e = make_event("/t", type("device.created"), "dev_1", {});
  t->bus().publish(e);
  t->bus().publish(e);
  ASSERT_TRUE(seen.wait_for(2));
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(db->exec("SELECT COUNT(*) FROM credits").one().int64(0), 1);
}

TEST_P(BusCase, PerProcessSubscriptionsGetEveryEventAlongsideSharedOnes) {
  Received live, shared;
  auto t = open();
  t->bus().subscribe_per_process(queue("live.1"), {ns_ + ".device.#"},
                                 [&](const CloudEvent& e) { live.add(e); });
  t->bus().subscribe(queue("billing"), {ns_ + ".#"}, [&](const CloudEvent& e) { shared.add(e); });
  t->bus().publish(make_event("/t", type("device.created"), "dev_1", {}));
  t->bus().publish(make_event("/t", type("app.installed"), "app_1", {}));
  ASSERT_TRUE(live.wait_for(1));
  ASSERT_TRUE(shared.wait_for(2));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(live.size(), 1u);
  EXPECT_EQ(live.events()[0].subject, "dev_1");
}

TEST_P(BusCase, HandlersMayPublish) {
  Received second;
  auto t = open();
  t->bus().subscribe(queue("first"), {type("a")}, [&](const CloudEvent&) {
    t->bus().publish(make_event("/t", type("b"), "", {}));
  });
  t->bus().subscribe(queue("second"), {type("b")}, [&](const CloudEvent& e) { second.add(e); });
  t->bus().publish(make_event("/t", type("a"), "", {}));
  ASSERT_TRUE(second.wait_for(1));
}

}  // namespace cp::events
