#pragma once
// Test-only base fixture for service itests: a real `cloudphone up` (process runtime, simulated
// devices) on a free loopback port and a temp data dir, HTTP helpers that send a bearer token,
// and a stop that lets it end its simulators (SIGTERM, then SIGKILL). The device and app itests
// derive from it and add their own domain helpers.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "core/http_client.h"
#include "core/ids.h"

namespace cp::services::testing {

class CloudphoneUpTest : public ::testing::Test {
 protected:
  using Method = http::Method;
  using Status = http::Status;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / new_id("cp-up-itest");
    std::filesystem::create_directories(dir_);
    port_ = free_port();
  }
  void TearDown() override {
    if (pid_ > 0) stop_cloudphone();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // `cloudphone up` with CLOUDPHONE_<KEY>=value for each of `extra` on top of the defaults
  // (own data dir and port, rate limits out of the way, a fast device monitor, room for a dozen
  // devices); ready when the gateway answers /health. Output goes to dir_/cloudphone.log.
  void start_cloudphone(const std::map<std::string, std::string>& extra = {}) {
    using namespace std::chrono_literals;
    std::map<std::string, std::string> env{
        {"DATA_DIR", (dir_ / "data").string()},  {"GATEWAY_HOST", "127.0.0.1"},
        {"GATEWAY_PORT", std::to_string(port_)}, {"GATEWAY_RATE_LIMIT_USER", "100000/1s"},
        {"GATEWAY_RATE_LIMIT_IP", "100000/1s"},  {"DEVICE_MONITOR_INTERVAL_MS", "300"},
        {"QUOTA_DEFAULT_MAX_DEVICES", "12"},     {"QUOTA_DEFAULT_MAX_CPU_CORES", "48"},
        {"QUOTA_DEFAULT_MAX_MEMORY_MB", "65536"}};
    for (const auto& [k, v] : extra) env[k] = v;
    const char* from_env = std::getenv("CP_CLOUDPHONE_BIN");
    const std::string bin = from_env ? from_env : "cloudphone";
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& [k, v] : env) setenv(("CLOUDPHONE_" + k).c_str(), v.c_str(), 1);
      int log = open((dir_ / "cloudphone.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execl(bin.c_str(), bin.c_str(), "up", static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_TRUE(eventually(
        [&] { return send(Method::get, "/health", std::nullopt, "").result() == Status::ok; }, 30s))
        << log_text();
  }
  void stop_cloudphone() {
    using namespace std::chrono_literals;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(100ms);
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string log_text() const {
    std::ifstream in(dir_ / "cloudphone.log");
    return std::string((std::istreambuf_iterator<char>(in)), {});
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
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  http::Response send(Method method, const std::string& target,
                      std::optional<boost::json::object> body, const std::string& token) {
    http::Request req{method, target, 11};
    if (!token.empty()) req.set(http::bhttp::field::authorization, "Bearer " + token);
    if (body) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = boost::json::serialize(*body);
    }
    req.prepare_payload();
    return client_.send({"127.0.0.1", port_}, std::move(req), std::chrono::seconds(120));
  }
  // A request with a non-JSON body (file upload, APK).
  http::Response send_raw(Method method, const std::string& target, const std::string& content_type,
                          std::string body, const std::string& token) {
    http::Request req{method, target, 11};
    if (!token.empty()) req.set(http::bhttp::field::authorization, "Bearer " + token);
    req.set(http::bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return client_.send({"127.0.0.1", port_}, std::move(req), std::chrono::seconds(120));
  }
  // {} when the body is not a JSON object.
  static boost::json::object object(const http::Response& res) {
    boost::system::error_code ec;
    auto v = boost::json::parse(res.body(), ec);
    return !ec && v.is_object() ? v.as_object() : boost::json::object{};
  }

  std::filesystem::path dir_;
  uint16_t port_ = 0;
  int pid_ = -1;
  http::HttpClient client_;
};

}  // namespace cp::services::testing
