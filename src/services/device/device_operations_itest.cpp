// Files, apps, batches and templates through the gateway of a real `cloudphone up` (process
// runtime). Needs the test APKs (`testapks` fixture, $CP_TEST_APK_DIR).
#include <openssl/sha.h>

#include <random>

#include "android/adb/adb_connection.h"
#include "services/device/device_itest_test_support.h"

namespace cp::device {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using http::Method;
using http::Status;

class DeviceOperationsItest : public testing::DeviceLifecycleItest {
 protected:
  static std::string sha256(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return std::string(reinterpret_cast<char*>(digest), sizeof digest);
  }
  // Installed packages asked straight over ADB, not through the service.
  std::vector<std::string> packages_over_adb(const std::string& id) {
    auto d = object(get("/api/v1/devices/" + id));
    auto conn = adb::AdbConnection::connect(std::string(d.at("adb").at("host").as_string()),
                                            static_cast<uint16_t>(d.at("adb").at("port").as_int64()));
    auto out = conn->shell("pm list packages -3").out;
    std::vector<std::string> names;
    for (size_t at = out.find("package:"); at != std::string::npos; at = out.find("package:", at + 1)) {
      names.push_back(out.substr(at + 8, out.find('\n', at) - at - 8));
    }
    return names;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
};

TEST_F(DeviceOperationsItest, FilesAppsBatchAndTemplates) {
  login_new_user("olga");
  auto id = create_running_device();

  // 5 MB up and back, identical.
  std::string data(5 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : data) c = static_cast<char>(rng());
  auto put = send_raw(Method::put, "/api/v1/devices/" + id + "/files?path=/sdcard/big.bin",
                      "application/octet-stream", data);
  ASSERT_EQ(put.result(), Status::no_content) << put.body();
  auto back = get("/api/v1/devices/" + id + "/files?path=/sdcard/big.bin");
  ASSERT_EQ(back.result(), Status::ok);
  EXPECT_EQ(back[http::bhttp::field::content_type], "application/octet-stream");
  EXPECT_EQ(back.body().size(), data.size());
  EXPECT_TRUE(sha256(back.body()) == sha256(data));
  EXPECT_EQ(get("/api/v1/devices/" + id + "/files?path=/sdcard/missing.bin").result(), Status::not_found);
  auto list = object(get("/api/v1/devices/" + id + "/files/list?path=/sdcard"));
  bool listed = false;
  for (const auto& e : list["items"].as_array()) {
    listed |= e.at("name") == "big.bin" && e.at("size") == static_cast<int64_t>(data.size());
  }
  EXPECT_TRUE(listed) << json::serialize(list);

  // Install → listed (service and ADB) → uninstall → gone.
  const char* apk_dir = getenv("CP_TEST_APK_DIR");
  ASSERT_NE(apk_dir, nullptr) << "needs the testapks fixture";
  std::ifstream in(std::string(apk_dir) + "/basic.apk", std::ios::binary);
  std::string apk((std::istreambuf_iterator<char>(in)), {});
  ASSERT_FALSE(apk.empty());
  auto inst = send_raw(Method::post, "/api/v1/devices/" + id + "/apps", "application/vnd.android.package-archive", apk);
  ASSERT_EQ(inst.result(), Status::created) << inst.body();
  EXPECT_EQ(object(inst)["package"], "com.example.basic");
  EXPECT_EQ(object(inst)["version_code"], 42);
  auto apps = json::serialize(object(get("/api/v1/devices/" + id + "/apps")));
  EXPECT_NE(apps.find("com.example.basic"), std::string::npos) << apps;
  EXPECT_TRUE(has(packages_over_adb(id), "com.example.basic"));
  EXPECT_EQ(send(Method::delete_, "/api/v1/devices/" + id + "/apps/com.example.basic").result(), Status::no_content);
  EXPECT_FALSE(has(packages_over_adb(id), "com.example.basic"));
  EXPECT_EQ(send(Method::delete_, "/api/v1/devices/" + id + "/apps/com.example.basic").result(), Status::not_found);
  auto junk = send_raw(Method::post, "/api/v1/devices/" + id + "/apps", "application/vnd.android.package-archive", "PK");
  EXPECT_EQ(junk.result(), Status::bad_request);

  // Template with an init command → 2 devices whose init effect is visible.
  auto tpl = send(Method::post, "/api/v1/templates",
                  json::object{{"name", "lab"}, {"spec", {{"width", 480}, {"height", 800}, {"dpi", 240}}},
                               {"init_commands", {"setprop persist.cp.init 1"}}});
  ASSERT_EQ(tpl.result(), Status::created) << tpl.body();
  auto made = send(Method::post, "/api/v1/templates/" + std::string(object(tpl)["id"].as_string()) + "/devices",
                   json::object{{"count", 2}, {"name_prefix", "lab"}});
  ASSERT_EQ(made.result(), Status::created) << made.body();
  std::vector<std::string> ids{id};
  auto made_body = object(made);  // the loop borrows from it
  for (const auto& d : made_body["items"].as_array()) ids.emplace_back(d.at("id").as_string());
  auto getprop = [&](const std::string& dev) {
    auto r = send(Method::post, "/api/v1/devices/" + dev + "/exec", json::object{{"command", "getprop persist.cp.init"}});
    return std::string(object(r)["stdout"].as_string());
  };
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_TRUE(eventually([&] { return state(ids[i]) == "running" && getprop(ids[i]) == "1\n"; }, 15s))
        << get("/api/v1/devices/" + ids[i]).body();
  }

  // Batch exec on the 3 devices → 3 results.
  auto batch = send(Method::post, "/api/v1/devices/batch",
                    json::object{{"action", "exec"}, {"device_ids", json::value_from(ids)},
                                 {"command", "getprop persist.cp.init"}});
  ASSERT_EQ(batch.result(), Status::accepted) << batch.body();
  auto target = "/api/v1/devices/batch/" + std::string(object(batch)["batch_id"].as_string());
  ASSERT_TRUE(eventually([&] { return object(get(target))["state"] == "finished"; }, 15s)) << get(target).body();
  auto result = object(get(target));
  EXPECT_EQ(result["total"], 3);
  EXPECT_EQ(result["failed"], 0) << json::serialize(result);
  auto& items = result["results"].as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("stdout"), "\n");
  EXPECT_EQ(items[1].at("stdout"), "1\n");
  EXPECT_EQ(items[2].at("exit_code"), 0);
}

}  // namespace
}  // namespace cp::device
