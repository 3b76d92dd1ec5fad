// Route-level tests: the Router called directly with an Identity (as the gateway would), on
// SQLite, with a FakeRuntime and a ready probe that says "booted" — no processes, no ADB.
#include "core/openapi.h"
#include "services/device/device_routes_fixture_test_support.h"

namespace cp::device {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;

TEST_F(DeviceRoutes, EveryRouteDeclaresADevicePermission) {
  for (const auto& r : router_.routes()) {
    EXPECT_EQ(r->access, http::Access::permission) << r->pattern;
    EXPECT_EQ(r->permission.rfind("device:", 0), 0u) << r->pattern;
  }
}

// The strict response check (CP_CHECK_RESPONSES=1) covers the routes a test calls; this covers
// every route: JSON success bodies are documented, and one component name means one shape.
TEST_F(DeviceRoutes, EveryJsonRouteDocumentsItsResponseWithUniqueNames) {
  EXPECT_EQ(http::documentation_problems({&router_}), std::vector<std::string>{});
  const auto doc = http::openapi_document("t", "0", {&router_});
  const auto& published = doc.at("components").at("schemas").as_object();
  for (const char* name : {"Device", "DeviceSpec", "DeviceTemplate", "Snapshot", "BatchOperation"})
    EXPECT_TRUE(published.contains(name)) << name;
}

TEST_F(DeviceRoutes, CreateBootsToRunningWithEventsInOrder) {
  auto r = call(Method::post, "/api/v1/devices", alice_,
                json::object{{"name", "p1"}, {"spec", {{"width", 1080}, {"height", 1920}}}});
  ASSERT_EQ(r.status, Status::created) << json::serialize(r.body);
  EXPECT_EQ(r.body["state"], "creating");
  EXPECT_EQ(r.body["owner_id"], "usr_alice");
  EXPECT_EQ(r.body.at("spec").at("width"), 1080);
  std::string id(r.body["id"].as_string());
  EXPECT_EQ(id.rfind("dev_", 0), 0u);
  drain();
  auto got = call(Method::get, "/api/v1/devices/" + id, alice_);
  EXPECT_EQ(got.body["state"], "running") << json::serialize(got.body);
  EXPECT_TRUE(got.body["started_at"].is_string());
  EXPECT_EQ(got.body.at("adb").at("port"), 40000);
  EXPECT_EQ(events(), (std::vector<std::string>{"device.created", "device.started"}));
}

TEST_F(DeviceRoutes, InvalidSpecIs400NamingTheField) {
  auto r = call(Method::post, "/api/v1/devices", alice_,
                json::object{{"name", "p"}, {"spec", {{"width", 100}}}});
  EXPECT_EQ(r.status, Status::bad_request);
  EXPECT_EQ(r.body["field"], "spec.width");
  r = call(Method::post, "/api/v1/devices", alice_,
           json::object{{"name", "p"}, {"spec", {{"width", 721}}}});
  EXPECT_EQ(r.body["field"], "spec.width");
  r = call(Method::post, "/api/v1/devices", alice_, json::object{{"spec", json::object{}}});
  EXPECT_EQ(r.body["field"], "name");
  EXPECT_TRUE(events().empty());  // nothing half-written
}

TEST_F(DeviceRoutes, IdempotencyKeyReturnsTheSameDevice) {
  auto a = call(Method::post, "/api/v1/devices", alice_, json::object{{"name", "p"}}, "k-1");
  auto b = call(Method::post, "/api/v1/devices", alice_, json::object{{"name", "p"}}, "k-1");
  EXPECT_EQ(a.body["id"], b.body["id"]);
  auto c = call(Method::post, "/api/v1/devices", bob_, json::object{{"name", "p"}}, "k-1");
  EXPECT_NE(a.body["id"], c.body["id"]);  // keys are per caller
  drain();
  EXPECT_EQ(call(Method::get, "/api/v1/devices", alice_).body["items"].as_array().size(), 1u);
}

TEST_F(DeviceRoutes, QuotaExceededIs409WithAClearMessage) {
  quota_ = {1, 0, 0};
  create(alice_);
  auto r = call(Method::post, "/api/v1/devices", alice_, json::object{{"name", "second"}});
  EXPECT_EQ(r.status, Status::conflict);
  EXPECT_EQ(r.body["code"], "quota_exceeded");
  EXPECT_NE(std::string(r.body["detail"].as_string()).find("1 of 1 devices"), std::string::npos);
  quota_ = {5, 3, 0};
  r = call(Method::post, "/api/v1/devices", alice_,
           json::object{{"name", "big"}, {"spec", {{"cpu_cores", 2}}}});
  EXPECT_EQ(r.body["code"], "quota_exceeded");  // 2 + 2 cores > 3
}

TEST_F(DeviceRoutes, OtherUsersDevicesAre404OnEveryRoute) {
  auto id = create(alice_);
  drain();
  for (auto [m, suffix] : std::vector<std::pair<Method, std::string>>{{Method::get, ""},
                                                                      {Method::delete_, ""},
                                                                      {Method::post, "/start"},
                                                                      {Method::post, "/stop"},
                                                                      {Method::post, "/restart"},
                                                                      {Method::get, "/screenshot"},
                                                                      {Method::get, "/apps"},
                                                                      {Method::get, "/properties"},
                                                                      {Method::get, "/logcat"},
                                                                      {Method::post, "/reboot"}}) {
    EXPECT_EQ(call(m, "/api/v1/devices/" + id + suffix, bob_).status, Status::not_found) << suffix;
  }
  EXPECT_EQ(
      call(Method::post, "/api/v1/devices/" + id + "/exec", bob_, json::object{{"command", "id"}})
          .status,
      Status::not_found);
  EXPECT_TRUE(call(Method::get, "/api/v1/devices", bob_).body["items"].as_array().empty());
  // ?owner= does not widen a user's view; admins see everyone.
  EXPECT_TRUE(
      call(Method::get, "/api/v1/devices?owner=usr_alice", bob_).body["items"].as_array().empty());
  create(bob_);
  EXPECT_EQ(call(Method::get, "/api/v1/devices", admin()).body["items"].as_array().size(), 2u);
  EXPECT_EQ(
      call(Method::get, "/api/v1/devices?owner=usr_bob", admin()).body["items"].as_array().size(),
      1u);
  EXPECT_EQ(call(Method::get, "/api/v1/devices?state=nonsense", admin()).body["field"], "state");
  EXPECT_EQ(call(Method::get, "/api/v1/devices?runtime=vm", admin()).body["field"], "runtime");
}

TEST_F(DeviceRoutes, ListPagesWithACursor) {
  for (int i = 0; i < 3; ++i) create(alice_, "p" + std::to_string(i));
  auto p1 = call(Method::get, "/api/v1/devices?limit=2", alice_);
  ASSERT_EQ(p1.body["items"].as_array().size(), 2u);
  std::string cursor(p1.body["next_cursor"].as_string());
  auto p2 = call(Method::get, "/api/v1/devices?limit=2&cursor=" + cursor, alice_);
  EXPECT_EQ(p2.body["items"].as_array().size(), 1u);
  EXPECT_TRUE(p2.body["next_cursor"].is_null());
}

TEST_F(DeviceRoutes, StopStartRestartDelete) {
  auto id = create(alice_);
  drain();
  EXPECT_EQ(call(Method::post, "/api/v1/devices/" + id + "/start", alice_).status,
            Status::conflict);
  auto stop = call(Method::post, "/api/v1/devices/" + id + "/stop", alice_);
  EXPECT_EQ(stop.status, Status::accepted);
  EXPECT_EQ(stop.body["state"], "stopping");
  drain();
  EXPECT_EQ(state_of(id), "stopped");
  EXPECT_EQ(runtime_->inspect(id).state, runtime::InstanceState::stopped);
  auto op = call(Method::post, "/api/v1/devices/" + id + "/exec", alice_,
                 json::object{{"command", "id"}});
  EXPECT_EQ(op.status, Status::conflict);
  EXPECT_EQ(op.body["code"], "invalid_state");
  EXPECT_EQ(call(Method::post, "/api/v1/devices/" + id + "/start", alice_).status,
            Status::accepted);
  drain();
  EXPECT_EQ(state_of(id), "running");
  EXPECT_EQ(call(Method::post, "/api/v1/devices/" + id + "/restart", alice_).status,
            Status::accepted);
  drain();
  EXPECT_EQ(state_of(id), "running");
  EXPECT_EQ(call(Method::delete_, "/api/v1/devices/" + id, alice_).status, Status::no_content);
  drain();
  EXPECT_EQ(state_of(id), "(404)");
  EXPECT_EQ(runtime_->removed, 1);
  EXPECT_EQ(events(),
            (std::vector<std::string>{"device.created", "device.started", "device.stopped",
                                      "device.started", "device.started", "device.deleted"}));
}

TEST_F(DeviceRoutes, RuntimeFailureIsVisibleAsErrorWithReason) {
  runtime_->fail_create = true;
  auto id = create(alice_);
  drain();
  auto got = call(Method::get, "/api/v1/devices/" + id, alice_);
  EXPECT_EQ(got.body["state"], "error");
  EXPECT_EQ(got.body["state_reason"], "runtime failed: fake: no capacity");
  EXPECT_EQ(events().back(), "device.error");
}

TEST_F(DeviceRoutes, BootTimeoutIsAnErrorWithReason) {
  booted_ = false;
  auto id = create(alice_);
  drain();
  auto got = call(Method::get, "/api/v1/devices/" + id, alice_);
  EXPECT_EQ(got.body["state"], "error");
  EXPECT_NE(
      std::string(got.body["state_reason"].as_string()).find("not ready after 300 ms: booting"),
      std::string::npos)
      << got.body["state_reason"];
}

TEST_F(DeviceRoutes, MonitorMarksACrashAndBootsTheRestartedInstance) {
  auto id = create(alice_);
  drain();
  runtime_->crash(id, runtime::InstanceState::restarting,
                  "simulated device killed by signal 9 (Killed)");
  service_->monitor().check_once();
  auto got = call(Method::get, "/api/v1/devices/" + id, alice_);
  EXPECT_EQ(got.body["state"], "error");
  EXPECT_NE(std::string(got.body["state_reason"].as_string()).find("signal 9"), std::string::npos);
  booted_ = false;  // holds the boot wait until the state was seen
  runtime_->revive(id);
  service_->monitor().check_once();
  EXPECT_EQ(state_of(id), "booting");
  booted_ = true;
  drain();
  EXPECT_EQ(state_of(id), "running");
  EXPECT_EQ(call(Method::get, "/api/v1/devices/" + id, alice_).body.at("adb").at("port"), 40001);
  // A silent ADB (two failed heartbeats) is an error too.
  booted_ = false;
  service_->monitor().check_once();
  EXPECT_EQ(state_of(id), "running");
  service_->monitor().check_once();
  EXPECT_EQ(state_of(id), "error");
}

TEST_F(DeviceRoutes, ReconcileStartsDevicesTheRuntimeLost) {
  auto running = create(alice_);
  auto stopped = create(alice_);
  drain();
  call(Method::post, "/api/v1/devices/" + stopped + "/stop", alice_);
  drain();
  runtime_->forget_all();  // as after a restart of cloudphone with the process runtime
  service_->monitor().reconcile();
  drain();
  EXPECT_EQ(state_of(running), "running");
  EXPECT_EQ(state_of(stopped), "stopped");
  EXPECT_EQ(runtime_->inspect(running).state, runtime::InstanceState::running);
  EXPECT_EQ(runtime_->inspect(stopped).state, runtime::InstanceState::absent);
}

}  // namespace
}  // namespace cp::device
