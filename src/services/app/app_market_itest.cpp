// The app market end to end on a real `cloudphone up` (process runtime, simulated devices):
// harness-built APKs uploaded and compared with `aapt dump badging`, reviewed, installed on 10
// devices in one batch (checked over ADB), uninstalled from 3.
#include <cstdio>
#include <map>
#include <sstream>

#include "services/app/app_itest_test_support.h"

namespace cp::app {
namespace {

using namespace testing;

// What `aapt dump badging` printed for an APK (the harness keeps it next to the APK).
struct Badging {
  std::string package, version_name, label;
  int64_t version_code = 0;
  int min_sdk = 0, target_sdk = 0;
  std::vector<std::string> permissions;
  std::map<int, std::string> icons;  // density -> path in the zip
};

std::string quoted(const std::string& line, const std::string& key) {
  auto at = line.find(key + "='");
  if (at == std::string::npos) return "";
  at += key.size() + 2;
  return line.substr(at, line.find('\'', at) - at);
}

Badging badging(const fs::path& apk_file) {
  Badging b;
  std::istringstream in(read_file(apk_file.string() + ".badging.txt"));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("package:")) {
      b.package = quoted(line, "name");
      b.version_code = std::stoll(quoted(line, "versionCode"));
      b.version_name = quoted(line, "versionName");
    } else if (line.starts_with("sdkVersion:")) {
      b.min_sdk = std::stoi(line.substr(12, line.size() - 13));
    } else if (line.starts_with("targetSdkVersion:")) {
      b.target_sdk = std::stoi(line.substr(18, line.size() - 19));
    } else if (line.starts_with("uses-permission:")) {
      b.permissions.push_back(quoted(line, "name"));
    } else if (line.starts_with("application-label:")) {
      b.label = line.substr(19, line.size() - 20);
    } else if (line.starts_with("application-icon-")) {
      b.icons[std::stoi(line.substr(17))] =
          line.substr(line.find(":'") + 2, line.size() - line.find(":'") - 3);
    }
  }
  return b;
}

TEST_F(AppItest, UploadReviewInstallOnTenDevicesUninstallFromThree) {
  start_cloudphone({{"APP_INSTALL_CONCURRENCY", "10"}});
  auto admin = login_admin();
  auto alice = login_new_user("alice");
  auto bob = login_new_user("bob");
  ASSERT_FALSE(admin.empty());

  // Upload: every field and the icon as aapt reports them.
  std::map<std::string, std::string> app_ids;
  for (const char* name : {"basic.apk", "service.apk", "alias.apk", "big.apk"}) {
    auto bytes = read_file(apk(name));
    auto res = upload(alice, bytes, "application/vnd.android.package-archive", "?category=tools");
    ASSERT_EQ(res.result(), Status::created) << name << " " << res.body();
    auto body = object(res);
    auto expected = badging(apk(name));
    const auto& v = body.at("versions").as_array().at(0).as_object();
    EXPECT_EQ(body.at("package").as_string(), expected.package) << name;
    EXPECT_EQ(v.at("version_code").as_int64(), expected.version_code) << name;
    EXPECT_EQ(v.at("version_name").as_string(), expected.version_name) << name;
    EXPECT_EQ(v.at("min_sdk").as_int64(), expected.min_sdk) << name;
    // aapt prints targetSdkVersion only when the manifest sets it; we report 0 then.
    EXPECT_EQ(v.at("target_sdk").as_int64(), expected.target_sdk) << name;
    EXPECT_EQ(v.at("label").as_string(), expected.label) << name;
    std::vector<std::string> perms;
    for (const auto& p : v.at("permissions").as_array()) perms.emplace_back(p.as_string());
    EXPECT_EQ(perms, expected.permissions) << name;
    EXPECT_EQ(v.at("apk_size").as_int64(), static_cast<int64_t>(bytes.size()));
    std::string id(body.at("id").as_string());
    app_ids[name] = id;
    auto icon = get("/api/v1/apps/" + id + "/icon", alice);
    ASSERT_EQ(icon.result(), Status::ok) << name;
    EXPECT_EQ(icon[http::bhttp::field::content_type], "image/png");
    ASSERT_FALSE(expected.icons.empty()) << name;
    // aapt names the adaptive XML icon of alias.apk; the reader (and so the store) takes the best
    // PNG behind it, as apk_reader_test.cpp documents.
    std::string icon_path = std::string(name) == "alias.apk" ? "res/mipmap-xhdpi-v4/ic_launcher.png"
                                                             : expected.icons.rbegin()->second;
    auto want = apk::testing::entry(apk::testing::unzip_all(apk(name)), icon_path);
    EXPECT_TRUE(icon.body() == std::string(want.begin(), want.end())) << name << ": icon differs";
    // Download (filesystem store): the same bytes.
    auto dl = get(
        "/api/v1/apps/" + id + "/versions/" + std::to_string(expected.version_code) + "/download",
        alice);
    ASSERT_EQ(dl.result(), Status::ok);
    EXPECT_TRUE(dl.body() == bytes) << name << ": download differs";
  }
  auto basic = app_ids["basic.apk"];

  // Private until reviewed: bob does not see it; alice submits, the administrator approves.
  EXPECT_EQ(get("/api/v1/apps/" + basic, bob).result(), Status::not_found);
  EXPECT_EQ(
      send(Method::post, "/api/v1/apps/" + basic + "/versions/42/approve", std::nullopt, alice)
          .result(),
      Status::forbidden);
  ASSERT_EQ(send(Method::post, "/api/v1/apps/" + basic + "/versions/42/submit", std::nullopt, alice)
                .result(),
            Status::ok);
  auto pending = object(get("/api/v1/apps?review_state=pending", admin));
  ASSERT_EQ(pending.at("items").as_array().size(), 1u);
  auto approved =
      send(Method::post, "/api/v1/apps/" + basic + "/versions/42/approve", std::nullopt, admin);
  ASSERT_EQ(approved.result(), Status::ok) << approved.body();
  EXPECT_EQ(object(approved).at("review_state").as_string(), "published");
  auto market = object(get("/api/v1/apps?q=basic", bob));
  ASSERT_EQ(market.at("items").as_array().size(), 1u);
  EXPECT_EQ(market.at("items").as_array()[0].as_object().at("id").as_string(), basic);
  auto trail = object(get("/api/v1/apps/" + basic + "/reviews", alice)).at("items").as_array();
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].as_object().at("action").as_string(), "approve");

  // Bob installs the market app on his 10 phones in one batch.
  auto devices = create_running_devices(bob, 10);
  ASSERT_EQ(devices.size(), 10u);
  json::array ids;
  for (const auto& d : devices) ids.emplace_back(d);
  auto started = send(Method::post, "/api/v1/apps/" + basic + "/install",
                      json::object{{"device_ids", ids}}, bob);
  ASSERT_EQ(started.result(), Status::accepted) << started.body();
  std::string batch(object(started).at("batch_id").as_string());
  auto done = wait_batch(bob, batch, 180s);
  ASSERT_EQ(done.at("state").as_string(), "finished") << json::serialize(done);
  EXPECT_EQ(done.at("failed").as_int64(), 0) << json::serialize(done);
  std::printf("install batch over 10 devices: %s\n", json::serialize(done).c_str());
  for (const auto& d : devices) {
    std::printf("%s over ADB: %zu third-party packages\n", d.c_str(),
                packages_over_adb(bob, d).size());
    EXPECT_TRUE(has(packages_over_adb(bob, d), "com.example.basic")) << d;
    auto view = object(get("/api/v1/apps/devices/" + d, bob));
    EXPECT_EQ(view.at("items").as_array().size(), 1u) << d;
  }

  // Uninstall from 3: gone there (over ADB), still on the other 7.
  json::array three{devices[0], devices[4], devices[9]};
  auto un = send(Method::post, "/api/v1/apps/" + basic + "/uninstall",
                 json::object{{"device_ids", three}}, bob);
  ASSERT_EQ(un.result(), Status::accepted) << un.body();
  auto undone = wait_batch(bob, std::string(object(un).at("batch_id").as_string()), 120s);
  EXPECT_EQ(undone.at("failed").as_int64(), 0) << json::serialize(undone);
  for (size_t i = 0; i < devices.size(); ++i) {
    bool removed = i == 0 || i == 4 || i == 9;
    EXPECT_EQ(has(packages_over_adb(bob, devices[i]), "com.example.basic"), !removed) << devices[i];
    EXPECT_EQ(object(get("/api/v1/apps/devices/" + devices[i], bob)).at("items").as_array().size(),
              removed ? 0u : 1u);
  }
  auto records = object(get("/api/v1/apps/" + basic + "/installs", bob)).at("items").as_array();
  EXPECT_EQ(records.size(), 13u);
}

}  // namespace
}  // namespace cp::app
