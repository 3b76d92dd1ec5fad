#pragma once
// Test-only: the device itests' fixture — a real `cloudphone up` (services/host's
// CloudphoneUpTest) with a logged-in user, devices, states and the outbox's events.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/http_client.h"
#include "devicesim/adbd_test_support.h"
#include "devicesim/simulator_pids_test_support.h"
#include "platform/db.h"
#include "services/host/cloudphone_up_test_support.h"

namespace cp::device::testing {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using http::Method;
using http::Status;

using cp::devicesim::testing::simulator_pids;

// Exists and is not a zombie (an orphan may wait for a reaper that never comes in a container).
inline bool process_alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

class DeviceLifecycleItest : public services::testing::CloudphoneUpTest {
 protected:
  void SetUp() override {
    CloudphoneUpTest::SetUp();
    start_cloudphone();
  }
  // `cloudphone up` with env_ on top of the base fixture's settings.
  void start_cloudphone() {
    std::map<std::string, std::string> extra;
    for (const auto& [k, v] : env_) extra[k.substr(std::string("CLOUDPHONE_").size())] = v;
    CloudphoneUpTest::start_cloudphone(extra);
  }
  void login_new_user(const std::string& name) {
    auto reg = send(Method::post, "/api/v1/auth/register",
                    json::object{{"email", name + "@example.com"},
                                 {"username", name},
                                 {"password", "correct horse 42"}});
    ASSERT_EQ(reg.result(), Status::created) << reg.body();
    auto login = send(Method::post, "/api/v1/auth/login",
                      json::object{{"login", name}, {"password", "correct horse 42"}});
    ASSERT_EQ(login.result(), Status::ok) << login.body();
    token_ = std::string(object(login)["access_token"].as_string());
  }
  std::string create_running_device() {
    auto created = send(Method::post, "/api/v1/devices",
                        json::object{{"name", "itest phone"},
                                     {"spec", {{"width", 480}, {"height", 800}, {"dpi", 240}}}});
    EXPECT_EQ(created.result(), Status::created) << created.body();
    std::string id(object(created)["id"].as_string());
    EXPECT_TRUE(eventually([&] { return state(id) == "running"; }, 20s))
        << get("/api/v1/devices/" + id).body();
    return id;
  }
  http::Response send(Method method, const std::string& target,
                      std::optional<json::object> body = std::nullopt) {
    return CloudphoneUpTest::send(method, target, std::move(body), token_);
  }
  http::Response get(const std::string& target) { return send(Method::get, target); }
  http::Response send_raw(Method method, const std::string& target, const std::string& content_type,
                          std::string body) {
    return CloudphoneUpTest::send_raw(method, target, content_type, std::move(body), token_);
  }
  // Event types the service wrote to its outbox about `subject`, in order (read from the
  // instance's SQLite database while it runs).
  std::vector<std::string> events_of(const std::string& subject) {
    auto db = db::open_database("sqlite:" + (dir_ / "data" / "core.db").string(), 1);
    std::vector<std::string> types;
    for (const auto& r : db->exec("SELECT type, payload FROM outbox ORDER BY seq")) {
      auto payload = json::parse(r.text(1)).as_object();
      if (payload["subject"] == json::value(subject)) types.push_back(r.text(0));
    }
    return types;
  }
  std::string wait_for_state(const std::string& id, const std::string& want,
                             std::chrono::milliseconds timeout) {
    std::string last;
    eventually([&] { return (last = state(id)) == want; }, timeout);
    return last;
  }
  std::string state(const std::string& id) {
    auto res = get("/api/v1/devices/" + id);
    return res.result() == Status::ok ? std::string(object(res)["state"].as_string()) : "gone";
  }

  // Extra environment of `cloudphone up` (CLOUDPHONE_* names).
  std::vector<std::pair<std::string, std::string>> env_;
  std::string token_;
};

}  // namespace cp::device::testing
