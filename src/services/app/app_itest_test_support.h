#pragma once
// Test-only: a real `cloudphone up` (process runtime, simulated devices) on a free port and a
// temp data dir, with helpers for users, the administrator printed at first start, devices,
// uploads and install batches; killed (with its simulators) in TearDown.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "android/adb/adb_connection.h"
#include "android/apk/apk_test_support.h"
#include "core/http_client.h"
#include "core/ids.h"
#include "services/host/cloudphone_up_test_support.h"

namespace cp::app::testing {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::Method;
using http::Status;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class AppItest : public services::testing::CloudphoneUpTest {
 protected:
  // Registers and logs in a user; returns the access token.
  std::string login_new_user(const std::string& name) {
    send(Method::post, "/api/v1/auth/register",
         json::object{{"email", name + "@example.com"},
                      {"username", name},
                      {"password", "correct horse 42"}});
    return login(name, "correct horse 42");
  }
  std::string login(const std::string& name, const std::string& password) {
    auto res = send(Method::post, "/api/v1/auth/login",
                    json::object{{"login", name}, {"password", password}});
    EXPECT_EQ(res.result(), Status::ok) << res.body();
    return res.result() == Status::ok ? std::string(object(res)["access_token"].as_string()) : "";
  }
  // The administrator `cloudphone up` created and printed on first start.
  std::string login_admin() {
    std::string user, pass;
    EXPECT_TRUE(eventually(
        [&] {
          auto log = log_text();
          user = printed(log, "username: ");
          pass = printed(log, "password: ");
          return !user.empty() && !pass.empty();
        },
        10s));
    return login(user, pass);
  }

  // Creates `n` devices as `token`'s user and waits until all run.
  std::vector<std::string> create_running_devices(const std::string& token, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      auto created = send(Method::post, "/api/v1/devices",
                          json::object{{"name", "app itest " + std::to_string(i)},
                                       {"spec",
                                        {{"width", 360},
                                         {"height", 640},
                                         {"dpi", 160},
                                         {"fps", 5},
                                         {"cpu_cores", 1},
                                         {"memory_mb", 1024}}}},
                          token);
      EXPECT_EQ(created.result(), Status::created) << created.body();
      if (created.result() != Status::created) return ids;
      ids.emplace_back(object(created)["id"].as_string());
    }
    for (const auto& id : ids) {
      EXPECT_TRUE(eventually([&] { return state(token, id) == "running"; }, 60s))
          << id << " " << get("/api/v1/devices/" + id, token).body();
    }
    return ids;
  }
  std::string state(const std::string& token, const std::string& id) {
    auto res = get("/api/v1/devices/" + id, token);
    return res.result() == Status::ok ? std::string(object(res)["state"].as_string()) : "gone";
  }
  // Third-party packages on the device, asked over ADB (not through our database).
  std::vector<std::string> packages_over_adb(const std::string& token, const std::string& id) {
    auto d = object(get("/api/v1/devices/" + id, token));
    auto conn =
        adb::AdbConnection::connect(std::string(d.at("adb").at("host").as_string()),
                                    static_cast<uint16_t>(d.at("adb").at("port").as_int64()));
    auto out = conn->shell("pm list packages -3").out;
    std::vector<std::string> names;
    for (size_t at = out.find("package:"); at != std::string::npos;
         at = out.find("package:", at + 1)) {
      names.push_back(out.substr(at + 8, out.find('\n', at) - at - 8));
    }
    return names;
  }
  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  static fs::path apk(const std::string& name) { return apk::testing::test_apk_dir() / name; }
  http::Response upload(const std::string& token, const std::string& bytes,
                        const std::string& type = "application/vnd.android.package-archive",
                        const std::string& query = "") {
    return send_raw(Method::post, "/api/v1/apps" + query, type, bytes, token);
  }
  // Polls an install batch until every item finished; returns its last view.
  json::object wait_batch(const std::string& token, const std::string& batch_id,
                          std::chrono::milliseconds timeout) {
    json::object last;
    eventually(
        [&] {
          last = object(get("/api/v1/apps/installs/" + batch_id, token));
          return last.at("state").as_string() == "finished";
        },
        timeout);
    return last;
  }

  static std::string printed(const std::string& log, const std::string& label) {
    auto at = log.find(label);
    if (at == std::string::npos) return "";
    at += label.size();
    return log.substr(at, log.find_first_of(" \r\n", at) - at);
  }
  http::Response send(Method method, const std::string& target,
                      std::optional<json::object> body = std::nullopt,
                      const std::string& token = "") {
    return CloudphoneUpTest::send(method, target, std::move(body), token);
  }
  http::Response get(const std::string& target, const std::string& token = "") {
    return send(Method::get, target, std::nullopt, token);
  }
};

}  // namespace cp::app::testing
