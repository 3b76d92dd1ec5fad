// Live events: who sees which event, and the fan-out from the real in-process bus to open
// connections (a recording WsConnection stands in for the socket).
#include "services/gateway/live_events.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/problem.h"
#include "platform/in_process_event_bus.h"

namespace cp::gateway {
namespace {

class RecordingWs : public http::WsConnection {
 public:
  bool send_text(std::string m) override {
    std::lock_guard lock(mu);
    texts.push_back(std::move(m));
    return true;
  }
  bool send_binary(std::string) override { return true; }
  void close() override {}
  std::vector<std::string> received() {
    std::lock_guard lock(mu);
    return texts;
  }
  std::mutex mu;
  std::vector<std::string> texts;
};

http::Identity user(const std::string& id, std::vector<std::string> roles = {"user"}) {
  http::Identity i;
  i.user_id = id;
  i.roles = std::move(roles);
  return i;
}

events::CloudEvent device_event(const std::string& owner, const std::string& state) {
  return events::make_event("/services/device", "device.started", "dev_1",
                            {{"device_id", "dev_1"}, {"owner_id", owner}, {"state", state}});
}

TEST(LiveEvents, OwnersAndAdminsSeeAnEventOthersDoNot) {
  auto e = device_event("usr_a", "running");
  EXPECT_TRUE(visible_to(e, user("usr_a")));
  EXPECT_FALSE(visible_to(e, user("usr_b")));
  EXPECT_TRUE(visible_to(e, user("usr_admin", {"admin"})));
  EXPECT_TRUE(visible_to(e, user("usr_root", {"super_admin"})));
  EXPECT_FALSE(visible_to(e, http::Identity{}));
  // Other ways services name the user concerned.
  auto app =
      events::make_event("/services/app", "app.approved", "app_1", {{"uploader_id", "usr_b"}});
  EXPECT_TRUE(visible_to(app, user("usr_b")));
  EXPECT_FALSE(visible_to(app, user("usr_a")));
  auto install =
      events::make_event("/services/app", "install.done", "ins_1", {{"user_id", "usr_a"}});
  EXPECT_TRUE(visible_to(install, user("usr_a")));
  // An event naming nobody is for admins only; a non-string owner matches no one.
  EXPECT_FALSE(visible_to(events::make_event("/x", "device.x", "d", {}), user("usr_a")));
  EXPECT_FALSE(visible_to(events::make_event("/x", "device.x", "d", {{"owner_id", 7}}), user("7")));
}

TEST(LiveEvents, EventJsonCarriesTypeSubjectTimeAndData) {
  auto e = device_event("usr_a", "running");
  auto v = boost::json::parse(live_event_json(e)).as_object();
  EXPECT_EQ(v.at("type").as_string(), "device.started");
  EXPECT_EQ(v.at("subject").as_string(), "dev_1");
  EXPECT_EQ(v.at("id").as_string(), e.id);
  EXPECT_EQ(v.at("data").at("state").as_string(), "running");
  EXPECT_EQ(events::parse_rfc3339(v.at("time").as_string()), e.time_ms);
}

TEST(LiveEvents, BusEventsFanOutToTheConnectionsAllowedToSeeThem) {
  events::InProcessEventBus bus;
  auto live = LiveEvents::create(bus);
  auto a = std::make_shared<RecordingWs>(), b = std::make_shared<RecordingWs>(),
       admin = std::make_shared<RecordingWs>();
  live->add(a, user("usr_a"));
  auto kb = live->add(b, user("usr_b"));
  live->add(admin, user("usr_admin", {"admin"}));
  EXPECT_EQ(live->connections(), 3u);

  bus.publish(device_event("usr_a", "running"));
  bus.publish(
      events::make_event("/services/user", "user.created", "usr_c", {{"user_id", "usr_a"}}));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  ASSERT_EQ(a->received().size(), 1u);  // user.* is not bound: only the device event
  EXPECT_NE(a->received()[0].find("\"device.started\""), std::string::npos);
  EXPECT_TRUE(b->received().empty());
  EXPECT_EQ(admin->received().size(), 1u);

  // A closed connection is forgotten; a dropped one (no owner any more) too.
  live->remove(kb);
  admin.reset();
  bus.publish(device_event("usr_b", "stopped"));
  ASSERT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_TRUE(b->received().empty());
  EXPECT_EQ(live->connections(), 1u);
  EXPECT_EQ(a->received().size(), 1u);
}

TEST(LiveEvents, TheBusOutlivingTheGatewayIsHarmless) {
  events::InProcessEventBus bus;
  auto live = LiveEvents::create(bus);
  live.reset();
  bus.publish(device_event("usr_a", "running"));
  EXPECT_TRUE(bus.wait_idle(std::chrono::seconds(5)));
  EXPECT_TRUE(bus.dead_letters().empty());
}

TEST(LiveEvents, AcceptRefusesAnonymousCallersAndPlainRequests) {
  events::InProcessEventBus bus;
  auto live = LiveEvents::create(bus);
  http::Request req{http::Method::get, "/api/v1/events/ws", 11};
  http::RequestContext anon{req};
  try {
    live->accept(anon);
    FAIL() << "anonymous accepted";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::unauthorized);
  }
  http::RequestContext plain{req};
  plain.identity = user("usr_a");
  try {
    live->accept(plain);
    FAIL() << "non-upgrade accepted";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::upgrade_required);
  }
}

}  // namespace
}  // namespace cp::gateway
