// `cloudphone serve` on the real backends of a deployment: PostgreSQL, Redis and RabbitMQ
// (fixtures pg, redis, rabbitmq). One user process and two gateway processes:
//  - a user.registered event goes from the user service's outbox (PostgreSQL, marked published
//    only after RabbitMQ's publisher confirm) through the exchange cloudphone.events to a
//    consumer here, which applies it once with consume_once;
//  - both gateways count rate limits in the same Redis: a caller's limit is shared, not per
//    instance.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "itest_support.h"
#include "platform/amqp_event_bus.h"
#include "platform/backend_testing.h"
#include "platform/db.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "platform/outbox.h"
#include "platform/redis_client.h"

namespace cp::itest {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

TEST(ServeBackends, UserEventsFlowThroughRabbitMqAndRateLimitsAreSharedInRedis) {
  const std::string core_url = db::create_test_postgres_database();
  const std::string billing_url = db::create_test_postgres_database();
  const std::string redis_url = testing_env::test_redis_url();
  const std::string amqp_url = testing_env::test_amqp_url();
  const std::string prefix = testing_env::unique_name("itest_") + ":";
  TempDir dir("cp_itest_backends_");
  const uint16_t user_port = free_port(), gw1_port = free_port(), gw2_port = free_port();
  Settings common{{"db.core_url", core_url},
                  {"db.billing_url", billing_url},
                  {"db.pool_size", "4"},
                  {"redis.url", redis_url},
                  {"redis.prefix", prefix},
                  {"amqp.url", amqp_url},
                  {"auth.jwt_secret", "itest-backends-jwt-secret-0123456789abcdef"},
                  {"auth.internal_secret", "itest-backends-internal-secret-0123456789"},
                  {"log.level", "warn"}};

  // The consumer (e.g. the notification service) first, so its queue exists before the event.
  auto consumer_db = db::open_test_database(db::Dialect::sqlite);
  db::apply_platform_migrations(*consumer_db);
  consumer_db->exec_script("CREATE TABLE welcomed (user_id TEXT)");
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<events::CloudEvent> received;
  events::AmqpEventBusOptions bus_options;
  bus_options.url = amqp_url;
  events::AmqpEventBus bus(bus_options);
  const std::string queue = testing_env::unique_name("itest.welcome.");
  bus.subscribe(queue, {"user.#"}, [&](const events::CloudEvent& e) {
    events::consume_once(*consumer_db, "welcome", e, [&](db::Transaction& tx) {
      tx.exec("INSERT INTO welcomed VALUES ($1)", {e.subject});
    });
    std::lock_guard lock(mutex);
    received.push_back(e);
    arrived.notify_all();
  });

  Settings user_cfg = common;
  user_cfg["data.dir"] = (dir.path() / "user-data").string();
  user_cfg["user.host"] = "127.0.0.1";
  user_cfg["user.port"] = std::to_string(user_port);
  Process user("user", {"serve", "user"}, user_cfg, dir.path());
  user.start();
  ASSERT_TRUE(user.wait_healthy(user_port, 60s)) << user.diagnostics();
  auto gateway_cfg = [&](uint16_t port, const std::string& name) {
    Settings s = common;
    s["data.dir"] = (dir.path() / name).string();
    s["gateway.host"] = "127.0.0.1";
    s["gateway.port"] = std::to_string(port);
    s["gateway.rate_limit.user"] = "6/1h";
    s["gateway.rate_limit.ip"] = "100000/1s";
    s["services.user.urls"] = "http://127.0.0.1:" + std::to_string(user_port);
    return s;
  };
  Process gw1("gateway1", {"serve", "gateway"}, gateway_cfg(gw1_port, "gw1"), dir.path());
  Process gw2("gateway2", {"serve", "gateway"}, gateway_cfg(gw2_port, "gw2"), dir.path());
  gw1.start();
  gw2.start();
  ASSERT_TRUE(gw1.wait_healthy(gw1_port, 60s)) << gw1.diagnostics();
  ASSERT_TRUE(gw2.wait_healthy(gw2_port, 60s)) << gw2.diagnostics();
  auto diagnostics = [&] {
    return user.diagnostics() + "\n" + gw1.diagnostics() + "\n" + gw2.diagnostics();
  };
  Client c1(gw1_port), c2(gw2_port);
  EXPECT_EQ(c1.get("/ready").status, 200) << diagnostics();

  json::object login;
  try {
    login = register_and_login(c1, "backends_user");
  } catch (const std::exception& e) {
    FAIL() << e.what() << "\n" << diagnostics();
  }
  const std::string token(login["access_token"].as_string());
  const std::string user_id(login["user"].as_object().at("id").as_string());

  // The event arrives through RabbitMQ.
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(arrived.wait_for(
        lock, 20s,
        [&] {
          return std::any_of(received.begin(), received.end(), [&](const events::CloudEvent& e) {
            return e.type == "user.registered" && e.subject == user_id;
          });
        }))
        << "no user.registered for " << user_id << "\n"
        << diagnostics();
  }
  auto core = db::open_database(core_url, 1);
  EXPECT_EQ(core->exec("SELECT COUNT(*) FROM outbox WHERE type = 'user.registered' AND "
                       "published_at IS NOT NULL")
                .one()
                .int64(0),
            1);
  EXPECT_EQ(consumer_db->exec("SELECT COUNT(*) FROM welcomed WHERE user_id = $1", {user_id})
                .one()
                .int64(0),
            1);

  // 6 requests per hour for this caller, over both gateways together. (Login and register
  // were anonymous: limited by IP, generously.)
  std::vector<int> statuses;
  for (int i = 0; i < 8; ++i) {
    Client& c = i % 2 ? c2 : c1;
    statuses.push_back(c.get("/api/v1/users/me", bearer(token)).status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 200, 200, 200, 429, 429})) << diagnostics();
  // The counters are Redis keys under the configured prefix.
  redis::RedisOptions ro;
  ro.url = redis_url;
  redis::RedisClient redis(ro);
  auto keys = redis.command({"KEYS", prefix + "rl:user:" + user_id + ":*"});
  ASSERT_EQ(keys.elements.size(), 1u);
  EXPECT_EQ(redis.command({"GET", keys.elements[0].str}).str, "8");
}

}  // namespace
}  // namespace cp::itest
