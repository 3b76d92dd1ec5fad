// CloudEvents JSON, RFC 3339 time, topic patterns and the in-process bus.
#include <gtest/gtest.h>

#include <atomic>

#include "platform/event_bus.h"
#include "platform/events.h"
#include "platform/in_process_event_bus.h"

namespace cp::events {
namespace {

TEST(CloudEventJson, RoundTripsEveryAttribute) {
  CloudEvent e = make_event("/services/device", "device.created", "dev_1",
                            {{"name", "phone \"1\""}, {"cpus", 4}}, "00-trace-span-01");
  boost::json::object json = to_json(e);
  EXPECT_EQ(json.at("specversion").as_string(), "1.0");
  EXPECT_EQ(json.at("datacontenttype").as_string(), "application/json");
  CloudEvent back = event_from_json_string(to_json_string(e));
  EXPECT_EQ(back.id, e.id);
  EXPECT_EQ(back.source, e.source);
  EXPECT_EQ(back.type, e.type);
  EXPECT_EQ(back.subject, e.subject);
  EXPECT_EQ(back.time_ms, e.time_ms);
  EXPECT_EQ(back.data, e.data);
  EXPECT_EQ(back.traceparent, e.traceparent);
}

TEST(CloudEventJson, RejectsInvalidEvents) {
  EXPECT_THROW(event_from_json_string("not json"), std::invalid_argument);
  EXPECT_THROW(event_from_json_string("[]"), std::invalid_argument);
  EXPECT_THROW(event_from_json_string(R"({"specversion":"0.3","id":"a","source":"s","type":"t"})"),
               std::invalid_argument);
  EXPECT_THROW(event_from_json_string(R"({"specversion":"1.0","source":"s","type":"t"})"),
               std::invalid_argument);
  EXPECT_THROW(
      event_from_json_string(R"({"specversion":"1.0","id":"a","source":"s","type":"t","data":5})"),
      std::invalid_argument);
  CloudEvent minimal =
      event_from_json_string(R"({"specversion":"1.0","id":"a","source":"s","type":"t"})");
  EXPECT_TRUE(minimal.data.empty());
  EXPECT_EQ(minimal.time_ms, 0);
}

TEST(CloudEventIds, AreUniqueAndTimeSortable) {
  std::string a = new_event_id();
  std::string b = new_event_id();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.rfind("evt_", 0), 0u);
  EXPECT_LE(a.substr(0, 16), b.substr(0, 16));
}

TEST(Rfc3339, FormatsAndParses) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1714564800123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00.123Z"), 1714564800123);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00Z"), 1714564800000);
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:00:00.5+02:00"), 1714564800500);
  EXPECT_EQ(parse_rfc3339("2024-05-01T11:30:00.123456-00:30"), 1714564800123);
  for (const char* bad : {"", "2024-05-01", "2024-05-01T12:00:00", "2024-13-01T00:00:00Z",
                          "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zjunk"}) {
    EXPECT_THROW(parse_rfc3339(bad), std::invalid_argument) << bad;
  }
}

TEST(TopicPattern, MatchesLikeAmqp) {
  EXPECT_TRUE(topic_matches("device.created", "device.created"));
  EXPECT_FALSE(topic_matches("device.created", "device.deleted"));
  EXPECT_TRUE(topic_matches("device.*", "device.created"));
  EXPECT_FALSE(topic_matches("device.*", "device"));
  EXPECT_FALSE(topic_matches("device.*", "device.snapshot.created"));
  EXPECT_TRUE(topic_matches("device.#", "device"));
  EXPECT_TRUE(topic_matches("device.#", "device.snapshot.created"));
  EXPECT_TRUE(topic_matches("#", "anything.at.all"));
  EXPECT_TRUE(topic_matches("*.created", "app.created"));
  EXPECT_FALSE(topic_matches("*.created", "app.installed"));
  EXPECT_TRUE(topic_matches("#.created", "device.snapshot.created"));
  EXPECT_TRUE(topic_matches("a.#.z", "a.z"));
  EXPECT_TRUE(topic_matches("a.#.z", "a.b.c.z"));
  EXPECT_FALSE(topic_matches("a.#.z", "a.b.c"));
  EXPECT_TRUE(topic_matches("*.*.#", "a.b"));
  EXPECT_FALSE(topic_matches("*.*.#", "a"));
  EXPECT_FALSE(topic_matches("device", "devices"));
}

InProcessEventBusOptions fast_retries(int max_attempts) {
  InProcessEventBusOptions o;
  o.max_attempts = max_attempts;
  o.first_retry_delay = std::chrono::milliseconds(5);
  return o;
}

TEST(InProcessEventBus, DeliversToBoundQueuesOnly) {
  InProcessEventBus bus;
  std::atomic<int> billing{0}, notification{0};
  bus.subscribe("billing.metering", {"device.created", "device.deleted"},
                [&](const CloudEvent&) { ++billing; });
  bus.subscribe("notification.all", {"#"}, [&](const CloudEvent&) { ++notification; });
  EXPECT_THROW(bus.subscribe("billing.metering", {"x"}, [](const CloudEvent&) {}),
               std::logic_error);
  bus.publish(make_event("/t", "device.created", "dev_1", {}));
  bus.publish(make_event("/t", "app.installed", "app_1", {}));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(billing.load(), 1);
  EXPECT_EQ(notification.load(), 2);
}

TEST(InProcessEventBus, RedeliversUntilTheHandlerSucceeds) {
  InProcessEventBus bus(fast_retries(5));
  std::atomic<int> calls{0};
  bus.subscribe("q", {"device.*"}, [&](const CloudEvent&) {
    if (++calls < 3) throw std::runtime_error("database busy");
  });
  bus.publish(make_event("/t", "device.created", "dev_1", {}));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(calls.load(), 3);
  EXPECT_TRUE(bus.dead_letters().empty());
}

TEST(InProcessEventBus, DeadLettersAfterMaxAttemptsAndKeepsGoing) {
  InProcessEventBus bus(fast_retries(3));
  std::atomic<int> poison_calls{0}, good_calls{0};
  bus.subscribe("q", {"#"}, [&](const CloudEvent& e) {
    if (e.subject == "poison") {
      ++poison_calls;
      throw std::runtime_error("cannot handle");
    }
    ++good_calls;
  });
  bus.publish(make_event("/t", "x.y", "poison", {}));
  bus.publish(make_event("/t", "x.y", "fine", {}));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(poison_calls.load(), 3);
  EXPECT_EQ(good_calls.load(), 1);
  auto dead = bus.dead_letters();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].queue, "q");
  EXPECT_EQ(dead[0].event.subject, "poison");
  EXPECT_EQ(dead[0].error, "cannot handle");
  EXPECT_EQ(dead[0].attempts, 3);
}

TEST(InProcessEventBus, HandlersMayPublish) {
  InProcessEventBus bus;
  std::atomic<int> second{0};
  bus.subscribe("first", {"a"},
                [&](const CloudEvent&) { bus.publish(make_event("/t", "b", "", {})); });
  bus.subscribe("second", {"b"}, [&](const CloudEvent&) { ++second; });
  bus.publish(make_event("/t", "a", "", {}));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_EQ(second.load(), 1);
}

}  // namespace
}  // namespace cp::events
