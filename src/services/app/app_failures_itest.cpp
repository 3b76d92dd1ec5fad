// Failure cases on a real `cloudphone up`: bad uploads (each a clear 4xx, nothing stored),
// another tenant's private app, and a device killed during a batch install (a failed record
// with the reason for that device only).
#include <cstdio>
#include <fstream>

#include "devicesim/simulator_pids_test_support.h"
#include "services/app/app_itest_test_support.h"

namespace cp::app {
namespace {

using namespace testing;

using cp::devicesim::testing::simulator_pids;

class AppFailuresItest : public AppItest {
 protected:
  size_t stored_objects() {
    size_t n = 0;
    std::error_code ec;
    if (!fs::exists(dir_ / "data" / "objects")) return 0;
    for (auto it = fs::recursive_directory_iterator(dir_ / "data" / "objects", ec);
         it != fs::recursive_directory_iterator(); ++it) {
      // The filesystem store keeps a content-type file per object under meta/: count objects.
      bool meta =
          it->path().lexically_relative(dir_ / "data" / "objects").begin()->string() == "meta";
      n += it->is_regular_file() && !meta ? 1 : 0;
    }
    return n;
  }
  size_t all_apps(const std::string& admin) {
    return object(get("/api/v1/apps", admin)).at("items").as_array().size();
  }
  // The upload answers `status` with `code`, and neither the object store nor the database changed.
  void expect_rejected(const std::string& token, const std::string& admin, const std::string& bytes,
                       const std::string& type, Status status, const std::string& code) {
    auto objects = stored_objects();
    auto apps = all_apps(admin);
    auto res = upload(token, bytes, type);
    EXPECT_EQ(res.result(), status) << res.body();
    EXPECT_EQ(object(res)["code"].as_string(), code) << res.body();
    EXPECT_EQ(stored_objects(), objects);
    EXPECT_EQ(all_apps(admin), apps);
  }
};

TEST_F(AppFailuresItest, BadUploadsAndOtherTenantsPrivateApps) {
  start_cloudphone({{"HTTP_UPLOAD_BODY_LIMIT", std::to_string(2 << 20)}});
  auto admin = login_admin();
  auto alice = login_new_user("alice");
  auto bob = login_new_user("bob");
  auto basic = read_file(apk("basic.apk"));
  const std::string apk_type = "application/vnd.android.package-archive";

  expect_rejected(alice, admin, "definitely not a zip file", apk_type, Status::bad_request,
                  "invalid_apk");
  auto res = upload(alice, "definitely not a zip file");
  EXPECT_NE(object(res)["detail"].as_string().find("not a valid APK"), std::string::npos)
      << res.body();
  EXPECT_EQ(object(res)["field"].as_string(), "body");
  expect_rejected(alice, admin, basic.substr(0, basic.size() - 700), apk_type, Status::bad_request,
                  "invalid_apk");
  expect_rejected(alice, admin, basic.substr(0, 100), "application/octet-stream",
                  Status::bad_request, "invalid_apk");
  expect_rejected(alice, admin, "", apk_type, Status::bad_request, "invalid_apk");
  expect_rejected(alice, admin, basic, "text/plain", Status::unsupported_media_type,
                  "unsupported_media_type");
  expect_rejected(alice, admin, basic, "application/json", Status::unsupported_media_type,
                  "unsupported_media_type");
  // big.apk (4 MB) is over the 2 MB limit of this instance.
  expect_rejected(alice, admin, read_file(apk("big.apk")), apk_type, Status::payload_too_large,
                  "body_too_large");
  EXPECT_EQ(stored_objects(), 0u);
  EXPECT_EQ(all_apps(admin), 0u);

  // Alice's private upload: invisible to bob in every way, and he cannot add a version to it.
  auto up = upload(alice, basic);
  ASSERT_EQ(up.result(), Status::created) << up.body();
  std::string id(object(up).at("id").as_string());
  EXPECT_EQ(stored_objects(), 2u);  // the APK and its icon
  for (const auto& path :
       {"/api/v1/apps/" + id, "/api/v1/apps/" + id + "/icon",
        "/api/v1/apps/" + id + "/versions/42/download", "/api/v1/apps/" + id + "/reviews"}) {
    auto r = get(path, bob);
    EXPECT_EQ(r.result(), Status::not_found) << path << " " << r.body();
  }
  EXPECT_TRUE(object(get("/api/v1/apps", bob)).at("items").as_array().empty());
  auto install = send(Method::post, "/api/v1/apps/" + id + "/install",
                      json::object{{"device_id", "dev_x"}}, bob);
  EXPECT_EQ(install.result(), Status::not_found) << install.body();
  EXPECT_EQ(
      send(Method::post, "/api/v1/apps/" + id + "/versions/42/submit", std::nullopt, bob).result(),
      Status::not_found);
  expect_rejected(bob, admin, read_file(apk("basic2.apk")), apk_type, Status::conflict,
                  "package_taken");
  // The same versionCode again (alice): 409, nothing new.
  expect_rejected(alice, admin, basic, apk_type, Status::conflict, "version_not_newer");
  EXPECT_EQ(object(get("/api/v1/apps/" + id, alice)).at("versions").as_array().size(), 1u);
  // A higher one is a new version of the same app.
  auto v2 = upload(alice, read_file(apk("basic2.apk")));
  ASSERT_EQ(v2.result(), Status::created) << v2.body();
  EXPECT_EQ(object(v2).at("id").as_string(), id);
  EXPECT_EQ(object(get("/api/v1/apps/" + id, alice)).at("versions").as_array().size(), 2u);
  // Malformed review and install input names the field.
  auto reject =
      send(Method::post, "/api/v1/apps/" + id + "/versions/42/reject", json::object{}, admin);
  EXPECT_EQ(reject.result(), Status::bad_request);
  EXPECT_EQ(object(reject)["field"].as_string(), "reason");
  auto bad_install = send(Method::post, "/api/v1/apps/" + id + "/install",
                          json::object{{"device_ids", json::array{}}}, alice);
  EXPECT_EQ(bad_install.result(), Status::bad_request);
  EXPECT_EQ(object(bad_install)["field"].as_string(), "device_ids");
  EXPECT_EQ(get("/api/v1/apps/" + id + "/versions/abc/download", alice).result(),
            Status::bad_request);
}

TEST_F(AppFailuresItest, ADeviceKilledDuringABatchFailsAloneAndTenantChecksApply) {
  // One item at a time, so the last device's turn comes after it was killed; no restarts.
  start_cloudphone({{"APP_INSTALL_CONCURRENCY", "1"}, {"DEVICE_PROCESS_MAX_RESTARTS", "0"}});
  auto alice = login_new_user("alice");
  auto bob = login_new_user("bob");
  auto up = upload(alice, read_file(apk("big.apk")));
  ASSERT_EQ(up.result(), Status::created) << up.body();
  std::string id(object(up).at("id").as_string());
  auto devices = create_running_devices(alice, 4);
  ASSERT_EQ(devices.size(), 4u);
  auto victim = devices.back();
  auto pids = simulator_pids(pid_, victim);
  ASSERT_EQ(pids.size(), 1u);

  json::array ids;
  for (const auto& d : devices) ids.emplace_back(d);
  auto started = send(Method::post, "/api/v1/apps/" + id + "/install",
                      json::object{{"device_ids", ids}}, alice);
  ASSERT_EQ(started.result(), Status::accepted) << started.body();
  kill(pids[0], SIGKILL);
  std::string batch(object(started).at("batch_id").as_string());
  // While it runs, progress is visible.
  auto first = object(get("/api/v1/apps/installs/" + batch, alice));
  EXPECT_EQ(first.at("total").as_int64(), 4);
  auto done = wait_batch(alice, batch, 180s);
  ASSERT_EQ(done.at("state").as_string(), "finished") << json::serialize(done);
  EXPECT_EQ(done.at("failed").as_int64(), 1) << json::serialize(done);
  for (const auto& item : done.at("items").as_array()) {
    const auto& it = item.as_object();
    if (it.at("device_id").as_string() == victim) {
      EXPECT_EQ(it.at("status").as_string(), "failed");
      EXPECT_FALSE(it.at("reason").as_string().empty());
      std::printf("killed device %s: %s\n", victim.c_str(), json::serialize(it).c_str());
    } else {
      EXPECT_EQ(it.at("status").as_string(), "installed") << json::serialize(it);
      EXPECT_TRUE(has(packages_over_adb(alice, std::string(it.at("device_id").as_string())),
                      "com.example.big"));
    }
  }

  // Bob may install the (published) app, but not on alice's phone: the device service, called
  // as bob, does not know that device for him.
  auto admin = login_admin();
  auto detail = object(get("/api/v1/apps/" + id, alice));
  auto code = detail.at("versions").as_array()[0].as_object().at("version_code").as_int64();
  send(Method::post, "/api/v1/apps/" + id + "/versions/" + std::to_string(code) + "/submit",
       std::nullopt, alice);
  auto ok =
      send(Method::post, "/api/v1/apps/" + id + "/versions/" + std::to_string(code) + "/approve",
           std::nullopt, admin);
  ASSERT_EQ(ok.result(), Status::ok) << ok.body();
  auto theirs = send(Method::post, "/api/v1/apps/" + id + "/uninstall",
                     json::object{{"device_id", devices[0]}}, bob);
  ASSERT_EQ(theirs.result(), Status::accepted) << theirs.body();
  auto refused = wait_batch(bob, std::string(object(theirs).at("batch_id").as_string()), 60s);
  EXPECT_EQ(refused.at("failed").as_int64(), 1) << json::serialize(refused);
  EXPECT_TRUE(has(packages_over_adb(alice, devices[0]), "com.example.big"));

  // Preinstalled apps of a template go through the same install path: a device made from a
  // template naming the app (by id) and a package nobody uploaded gets the first, and a failed
  // record naming the second.
  auto tpl = send(Method::post, "/api/v1/templates",
                  json::object{{"name", "with apps"},
                               {"spec",
                                {{"width", 360},
                                 {"height", 640},
                                 {"dpi", 160},
                                 {"fps", 5},
                                 {"cpu_cores", 1},
                                 {"memory_mb", 1024}}},
                               {"apps", json::array{id, "com.example.nobody"}}},
                  alice);
  ASSERT_EQ(tpl.result(), Status::created) << tpl.body();
  auto made =
      send(Method::post,
           "/api/v1/templates/" + std::string(object(tpl).at("id").as_string()) + "/devices",
           json::object{{"count", 1}}, alice);
  ASSERT_EQ(made.result(), Status::created) << made.body();
  auto made_body = json::parse(made.body());
  const auto& list =
      made_body.is_array() ? made_body.as_array() : made_body.as_object().at("items").as_array();
  std::string fresh(list.at(0).as_object().at("id").as_string());
  ASSERT_TRUE(eventually(
      [&] {
        return object(get("/api/v1/apps/devices/" + fresh, alice)).at("items").as_array().size() ==
               1;
      },
      120s))
      << get("/api/v1/apps/" + id + "/installs", alice).body();
  EXPECT_TRUE(has(packages_over_adb(alice, fresh), "com.example.big"));
  // Both template records are in the device's view: the install and the failure with its reason.
  std::map<std::string, std::string> outcome;
  auto view = object(get("/api/v1/apps/devices/" + fresh, alice));
  for (const auto& r : view.at("records").as_array()) {
    const auto& o = r.as_object();
    EXPECT_EQ(o.at("source").as_string(), "template");
    outcome[std::string(o.at("package").as_string())] =
        std::string(o.at("status").as_string()) +
        (o.contains("reason") ? " " + std::string(o.at("reason").as_string()) : "");
  }
  EXPECT_EQ(outcome["com.example.big"], "installed");
  EXPECT_EQ(outcome["com.example.nobody"].rfind("failed", 0), 0u) << outcome["com.example.nobody"];
  EXPECT_NE(outcome["com.example.nobody"].find("com.example.nobody"), std::string::npos);
}

}  // namespace
}  // namespace cp::app
