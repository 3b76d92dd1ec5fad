// Outbox and consumer-dedup cases, run on both backends (db_test.cpp, db_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "platform/db_testing.h"
#include "platform/in_process_event_bus.h"
#include "platform/migrations.h"
#include "platform/outbox.h"

namespace cp::events {

// Records what a subscriber received.
struct Received {
  std::mutex mutex;
  std::vector<CloudEvent> events;
  void add(const CloudEvent& e) {
    std::lock_guard lock(mutex);
    events.push_back(e);
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return events.size();
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return size() >= n;
  }
};

// Throws on publish while `failing` is set.
class FlakyBus final : public EventBus {
 public:
  explicit FlakyBus(EventBus& inner) : inner_(inner) {}
  void publish(const CloudEvent& e) override {
    if (failing) throw std::runtime_error("broker unreachable");
    inner_.publish(e);
  }
  void subscribe(const std::string& q, std::vector<std::string> keys, Handler h) override {
    inner_.subscribe(q, std::move(keys), std::move(h));
  }
  std::atomic<bool> failing{false};

 private:
  EventBus& inner_;
};

class OutboxCase : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(GetParam());
    db::apply_platform_migrations(*db_);
    db_->exec_script("CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT NOT NULL)");
    bus_.subscribe("test.devices", {"device.*"}, [this](const CloudEvent& e) { received_.add(e); });
  }
  void create_device(const std::string& id, bool fail_after_enqueue = false) {
    db_->transaction([&](db::Transaction& tx) {
      tx.exec("INSERT INTO devices (id, name) VALUES ($1, $2)", {id, std::string("phone")});
      enqueue_event(tx, make_event("/services/device", "device.created", id,
                                   {{"device_id", id}, {"cpus", 2}}, "00-abc-def-01"));
      if (fail_after_enqueue) throw std::runtime_error("failed after enqueue");
    });
  }
  OutboxRelayOptions slow_polling() {
    OutboxRelayOptions o;
    o.poll_interval = std::chrono::seconds(30);  // only pokes drive the relay in these tests
    o.first_error_delay = std::chrono::milliseconds(20);
    return o;
  }
  std::unique_ptr<db::Database> db_;
  Received received_;
  InProcessEventBus bus_;
};

TEST_P(OutboxCase, RolledBackEnqueueIsNeverRelayed) {
  EXPECT_THROW(create_device("dev_rollback", true), std::runtime_error);
  OutboxRelay relay(*db_, bus_);
  EXPECT_EQ(relay.relay_once(), 0);
  EXPECT_EQ(relay.pending_count(), 0);
  EXPECT_TRUE(bus_.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(received_.size(), 0u);
}

TEST_P(OutboxCase, CommittedEventIsRelayedExactlyOnce) {
  OutboxRelay relay(*db_, bus_, slow_polling());
  relay.start();
  create_device("dev_1");  // the commit pokes the relay
  ASSERT_TRUE(received_.wait_for(1, std::chrono::seconds(5)));
  relay.stop();
  EXPECT_EQ(relay.relay_once(), 0);
  EXPECT_TRUE(bus_.wait_idle(std::chrono::seconds(5)));
  ASSERT_EQ(received_.size(), 1u);
  const CloudEvent& e = received_.events[0];
  EXPECT_EQ(e.type, "device.created");
  EXPECT_EQ(e.subject, "dev_1");
  EXPECT_EQ(e.source, "/services/device");
  EXPECT_EQ(e.traceparent, "00-abc-def-01");
  EXPECT_EQ(e.data.at("device_id").as_string(), "dev_1");
  EXPECT_EQ(e.data.at("cpus").as_int64(), 2);
  EXPECT_EQ(e.id.rfind("evt_", 0), 0u);
  EXPECT_EQ(relay.pending_count(), 0);
}

TEST_P(OutboxCase, NewRelayPublishesWhatAnEarlierProcessLeft) {
  // Committed, then "the process died" before any relay ran.
  for (int i = 0; i < 3; ++i) create_device("dev_" + std::to_string(i));
  OutboxRelay relay(*db_, bus_, slow_polling());
  relay.start();  // a relay starts by draining what is pending
  ASSERT_TRUE(received_.wait_for(3));
  relay.stop();
  ASSERT_EQ(received_.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(received_.events[i].subject, "dev_" + std::to_string(i));
}

TEST_P(OutboxCase, BusFailureKeepsRowsForLater) {
  FlakyBus flaky(bus_);
  flaky.failing = true;
  create_device("dev_a");
  create_device("dev_b");
  OutboxRelay relay(*db_, flaky);
  EXPECT_EQ(relay.relay_once(), 0);
  EXPECT_EQ(relay.pending_count(), 2);
  EXPECT_EQ(db_->exec("SELECT attempts, last_error FROM outbox ORDER BY seq")[0].int64(0), 1);
  flaky.failing = false;
  EXPECT_EQ(relay.relay_once(), 2);
  ASSERT_TRUE(received_.wait_for(2));
  EXPECT_EQ(received_.events[0].subject, "dev_a");
  EXPECT_EQ(relay.pending_count(), 0);
}

TEST_P(OutboxCase, ConcurrentRelaysPublishEachEventOnce) {
  for (int i = 0; i < 60; ++i) create_device("dev_" + std::to_string(i));
  OutboxRelayOptions options = slow_polling();
  options.batch_size = 7;
  OutboxRelay first(*db_, bus_, options), second(*db_, bus_, options);
  first.start();
  second.start();
  ASSERT_TRUE(received_.wait_for(60));
  first.stop();
  second.stop();
  EXPECT_TRUE(bus_.wait_idle(std::chrono::seconds(5)));
  std::set<std::string> ids;
  for (const auto& e : received_.events) ids.insert(e.id);
  EXPECT_EQ(ids.size(), 60u);
  EXPECT_EQ(received_.size(), 60u);
}

TEST_P(OutboxCase, ConsumeOnceDeduplicates) {
  db_->exec_script("CREATE TABLE meters (device_id TEXT PRIMARY KEY)");
  CloudEvent e = make_event("/services/device", "device.created", "dev_m", {});
  auto effect = [&](db::Transaction& tx) {
    tx.exec("INSERT INTO meters (device_id) VALUES ($1)", {e.subject});
  };
  EXPECT_TRUE(consume_once(*db_, "billing", e, effect));
  EXPECT_FALSE(consume_once(*db_, "billing", e, effect));  // redelivery: no effect
  EXPECT_TRUE(consume_once(*db_, "notification", e, [](db::Transaction&) {}));  // other consumer
  EXPECT_EQ(db_->exec("SELECT COUNT(*) FROM meters").one().int64(0), 1);

  CloudEvent failing = make_event("/services/device", "device.created", "dev_f", {});
  EXPECT_THROW(consume_once(*db_, "billing", failing,
                            [](db::Transaction&) { throw std::runtime_error("effect failed"); }),
               std::runtime_error);
  // Not recorded as processed, so the redelivery runs the effect.
  EXPECT_TRUE(consume_once(*db_, "billing", failing, [](db::Transaction&) {}));
}

}  // namespace cp::events
