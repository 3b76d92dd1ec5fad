// Snapshot and placement routes on the route fixture (Router called directly, SQLite,
// FakeRuntime): the state machine of a snapshot, restore into an existing or a new device,
// tenant isolation (404 on every snapshot route), validation, the event, node placement.
#include "services/device/device_routes_fixture_test_support.h"
#include "services/device/snapshots.h"

namespace cp::device {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;

class SnapshotRoutes : public DeviceRoutes {
 protected:
  std::string running_device(const http::Identity& who, const std::string& name = "phone") {
    auto id = create(who, name);
    drain();
    EXPECT_EQ(state_of(id), "running");
    return id;
  }
  std::string ready_snapshot(const http::Identity& who, const std::string& device_id) {
    auto r = call(Method::post, "/api/v1/devices/" + device_id + "/snapshots", who,
                  json::object{{"name", "base"}});
    EXPECT_EQ(r.status, Status::accepted) << json::serialize(r.body);
    EXPECT_EQ(r.body["state"], "creating");
    std::string sid(r.body["id"].as_string());
    drain();
    EXPECT_EQ(call(Method::get, "/api/v1/snapshots/" + sid, who).body["state"], "ready");
    return sid;
  }
  json::array items(const Reply& r) { return r.body.at("items").as_array(); }
};

TEST_F(SnapshotRoutes, SnapshotBecomesReadyWithItsEventAndIsListed) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  EXPECT_EQ(sid.rfind("snp_", 0), 0u);
  EXPECT_EQ(runtime_->snapshots.at(sid), id);
  auto got = call(Method::get, "/api/v1/snapshots/" + sid, alice_);
  EXPECT_EQ(got.body["device_id"], json::value(id));
  EXPECT_EQ(got.body["node"], "local");
  EXPECT_EQ(got.body["name"], "base");
  EXPECT_EQ(events(), (std::vector<std::string>{"device.created", "device.started",
                                                "device.snapshot.created"}));
  auto payload = json::parse(
      db_->exec("SELECT payload FROM outbox WHERE type = 'device.snapshot.created'").one().text(0));
  EXPECT_EQ(payload.at("subject"), json::value(id));
  EXPECT_EQ(payload.at("data").at("snapshot_id"), json::value(sid));
  EXPECT_EQ(payload.at("data").at("owner_id"), "usr_alice");
  EXPECT_EQ(items(call(Method::get, "/api/v1/devices/" + id + "/snapshots", alice_)).size(), 1u);
  EXPECT_EQ(items(call(Method::get, "/api/v1/snapshots", alice_)).size(), 1u);
  // A body is optional; a stopped device can be snapshotted too.
  call(Method::post, "/api/v1/devices/" + id + "/stop", alice_);
  drain();
  auto plain = call(Method::post, "/api/v1/devices/" + id + "/snapshots", alice_);
  EXPECT_EQ(plain.status, Status::accepted) << json::serialize(plain.body);
  drain();
  EXPECT_EQ(items(call(Method::get, "/api/v1/devices/" + id + "/snapshots?limit=1", alice_)).size(),
            1u);
  EXPECT_EQ(items(call(Method::get, "/api/v1/devices/" + id + "/snapshots", alice_)).size(), 2u);
}

TEST_F(SnapshotRoutes, FailedSnapshotIsAnErrorWithReasonAndNoEvent) {
  auto id = running_device(alice_);
  runtime_->fail_snapshot = true;
  auto r = call(Method::post, "/api/v1/devices/" + id + "/snapshots", alice_);
  drain();
  auto got =
      call(Method::get, "/api/v1/snapshots/" + std::string(r.body["id"].as_string()), alice_);
  EXPECT_EQ(got.body["state"], "error");
  EXPECT_NE(std::string(got.body["state_reason"].as_string()).find("commit failed"),
            std::string::npos);
  EXPECT_EQ(events().size(), 2u);
  // Restoring a snapshot that is not ready is refused.
  auto restore =
      call(Method::post, "/api/v1/snapshots/" + std::string(r.body["id"].as_string()) + "/restore",
           alice_, json::object{{"name", "copy"}});
  EXPECT_EQ(restore.status, Status::conflict);
}

TEST_F(SnapshotRoutes, RestoreIntoANewDeviceUsesTheSnapshotSpecAndNode) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  auto r = call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                json::object{{"name", "copy"}}, "restore-1");
  ASSERT_EQ(r.status, Status::accepted) << json::serialize(r.body);
  std::string copy(r.body["id"].as_string());
  EXPECT_NE(copy, id);
  EXPECT_EQ(r.body["restored_from"], json::value(sid));
  auto again = call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                    json::object{{"name", "copy"}}, "restore-1");
  EXPECT_EQ(again.body["id"], json::value(copy)) << "Idempotency-Key replays";
  drain();
  EXPECT_EQ(state_of(copy), "running");
  EXPECT_EQ(runtime_->restores, (std::vector<std::string>{copy + "<-" + sid}));
  EXPECT_EQ(runtime_->spec_of(copy).node, "local");
}

TEST_F(SnapshotRoutes, RestoreIntoAnExistingDeviceNeedsItStopped) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  auto busy = call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                   json::object{{"device_id", id}});
  EXPECT_EQ(busy.status, Status::conflict);
  EXPECT_EQ(busy.body["code"], "invalid_state");
  call(Method::post, "/api/v1/devices/" + id + "/stop", alice_);
  drain();
  auto r = call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                json::object{{"device_id", id}});
  ASSERT_EQ(r.status, Status::accepted) << json::serialize(r.body);
  EXPECT_EQ(r.body["state"], "booting");
  drain();
  EXPECT_EQ(state_of(id), "running");
  EXPECT_EQ(runtime_->restores, (std::vector<std::string>{id + "<-" + sid}));
}

TEST_F(SnapshotRoutes, RestoreBodyIsValidatedNamingTheField) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  auto base = "/api/v1/snapshots/" + sid + "/restore";
  EXPECT_EQ(call(Method::post, base, alice_, json::object{}).body["field"], "device_id");
  EXPECT_EQ(call(Method::post, base, alice_, json::object{{"device_id", id}, {"name", "x"}})
                .body["field"],
            "name");
  EXPECT_EQ(call(Method::post, base, alice_, json::object{{"name", "   "}}).body["field"], "name");
  EXPECT_EQ(call(Method::post, base, alice_, json::object{{"name", 5}}).status,
            Status::bad_request);
  EXPECT_EQ(
      call(Method::post, "/api/v1/devices/" + id + "/snapshots", alice_, json::object{{"name", ""}})
          .body["field"],
      "name");
}

TEST_F(SnapshotRoutes, OtherUsersSnapshotsAndDevicesAre404OnEverySnapshotRoute) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  auto bobs_device = running_device(bob_, "bobs");
  auto bobs_snapshot = ready_snapshot(bob_, bobs_device);
  EXPECT_EQ(call(Method::post, "/api/v1/devices/" + id + "/snapshots", bob_).status,
            Status::not_found);
  EXPECT_EQ(call(Method::get, "/api/v1/devices/" + id + "/snapshots", bob_).status,
            Status::not_found);
  EXPECT_EQ(call(Method::get, "/api/v1/snapshots/" + sid, bob_).status, Status::not_found);
  EXPECT_EQ(call(Method::delete_, "/api/v1/snapshots/" + sid, bob_).status, Status::not_found);
  EXPECT_EQ(call(Method::post, "/api/v1/snapshots/" + sid + "/restore", bob_,
                 json::object{{"name", "steal"}})
                .status,
            Status::not_found);
  EXPECT_EQ(call(Method::post, "/api/v1/snapshots/" + sid + "/restore", bob_,
                 json::object{{"device_id", bobs_device}})
                .status,
            Status::not_found);
  // Bob's own snapshot into Alice's device: her device is not his.
  call(Method::post, "/api/v1/devices/" + id + "/stop", alice_);
  drain();
  EXPECT_EQ(call(Method::post, "/api/v1/snapshots/" + bobs_snapshot + "/restore", bob_,
                 json::object{{"device_id", id}})
                .status,
            Status::not_found);
  auto bobs_list = items(call(Method::get, "/api/v1/snapshots?owner=usr_alice", bob_));
  ASSERT_EQ(bobs_list.size(), 1u);
  EXPECT_EQ(bobs_list[0].at("id"), json::value(bobs_snapshot));
  EXPECT_EQ(items(call(Method::get, "/api/v1/snapshots", admin())).size(), 2u);
  EXPECT_EQ(items(call(Method::get, "/api/v1/snapshots?owner=usr_alice", admin())).size(), 1u);
  EXPECT_TRUE(runtime_->restores.empty());
  EXPECT_EQ(state_of(id), "stopped");
}

// Every route of the service with a device or snapshot id in its path — whatever routes are
// added later — answers 404 to another user, with input that is otherwise valid.
TEST_F(SnapshotRoutes, EveryRouteWithAnIdIs404ForAnotherUser) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  auto tpl = call(Method::post, "/api/v1/templates", alice_, json::object{{"name", "t"}});
  ASSERT_EQ(tpl.status, Status::created) << json::serialize(tpl.body);
  std::string tid(tpl.body["id"].as_string());
  int checked = 0;
  for (const auto& r : router_.routes()) {
    std::string target = r->pattern;
    auto fill = [&](const std::string& param, const std::string& value) {
      if (auto at = target.find(param); at != std::string::npos)
        target.replace(at, param.size(), value);
    };
    fill("{id}", r->pattern.rfind("/api/v1/templates", 0) == 0 ? tid : id);
    fill("{sid}", sid);
    fill("{package}", "com.example.basic");
    if (target == r->pattern || target.find("/batch") != std::string::npos)
      continue;  // no id of Alice's
    if (target.find("/files") != std::string::npos) target += "?path=/sdcard/x";
    std::optional<json::object> body;
    std::optional<std::pair<std::string, std::string>> raw;
    if (r->method == Method::put && target.find("/files") != std::string::npos) {
      raw = std::make_pair(std::string("application/octet-stream"), std::string("x"));
    } else if (r->pattern.ends_with("/apps") && r->method == Method::post) {
      raw = std::make_pair(std::string("application/vnd.android.package-archive"),
                           std::string("not a zip"));
    } else if (r->method == Method::post || r->method == Method::put ||
               r->method == Method::patch) {
      body = json::object{};
      if (r->pattern.ends_with("/exec")) (*body)["command"] = "id";
      if (r->pattern.ends_with("/restore")) (*body)["name"] = "stolen";
      if (r->pattern.ends_with("/devices") && r->pattern.find("templates") != std::string::npos)
        (*body)["count"] = 1;
    }
    auto res = call(r->method, target, bob_, body, std::nullopt, raw);
    EXPECT_EQ(res.status, Status::not_found) << boost::beast::http::to_string(r->method) << " "
                                             << target << " " << json::serialize(res.body);
    ++checked;
  }
  EXPECT_GE(checked, 25);
  EXPECT_EQ(state_of(id), "running");  // nothing Bob sent changed it
  EXPECT_EQ(call(Method::get, "/api/v1/snapshots/" + sid, alice_).body["state"], "ready");
}

TEST_F(SnapshotRoutes, DeleteRemovesTheRuntimeCopyOrRetriesWhileItIsInUse) {
  auto id = running_device(alice_);
  auto sid = ready_snapshot(alice_, id);
  runtime_->snapshot_in_use = true;
  EXPECT_EQ(call(Method::delete_, "/api/v1/snapshots/" + sid, alice_).status, Status::no_content);
  drain();
  EXPECT_EQ(call(Method::get, "/api/v1/snapshots/" + sid, alice_).status, Status::not_found);
  EXPECT_TRUE(runtime_->snapshots.count(sid)) << "in use: kept for a later attempt";
  runtime_->snapshot_in_use = false;
  reconcile_snapshots(service_->context());
  drain();
  EXPECT_FALSE(runtime_->snapshots.count(sid));
  EXPECT_EQ(db_->exec("SELECT COUNT(*) FROM device_snapshots").one().int64(0), 0);
}

TEST_F(SnapshotRoutes, DevicesArePlacedOnTheLeastLoadedNodeAndFullNodesAre409) {
  runtime_->node_list = {{"east", "unix:///east", {2, 0, 0}}, {"west", "unix:///west", {1, 0, 0}}};
  auto a = create(alice_, "a");
  auto b = create(alice_, "b");
  auto c = create(alice_, "c");
  drain();
  auto node = [&](const std::string& id) {
    return std::string(call(Method::get, "/api/v1/devices/" + id, alice_).body["node"].as_string());
  };
  EXPECT_EQ(node(a), "east");  // both empty: 1/2 vs 1/1 -> east
  EXPECT_EQ(node(b), "west");  // east 2/2 = 1.0, west 1/1 = 1.0 -> fewer devices: west
  EXPECT_EQ(node(c), "east");
  EXPECT_EQ(runtime_->spec_of(b).node, "west");
  auto full = call(Method::post, "/api/v1/devices", alice_, json::object{{"name", "d"}});
  EXPECT_EQ(full.status, Status::conflict);
  EXPECT_EQ(full.body["code"], "no_capacity");
  auto nodes = call(Method::get, "/api/v1/nodes", admin());
  ASSERT_EQ(nodes.status, Status::ok);
  EXPECT_EQ(nodes.body.at("items").as_array()[0].at("used").at("devices"), 2);
  EXPECT_EQ(call(Method::get, "/api/v1/nodes", alice_).status, Status::forbidden);
  // A restore into a new device goes where the snapshot is, full or not.
  auto sid = ready_snapshot(alice_, b);
  EXPECT_EQ(call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                 json::object{{"name", "copy"}})
                .body["code"],
            "no_capacity");
  call(Method::delete_, "/api/v1/devices/" + b, alice_);
  drain();
  auto copy = call(Method::post, "/api/v1/snapshots/" + sid + "/restore", alice_,
                   json::object{{"name", "copy"}});
  ASSERT_EQ(copy.status, Status::accepted) << json::serialize(copy.body);
  EXPECT_EQ(copy.body["node"], "west");
}

}  // namespace
}  // namespace cp::device
