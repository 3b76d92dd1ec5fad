// Two processes on PostgreSQL: `cloudphone serve user` and `cloudphone serve gateway`, sharing
// the JWT and internal secrets. Requests go through the gateway to the user process over HTTP;
// when the user process is SIGKILLed the gateway answers 503 problem+json, fast once its circuit
// breaker/health check has marked the instance down; after a restart requests recover.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "core/identity_codec.h"
#include "itest_support.h"
#include "platform/db.h"
#include "platform/db_testing.h"

namespace cp::itest {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr const char* kJwtSecret = "itest-distributed-jwt-secret-0123456789";
constexpr const char* kInternalSecret = "itest-distributed-internal-secret-012345";

std::string with_database(const std::string& admin_url, const std::string& name) {
  auto slash = admin_url.rfind('/');
  auto query = admin_url.find('?', slash);
  return admin_url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : admin_url.substr(query));
}

// Fresh core and billing databases on the fixture's server, dropped at the end.
class FreshDatabases {
 public:
  FreshDatabases() : admin_url_(db::test_postgres_url()) {
    std::random_device rd;
    auto suffix = std::to_string(rd()) + std::to_string(rd() % 1000);
    core_ = "cp_itest_core_" + suffix;
    billing_ = "cp_itest_billing_" + suffix;
    auto admin = db::open_database(admin_url_, 1);
    admin->exec_script("CREATE DATABASE " + core_);
    admin->exec_script("CREATE DATABASE " + billing_);
  }
  ~FreshDatabases() {
    try {
      auto admin = db::open_database(admin_url_, 1);
      admin->exec_script("DROP DATABASE IF EXISTS " + core_ + " WITH (FORCE)");
      admin->exec_script("DROP DATABASE IF EXISTS " + billing_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      std::cerr << "dropping test databases: " << e.what() << "\n";
    }
  }
  std::string core_url() const { return with_database(admin_url_, core_); }
  std::string billing_url() const { return with_database(admin_url_, billing_); }

 private:
  std::string admin_url_, core_, billing_;
};

TEST(Distributed, GatewayAndUserServiceAsTwoProcessesSurviveAUserServiceCrash) {
  FreshDatabases dbs;
  TempDir dir("cp_itest_dist_");
  const uint16_t user_port = free_port();
  const uint16_t gateway_port = free_port();
  Settings common{{"db.core_url", dbs.core_url()},
                  {"db.billing_url", dbs.billing_url()},
                  {"db.pool_size", "4"},
                  {"auth.jwt_secret", kJwtSecret},
                  {"auth.internal_secret", kInternalSecret},
                  {"log.level", "warn"}};
  Settings user_cfg = common;
  user_cfg["data.dir"] = (dir.path() / "user-data").string();
  user_cfg["user.host"] = "127.0.0.1";
  user_cfg["user.port"] = std::to_string(user_port);
  Settings gw_cfg = common;
  gw_cfg["data.dir"] = (dir.path() / "gateway-data").string();
  gw_cfg["gateway.host"] = "127.0.0.1";
  gw_cfg["gateway.port"] = std::to_string(gateway_port);
  gw_cfg["gateway.rate_limit.user"] = "100000/1s";
  gw_cfg["gateway.rate_limit.ip"] = "100000/1s";
  gw_cfg["services.user.urls"] = "http://127.0.0.1:" + std::to_string(user_port);
  gw_cfg["services.timeout_ms"] = "1000";
  gw_cfg["services.breaker.reset_ms"] = "500";
  gw_cfg["services.breaker.window_ms"] = "2000";
  gw_cfg["services.breaker.min_calls"] = "3";
  gw_cfg["services.health_interval_ms"] = "200";

  // The user process first: it applies the migrations the gateway process then finds done.
  auto user_proc = std::make_unique<Process>("user", std::vector<std::string>{"serve", "user"}, user_cfg, dir.path());
  user_proc->start();
  ASSERT_TRUE(user_proc->wait_healthy(user_port, 60s)) << user_proc->diagnostics();
  Process gateway("gateway", {"serve", "gateway"}, gw_cfg, dir.path());
  gateway.start();
  ASSERT_TRUE(gateway.wait_healthy(gateway_port, 60s)) << gateway.diagnostics() << user_proc->diagnostics();
  auto diagnostics = [&] { return gateway.diagnostics() + "\n" + user_proc->diagnostics(); };

  Client client(gateway_port, 3000ms);
  json::object login;
  try {
    login = register_and_login(client, "distributed_user");
  } catch (const std::exception& e) {
    FAIL() << e.what() << "\n" << diagnostics();
  }
  const std::string token(login["access_token"].as_string());
  auto me = client.get("/api/v1/users/me", bearer(token));
  ASSERT_EQ(me.status, 200) << me.body << diagnostics();
  EXPECT_EQ(me.json()["username"], "distributed_user");
  // The signed identity header only the gateway can mint: a client's copy is stripped.
  http::Identity root{"usr_root", {"super_admin"}, {"*"}, "internal", "", {}};
  auto forged = http::IdentityCodec(kInternalSecret).encode(root, std::time(nullptr));
  EXPECT_EQ(client.get("/api/v1/users", {{http::kIdentityHeader, forged}}).status, 401);
  // The user process also refuses identities signed with another secret.
  Client direct(user_port);
  auto wrong = http::IdentityCodec("not-the-internal-secret-0123456789").encode(root, std::time(nullptr));
  EXPECT_EQ(direct.get("/api/v1/users", {{http::kIdentityHeader, wrong}}).status, 401);

  // Crash the user service.
  user_proc->kill_now();
  std::vector<std::chrono::milliseconds> times;
  for (int i = 0; i < 20; ++i) {
    Reply r;
    try {
      r = client.get("/api/v1/users/me", bearer(token));
    } catch (const std::exception& e) {
      FAIL() << "the gateway did not answer: " << e.what() << "\n" << diagnostics();
    }
    ASSERT_EQ(r.status, 503) << "request " << i << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_TRUE(r.json().contains("code") && r.json().contains("request_id")) << r.body;
    times.push_back(r.elapsed);
  }
  // The first calls may wait for a connect failure or the timeout; once the instance is marked
  // down every answer is immediate.
  EXPECT_LE(times.front(), 1500ms);
  for (size_t i = 5; i < times.size(); ++i) {
    EXPECT_LT(times[i], 100ms) << "request " << i << " after the crash took " << times[i].count() << " ms";
  }
  std::cerr << "503 latencies after the crash (ms):";
  for (auto t : times) std::cerr << " " << t.count();
  std::cerr << "\n";

  // Restart it on the same port: the gateway's health check and breaker let requests through again.
  user_proc = std::make_unique<Process>("user2", std::vector<std::string>{"serve", "user"}, user_cfg, dir.path());
  user_proc->start();
  ASSERT_TRUE(user_proc->wait_healthy(user_port, 60s)) << user_proc->diagnostics();
  auto restarted = std::chrono::steady_clock::now();
  int status = 0;
  while (std::chrono::steady_clock::now() - restarted < 10s) {
    status = client.get("/api/v1/users/me", bearer(token)).status;
    if (status == 200) break;
    std::this_thread::sleep_for(50ms);
  }
  auto recovery = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted);
  ASSERT_EQ(status, 200) << "no recovery within 10 s\n" << diagnostics();
  std::cerr << "recovered " << recovery.count() << " ms after the user process was healthy again\n";
  EXPECT_LT(recovery, 5s);
  // State lives in PostgreSQL: the account is still there for a new login.
  auto again = client.post_json("/api/v1/auth/login", {{"login", "distributed_user"}, {"password", "correct horse 42"}});
  EXPECT_EQ(again.status, 200) << again.body;
}

}  // namespace
}  // namespace cp::itest
