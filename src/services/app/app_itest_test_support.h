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

class AppItest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / new_id("app-itest");
    fs::create_directories(dir_);
    port_ = free_port();
  }
  void TearDown() override {
    if (pid_ > 0) stop_cloudphone();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Extra CLOUDPHONE_* settings for the child, e.g. {"OBJECTS_BACKEND", "s3"}.
  void start_cloudphone(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env{
        {"DATA_DIR", (dir_ / "data").string()},  {"GATEWAY_HOST", "127.0.0.1"},
        {"GATEWAY_PORT", std::to_string(port_)}, {"GATEWAY_RATE_LIMIT_USER", "100000/1s"},
        {"GATEWAY_RATE_LIMIT_IP", "100000/1s"},  {"DEVICE_MONITOR_INTERVAL_MS", "300"},
        {"QUOTA_DEFAULT_MAX_DEVICES", "12"},     {"QUOTA_DEFAULT_MAX_CPU_CORES", "48"},
        {"QUOTA_DEFAULT_MAX_MEMORY_MB", "65536"}};
    for (auto& [k, v] : extra) env[k] = v;
    std::string bin =
        std::getenv("CP_CLOUDPHONE_BIN") ? std::getenv("CP_CLOUDPHONE_BIN") : "cloudphone";
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& [k, v] : env) setenv(("CLOUDPHONE_" + k).c_str(), v.c_str(), 1);
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
        // not there yet
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  static std::string printed(const std::string& log, const std::string& label) {
    auto at = log.find(label);
    if (at == std::string::npos) return "";
    at += label.size();
    return log.substr(at, log.find_first_of(" \r\n", at) - at);
  }
  std::string log_text() { return read_file(dir_ / "cloudphone.log"); }

  http::Response send(Method method, const std::string& target,
                      std::optional<json::object> body = std::nullopt,
                      const std::string& token = "") {
    http::Request req{method, target, 11};
    if (!token.empty()) req.set(http::bhttp::field::authorization, "Bearer " + token);
    if (body) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = json::serialize(*body);
    }
    req.prepare_payload();
    return client_.send({"127.0.0.1", port_}, std::move(req), 120s);
  }
  http::Response get(const std::string& target, const std::string& token = "") {
    return send(Method::get, target, std::nullopt, token);
  }
  http::Response send_raw(Method method, const std::string& target, const std::string& content_type,
                          std::string body, const std::string& token) {
    http::Request req{method, target, 11};
    req.set(http::bhttp::field::authorization, "Bearer " + token);
    req.set(http::bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return client_.send({"127.0.0.1", port_}, std::move(req), 120s);
  }
  static json::object object(const http::Response& res) {
    boost::system::error_code ec;
    auto v = json::parse(res.body(), ec);
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }

  fs::path dir_;
  uint16_t port_ = 0;
  int pid_ = -1;
  http::HttpClient client_;
};

}  // namespace cp::app::testing
