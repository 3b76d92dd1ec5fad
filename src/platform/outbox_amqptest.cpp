// The outbox relay publishing to RabbitMQ from PostgreSQL (fixtures rabbitmq and pg): rows are
// marked published only after the broker's publisher confirm, a broker refusal leaves them
// for later, and a consumer applies each event once via consume_once.
#include "platform/amqp_event_bus.h"
#include "platform/event_bus_cases.h"

namespace cp::events {
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BusCase);  // only Received is used here
namespace {

AmqpEventBusOptions options(const std::string& exchange) {
  AmqpEventBusOptions a;
  a.url = testing_env::test_amqp_url();
  a.exchange = exchange;
  a.first_retry_delay = std::chrono::milliseconds(20);
  return a;
}

void enqueue(db::Database& db, const CloudEvent& e) {
  db.transaction([&](db::Transaction& tx) { enqueue_event(tx, e); });
}

TEST(OutboxToRabbitMq, RelayedEventsReachAConsumerThatAppliesThemOnce) {
  auto producer_db = db::open_test_database(db::Dialect::postgres);
  auto consumer_db = db::open_test_database(db::Dialect::postgres);
  db::apply_platform_migrations(*producer_db);
  db::apply_platform_migrations(*consumer_db);
  consumer_db->exec_script("CREATE TABLE welcomed (user_id TEXT)");
  const std::string ns = testing_env::unique_name("ob");
  Received seen;
  AmqpEventBus bus(options("cloudphone.events"));
  bus.subscribe(ns + ".notification", {ns + ".user.*"}, [&](const CloudEvent& e) {
    consume_once(*consumer_db, "notification", e, [&](db::Transaction& tx) {
      tx.exec("INSERT INTO welcomed VALUES ($1)", {e.subject});
    });
    seen.add(e);
  });
  constexpr int kEvents = 25;
  for (int i = 0; i < kEvents; ++i) {
    enqueue(*producer_db, make_event("/services/user", ns + ".user.registered",
                                     "usr_" + std::to_string(i), {{"i", i}}));
  }
  OutboxRelay relay(*producer_db, bus);
  EXPECT_EQ(relay.pending_count(), kEvents);
  EXPECT_EQ(relay.relay_once(), kEvents);
  EXPECT_EQ(relay.pending_count(), 0);
  ASSERT_TRUE(seen.wait_for(kEvents));
  // Relaying the same rows again (a relay that died before marking them) changes nothing.
  producer_db->exec("UPDATE outbox SET published_at = NULL");
  EXPECT_EQ(relay.relay_once(), kEvents);
  ASSERT_TRUE(seen.wait_for(2 * kEvents));
  EXPECT_EQ(consumer_db->exec("SELECT COUNT(*) FROM welcomed").one().int64(0), kEvents);
  EXPECT_EQ(consumer_db->exec("SELECT COUNT(DISTINCT user_id) FROM welcomed").one().int64(0),
            kEvents);
}

TEST(OutboxToRabbitMq, RowsStayUnpublishedWhileTheBrokerRefuses) {
  auto db = db::open_test_database(db::Dialect::postgres);
  db::apply_platform_migrations(*db);
  const std::string ns = testing_env::unique_name("refuse");
  const std::string exchange = ns + ".events";
  Received seen;
  AmqpEventBus bus(options(exchange));  // declares the exchange
  bus.subscribe(ns + ".q", {"#"}, [&](const CloudEvent& e) { seen.add(e); });
  // Without its exchange the broker closes the channel instead of confirming.
  amqp::Connection admin({testing_env::test_amqp_url()});
  admin.delete_exchange(exchange);
  enqueue(*db, make_event("/t", "user.registered", "usr_1", {}));
  OutboxRelay relay(*db, bus);
  EXPECT_EQ(relay.relay_once(), 0);
  EXPECT_EQ(relay.pending_count(), 1);
  auto row = db->exec("SELECT attempts, last_error FROM outbox").one();
  EXPECT_EQ(row.int64(0), 1);
  EXPECT_NE(row.text(1).find("NOT_FOUND"), std::string::npos) << row.text(1);
  // The exchange is back (and bound again): the row goes out.
  admin.declare_topic_exchange(exchange);
  admin.bind(ns + ".q", exchange, "#");
  EXPECT_EQ(relay.relay_once(), 1);
  EXPECT_EQ(relay.pending_count(), 0);
  ASSERT_TRUE(seen.wait_for(1));
}

TEST(OutboxToRabbitMq, BackgroundRelayDeliversWithoutBeingPoked) {
  auto db = db::open_test_database(db::Dialect::postgres);
  db::apply_platform_migrations(*db);
  const std::string ns = testing_env::unique_name("bg");
  Received seen;
  AmqpEventBus bus(options("cloudphone.events"));
  bus.subscribe(ns + ".q", {ns + ".#"}, [&](const CloudEvent& e) { seen.add(e); });
  OutboxRelay relay(*db, bus, OutboxRelayOptions{.poll_interval = std::chrono::milliseconds(100)});
  relay.start();
  enqueue(*db, make_event("/t", ns + ".device.created", "dev_1", {}));  // wakes the relay
  ASSERT_TRUE(seen.wait_for(1));
  relay.stop();
  EXPECT_EQ(relay.pending_count(), 0);
}

}  // namespace
}  // namespace cp::events
