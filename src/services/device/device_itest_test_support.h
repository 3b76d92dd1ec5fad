#pragma once
// Test-only: a real `cloudphone up` (process runtime) on a free port and temp data dir, with a
// logged-in user and helpers to call the gateway; stopped (and its simulators with it) in TearDown.
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

class DeviceLifecycleItest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = devicesim::testing::make_temp_dir("device-itest");
    port_ = free_port();
    start_cloudphone();
  }
  // `cloudphone up` on dir_/data and port_, ready when the gateway answers /health.
  void start_cloudphone() {
    std::string bin = devicesim::testing::env_or("CP_CLOUDPHONE_BIN", "cloudphone");
    pid_ = fork();
    if (pid_ == 0) {
      setenv("CLOUDPHONE_DATA_DIR", (dir_ / "data").c_str(), 1);
      setenv("CLOUDPHONE_GATEWAY_HOST", "127.0.0.1", 1);
      setenv("CLOUDPHONE_GATEWAY_PORT", std::to_string(port_).c_str(), 1);
      setenv("CLOUDPHONE_GATEWAY_RATE_LIMIT_USER", "100000/1s", 1);
      setenv("CLOUDPHONE_GATEWAY_RATE_LIMIT_IP", "100000/1s", 1);
      setenv("CLOUDPHONE_DEVICE_MONITOR_INTERVAL_MS", "300", 1);
      // Room for the batch and template cases (the default quota is 2 devices, 4 cores).
      setenv("CLOUDPHONE_QUOTA_DEFAULT_MAX_DEVICES", "10", 1);
      setenv("CLOUDPHONE_QUOTA_DEFAULT_MAX_CPU_CORES", "32", 1);
      setenv("CLOUDPHONE_QUOTA_DEFAULT_MAX_MEMORY_MB", "65536", 1);
      for (const auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
      int log = open((dir_ / "cloudphone.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execl(bin.c_str(), bin.c_str(), "up", static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_TRUE(eventually([&] { return get("/health").result() == Status::ok; }, 30s))
        << log_text();
  }
  void stop_cloudphone() {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(100ms);
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
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
  void TearDown() override {
    if (pid_ > 0) stop_cloudphone();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  static uint16_t free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }
  template <class Pred>
  static bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        if (pred()) return true;
      } catch (const std::exception&) {
        // not up yet
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  std::string log_text() {
    std::ifstream in(dir_ / "cloudphone.log");
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  http::Response send(Method method, const std::string& target,
                      std::optional<json::object> body = std::nullopt) {
    http::Request req{method, target, 11};
    if (!token_.empty()) req.set(http::bhttp::field::authorization, "Bearer " + token_);
    if (body) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = json::serialize(*body);
    }
    return client_.send({"127.0.0.1", port_}, std::move(req), 30s);
  }
  http::Response get(const std::string& target) { return send(Method::get, target); }
  // A request with a non-JSON body (file upload, APK).
  http::Response send_raw(Method method, const std::string& target, const std::string& content_type,
                          std::string body) {
    http::Request req{method, target, 11};
    req.set(http::bhttp::field::authorization, "Bearer " + token_);
    req.set(http::bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return client_.send({"127.0.0.1", port_}, std::move(req), 30s);
  }
  json::object object(const http::Response& res) { return json::parse(res.body()).as_object(); }
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

  fs::path dir_;
  std::vector<std::pair<std::string, std::string>> env_;  // extra environment of `cloudphone up`
  uint16_t port_ = 0;
  int pid_ = -1;
  http::HttpClient client_;
  std::string token_;
};

}  // namespace cp::device::testing
