// `make run` in a test: `cloudphone up` on a fresh data directory prints the administrator's
// login once; it works; the built-in endpoints (health, ready, metrics, OpenAPI, docs) answer.
#include <gtest/gtest.h>

#include "itest_support.h"

namespace cp::itest {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class Smoke : public ::testing::Test {
 protected:
  Settings settings() {
    return {{"data.dir", (data_.path() / "data").string()},
            {"gateway.host", "127.0.0.1"},
            {"gateway.port", std::to_string(port_)},
            {"log.level", "warn"}};
  }
  TempDir data_;
  uint16_t port_ = free_port();
};

TEST_F(Smoke, UpPrintsAdminLoginAndServesTheBuiltIns) {
  Process up("up", {"up"}, settings(), data_.path());
  up.start();
  ASSERT_TRUE(up.wait_for_output("API docs:", 60s)) << up.diagnostics();
  ASSERT_TRUE(up.wait_healthy(port_, 30s)) << up.diagnostics();
  auto out = up.stdout_text();
  auto username = printed_value(out, "username");
  auto password = printed_value(out, "password");
  ASSERT_TRUE(username && password) << out;
  EXPECT_EQ(*username, "admin");

  Client client(port_);
  auto login = client.post_json("/api/v1/auth/login", {{"login", *username}, {"password", *password}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string token(login.json()["access_token"].as_string());
  auto users = client.get("/api/v1/users", bearer(token));
  ASSERT_EQ(users.status, 200) << users.body;
  bool found = false;
  auto users_body = users.json();
  for (const auto& u : users_body["items"].as_array()) {
    if (u.as_object().at("username") == json::value(*username)) found = true;
  }
  EXPECT_TRUE(found) << users.body;

  auto health = client.get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
  auto ready = client.get("/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;

  auto metrics = client.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_requests_total"), std::string::npos) << metrics.body.substr(0, 500);

  auto openapi = client.get("/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  auto doc = openapi.json();
  ASSERT_FALSE(doc.empty()) << "not a JSON object: " << openapi.body.substr(0, 200);
  EXPECT_TRUE(doc.contains("openapi"));
  ASSERT_TRUE(doc.contains("paths"));
  const auto& paths = doc["paths"].as_object();
  for (const char* p : {"/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/users/me", "/api/v1/api-keys"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }

  auto docs = client.get("/docs");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(docs.body.find("<html"), std::string::npos);
  EXPECT_NE(docs.body.find("/openapi.json"), std::string::npos);

  // A restart on the same data keeps the administrator (and the secrets: the token stays valid)
  // and does not print a password again.
  up.kill_now();
  Process again("up2", {"up"}, settings(), data_.path());
  again.start();
  ASSERT_TRUE(again.wait_for_output("API docs:", 60s)) << again.diagnostics();
  ASSERT_TRUE(again.wait_healthy(port_, 30s)) << again.diagnostics();
  EXPECT_FALSE(printed_value(again.stdout_text(), "password")) << again.stdout_text();
  EXPECT_EQ(client.get("/api/v1/users/me", bearer(token)).status, 200);
}

}  // namespace
}  // namespace cp::itest
