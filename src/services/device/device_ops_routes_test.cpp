// Route tests of files, apps, batches and templates with the FakeRuntime (no ADB: operations
// that reach a device fail as unreachable, which is enough for validation, ownership and the
// aggregation of batch results).
#include <fstream>

#include "services/device/batch.h"
#include "services/device/device_routes_fixture_test_support.h"
#include "services/device/files.h"
#include "services/device/templates.h"

namespace cp::device {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;

class DeviceOpsRoutes : public DeviceRoutes {
 protected:
  void drain_all() {
    service_->context().batch_jobs.drain();
    drain();
  }
  json::object batch(const http::Identity& who, json::object body) {
    auto r = call(Method::post, "/api/v1/devices/batch", who, std::move(body));
    EXPECT_EQ(r.status, Status::accepted) << json::serialize(r.body);
    drain_all();
    auto got = call(Method::get,
                    "/api/v1/devices/batch/" + std::string(r.body["batch_id"].as_string()), who);
    EXPECT_EQ(got.status, Status::ok);
    return got.body;
  }
};

TEST(DeviceOpsPure, PathsPackagesNamesProgress) {
  EXPECT_NO_THROW(validate_device_path("/sdcard/a.txt"));
  EXPECT_NO_THROW(validate_device_path("/sdcard/..a"));
  for (const std::string& bad :
       std::vector<std::string>{"", "sdcard/x", "/sdcard/../etc", "/..", std::string("/a\0b", 4),
                                "/" + std::string(1024, 'a')}) {
    try {
      validate_device_path(bad);
      ADD_FAILURE() << bad;
    } catch (const http::ApiError& e) {
      EXPECT_EQ(e.field(), "path");
    }
  }
  EXPECT_NO_THROW(validate_package_name("com.example.basic"));
  EXPECT_THROW(validate_package_name("com..x"), http::ApiError);
  EXPECT_THROW(validate_package_name("x;rm -rf /"), http::ApiError);
  EXPECT_EQ(expand_names("lab", 3), (std::vector<std::string>{"lab-1", "lab-2", "lab-3"}));
  std::vector<BatchItem> items(3);
  items[0].status = "ok";
  items[1].status = "error";
  auto p = batch_progress(items);
  EXPECT_EQ(p.total, 3);
  EXPECT_EQ(p.done, 2);
  EXPECT_EQ(p.failed, 1);
  EXPECT_FALSE(p.finished());
}

TEST_F(DeviceOpsRoutes, FileAndAppRoutesValidateAndHideOtherUsersDevices) {
  auto id = create(alice_);
  drain();
  auto base = "/api/v1/devices/" + id;
  EXPECT_EQ(call(Method::get, base + "/files", alice_).body["field"], "path");
  EXPECT_EQ(call(Method::get, base + "/files?path=relative", alice_).body["field"], "path");
  EXPECT_EQ(call(Method::get, base + "/files/list?path=/sdcard/../data", alice_).body["field"],
            "path");
  // Valid input reaches ADB, which the fake runtime has not: 502, not a hang.
  EXPECT_EQ(call(Method::get, base + "/files/list?path=/sdcard", alice_).body["code"],
            "device_unreachable");
  auto apk = std::make_pair(std::string("application/vnd.android.package-archive"),
                            std::string("not a zip"));
  auto bad = call(Method::post, base + "/apps", alice_, std::nullopt, std::nullopt, apk);
  EXPECT_EQ(bad.status, Status::bad_request);
  EXPECT_EQ(bad.body["code"], "invalid_apk");
  EXPECT_NE(std::string(bad.body["detail"].as_string()).find("not a valid APK"), std::string::npos);
  EXPECT_EQ(call(Method::delete_, base + "/apps/bad;name", alice_).body["field"], "package");
  for (auto [m, suffix] :
       std::vector<std::pair<Method, std::string>>{{Method::get, "/files?path=/sdcard/x"},
                                                   {Method::put, "/files?path=/sdcard/x"},
                                                   {Method::get, "/files/list?path=/sdcard"},
                                                   {Method::delete_, "/apps/com.example.basic"}}) {
    EXPECT_EQ(call(m, base + suffix, bob_).status, Status::not_found) << suffix;
  }
  EXPECT_EQ(call(Method::post, base + "/apps", bob_, std::nullopt, std::nullopt, apk).status,
            Status::not_found);
}

// A spooled body (the server streamed it to a file; the request body is empty) is what the
// upload routes read: a valid APK in the spool passes the APK check and reaches ADB (502 here,
// the fake runtime has none), a junk one is a 400; an empty in-memory body alone would be 400.
TEST_F(DeviceOpsRoutes, UploadRoutesReadTheSpooledBody) {
  auto id = create(alice_);
  drain();
  auto base = "/api/v1/devices/" + id;
  const char* apk_dir = getenv("CP_TEST_APK_DIR");
  ASSERT_NE(apk_dir, nullptr) << "needs the testapks fixture";
  std::ifstream in(std::string(apk_dir) + "/basic.apk", std::ios::binary);
  std::string apk_bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(apk_bytes.empty());
  auto type = std::make_pair(std::string("application/vnd.android.package-archive"), std::string());
  next_upload_ = http::SpooledBody::from_bytes(apk_bytes);
  auto spooled = call(Method::post, base + "/apps", alice_, std::nullopt, std::nullopt, type);
  EXPECT_EQ(spooled.body["code"], "device_unreachable") << json::serialize(spooled.body);
  next_upload_ = http::SpooledBody::from_bytes("not a zip");
  EXPECT_EQ(
      call(Method::post, base + "/apps", alice_, std::nullopt, std::nullopt, type).body["code"],
      "invalid_apk");
  EXPECT_EQ(
      call(Method::post, base + "/apps", alice_, std::nullopt, std::nullopt, type).body["code"],
      "invalid_apk");
  next_upload_ = http::SpooledBody::from_bytes("file bytes");
  auto put = call(Method::put, base + "/files?path=/sdcard/x", alice_, std::nullopt, std::nullopt,
                  std::make_pair(std::string("application/octet-stream"), std::string()));
  EXPECT_EQ(put.body["code"], "device_unreachable");
}

TEST_F(DeviceOpsRoutes, BatchValidation) {
  auto post = [&](json::object body) {
    return call(Method::post, "/api/v1/devices/batch", alice_, std::move(body));
  };
  EXPECT_EQ(post({{"action", "explode"}, {"device_ids", {"dev_a"}}}).body["field"], "action");
  EXPECT_EQ(post({{"action", "exec"}, {"device_ids", {"dev_a"}}}).body["field"], "command");
  EXPECT_EQ(post({{"action", "stop"}, {"device_ids", json::array{}}}).body["field"], "device_ids");
  EXPECT_EQ(post({{"action", "stop"}, {"device_ids", {"dev_a", "dev_a"}}}).body["field"],
            "device_ids");
  json::array many;
  for (int i = 0; i < 101; ++i) many.emplace_back("dev_" + std::to_string(i));
  EXPECT_EQ(post({{"action", "stop"}, {"device_ids", many}}).body["field"], "device_ids");
  EXPECT_EQ(call(Method::get, "/api/v1/devices/batch/bat_missing", alice_).status,
            Status::not_found);
}

TEST_F(DeviceOpsRoutes, BatchRunsEveryDeviceAndReportsEach) {
  auto a1 = create(alice_), a2 = create(alice_), b1 = create(bob_);
  drain();
  auto body = batch(alice_, {{"action", "stop"}, {"device_ids", {a1, b1, a2, "dev_missing"}}});
  EXPECT_EQ(body["total"], 4);
  EXPECT_EQ(body["done"], 4);
  EXPECT_EQ(body["failed"], 2);
  EXPECT_EQ(body["state"], "finished");
  auto& results = body["results"].as_array();
  EXPECT_EQ(results[0].at("status"), "ok");
  EXPECT_EQ(results[1].at("error"), "not_found");
  EXPECT_EQ(results[2].at("status"), "ok");
  EXPECT_EQ(results[3].at("error"), "not_found");
  EXPECT_EQ(state_of(a1), "stopped");
  EXPECT_EQ(state_of(b1), "running");  // never touched
  // exec: a stopped device fails with its reason, the other result is independent of it.
  call(Method::post, "/api/v1/devices/" + a2 + "/start", alice_);
  drain();
  body = batch(alice_, {{"action", "exec"}, {"device_ids", {a1, a2}}, {"command", "id"}});
  EXPECT_EQ(body["results"].as_array()[0].at("error"), "invalid_state");
  EXPECT_EQ(body["results"].as_array()[1].at("error"), "device_unreachable");
  // Bob cannot read Alice's batch.
  EXPECT_EQ(
      call(Method::get, "/api/v1/devices/batch/" + std::string(body["batch_id"].as_string()), bob_)
          .status,
      Status::not_found);
}

TEST_F(DeviceOpsRoutes, TemplatesCrudAndOwnership) {
  auto bad = call(Method::post, "/api/v1/templates", alice_,
                  json::object{{"name", "t"}, {"spec", {{"width", 100}}}});
  EXPECT_EQ(bad.body["field"], "spec.width");
  auto r = call(Method::post, "/api/v1/templates", alice_,
                json::object{{"name", "lab"},
                             {"spec", {{"width", 1080}, {"height", 1920}}},
                             {"init_commands", {"setprop persist.cp.init 1"}},
                             {"apps", {"com.example.basic"}}});
  ASSERT_EQ(r.status, Status::created) << json::serialize(r.body);
  std::string id(r.body["id"].as_string());
  EXPECT_EQ(r.body.at("spec").at("width"), 1080);
  EXPECT_EQ(r.body.at("spec").at("dpi"), 320);
  EXPECT_EQ(call(Method::get, "/api/v1/templates/" + id, bob_).status, Status::not_found);
  EXPECT_EQ(call(Method::delete_, "/api/v1/templates/" + id, bob_).status, Status::not_found);
  EXPECT_TRUE(call(Method::get, "/api/v1/templates", bob_).body["items"].as_array().empty());
  auto p = call(Method::patch, "/api/v1/templates/" + id, alice_,
                json::object{{"spec", {{"dpi", 480}}}});
  EXPECT_EQ(p.body.at("spec").at("dpi"), 480);
  EXPECT_EQ(p.body.at("spec").at("width"), 1080);  // merged, not replaced
  EXPECT_EQ(p.body["name"], "lab");
  EXPECT_EQ(call(Method::get, "/api/v1/templates", alice_).body["items"].as_array().size(), 1u);
  EXPECT_EQ(call(Method::delete_, "/api/v1/templates/" + id, alice_).status, Status::no_content);
  EXPECT_EQ(call(Method::get, "/api/v1/templates/" + id, alice_).status, Status::not_found);
}

TEST_F(DeviceOpsRoutes, DevicesFromATemplateAreAllOrNothingAndRunInitCommands) {
  auto t = call(Method::post, "/api/v1/templates", alice_,
                json::object{{"name", "lab"}, {"init_commands", {"setprop persist.cp.init 1"}}});
  std::string id(t.body["id"].as_string());
  quota_ = {2, 0, 0};
  auto over = call(Method::post, "/api/v1/templates/" + id + "/devices", alice_,
                   json::object{{"count", 3}});
  EXPECT_EQ(over.status, Status::conflict);
  EXPECT_EQ(over.body["code"], "quota_exceeded");
  EXPECT_TRUE(call(Method::get, "/api/v1/devices", alice_).body["items"].as_array().empty());
  EXPECT_EQ(call(Method::post, "/api/v1/templates/" + id + "/devices", alice_,
                 json::object{{"count", 21}})
                .body["field"],
            "count");
  EXPECT_EQ(
      call(Method::post, "/api/v1/templates/" + id + "/devices", bob_, json::object{{"count", 1}})
          .status,
      Status::not_found);
  auto made = call(Method::post, "/api/v1/templates/" + id + "/devices", alice_,
                   json::object{{"count", 2}, {"name_prefix", "farm"}});
  ASSERT_EQ(made.status, Status::created) << json::serialize(made.body);
  auto& items = made.body["items"].as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].at("name"), "farm-2");
  drain();
  // The fake runtime has no ADB: the init commands fail, visibly, and the device keeps running.
  auto got =
      call(Method::get, "/api/v1/devices/" + std::string(items[0].at("id").as_string()), alice_);
  EXPECT_EQ(got.body["state"], "running");
  EXPECT_NE(std::string(got.body["state_reason"].as_string()).find("init commands failed"),
            std::string::npos)
      << got.body["state_reason"];
  EXPECT_EQ(events(), (std::vector<std::string>{"device.created", "device.created",
                                                "device.started", "device.started"}));
}

}  // namespace
}  // namespace cp::device
