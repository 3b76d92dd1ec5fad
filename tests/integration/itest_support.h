#pragma once
// Helpers for integration tests that run the real `cloudphone` binary ($CP_CLOUDPHONE_BIN):
// free loopback ports, throw-away data directories, child processes that are always killed
// (RAII, and PR_SET_PDEATHSIG if the test itself dies), and a small HTTP helper over our own
// cp::http::HttpClient.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/http_client.h"

namespace cp::itest {

// A TCP port on 127.0.0.1 nobody listens on right now (bind port 0, read it, close).
uint16_t free_port();

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "cp_itest_");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Configuration handed to the child as CLOUDPHONE_* environment variables ("gateway.port" →
// CLOUDPHONE_GATEWAY_PORT); the parent's own CLOUDPHONE_* variables are not inherited.
using Settings = std::map<std::string, std::string>;

// One `cloudphone ...` child process; stdout and stderr go to files in `log_dir`.
class Process {
 public:
  Process(std::string name, std::vector<std::string> args, Settings settings, std::filesystem::path log_dir);
  ~Process();  // SIGKILL if still running, then reaped
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void start();
  void kill_now();  // SIGKILL and reap
  bool running();
  int pid() const { return pid_; }
  std::string stdout_text() const;
  std::string stderr_text() const;
  // Waits until stdout contains `needle` (or the process exits / time runs out).
  bool wait_for_output(const std::string& needle, std::chrono::milliseconds timeout);
  // Waits until GET http://127.0.0.1:port/health answers 200.
  bool wait_healthy(uint16_t port, std::chrono::milliseconds timeout);
  // The tail of both logs, for failure messages.
  std::string diagnostics() const;

 private:
  std::string name_;
  std::vector<std::string> args_;
  Settings settings_;
  std::filesystem::path out_, err_;
  int pid_ = -1;
};

// Path of the binary under test; fails the test (throws) when unset.
std::string cloudphone_bin();

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::chrono::milliseconds elapsed{0};
  boost::json::object json() const;  // {} when the body is not a JSON object
  std::string header(const std::string& lower_name) const;
};

class Client {
 public:
  explicit Client(uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Sends a request; `body` is sent as-is with `content_type` when given.
  Reply send(http::Method method, const std::string& target, const std::optional<std::string>& body = std::nullopt,
             const std::map<std::string, std::string>& headers = {},
             const std::string& content_type = "application/json");
  Reply get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return send(http::Method::get, target, std::nullopt, headers);
  }
  Reply post_json(const std::string& target, const boost::json::value& body,
                  const std::map<std::string, std::string>& headers = {}) {
    return send(http::Method::post, target, boost::json::serialize(body), headers);
  }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  http::HttpClient client_;
};

std::map<std::string, std::string> bearer(const std::string& token);

// Registers a user and logs in; returns the login reply's JSON (access_token, user, ...).
boost::json::object register_and_login(Client& client, const std::string& username,
                                       const std::string& password = "correct horse 42");

// "username: X" / "password: Y" as `cloudphone up` prints them on first start.
std::optional<std::string> printed_value(const std::string& output, const std::string& label);

// Reads `key` from $CP_TEST_ENV_DIR/<file> (KEY=VALUE lines) or the environment.
std::optional<std::string> test_env(const std::string& file, const std::string& key);

}  // namespace cp::itest
