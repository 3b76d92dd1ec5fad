// The gateway's security behaviour end to end: one `cloudphone up` (SQLite) on a free port,
// driven over HTTP. Rate limits are raised except in the rate-limit case, which starts its own
// process with the seed limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "core/identity_codec.h"
#include "itest_support.h"
#include "services/user/tokens.h"

namespace cp::itest {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using http::Method;

constexpr const char* kJwtSecret = "itest-security-jwt-secret-0123456789abcdef";
constexpr const char* kInternalSecret = "itest-security-internal-secret-0123456789";
constexpr const char* kAllowedOrigin = "http://console.example";
constexpr int kBodyLimit = 64 * 1024;

Settings base_settings(const TempDir& dir, uint16_t port) {
  return {{"data.dir", (dir.path() / "data").string()},
          {"gateway.host", "127.0.0.1"},
          {"gateway.port", std::to_string(port)},
          {"gateway.cors_origins", kAllowedOrigin},
          {"gateway.api_key_cache_ms", "300"},
          {"auth.jwt_secret", kJwtSecret},
          {"auth.internal_secret", kInternalSecret},
          {"http.body_limit", std::to_string(kBodyLimit)},
          {"log.level", "warn"}};
}

// Every error the platform returns: problem+json with a code and the request id.
void expect_problem(const Reply& r, int status, const std::string& code = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.status << " " << r.body;
  auto b = r.json();
  EXPECT_TRUE(b.contains("code") && b["code"].is_string()) << r.body;
  EXPECT_TRUE(b.contains("request_id") && b["request_id"].is_string() && !b["request_id"].as_string().empty())
      << r.body;
  EXPECT_FALSE(r.header("x-request-id").empty());
  if (b.contains("request_id") && b["request_id"].is_string()) {
    EXPECT_EQ(r.header("x-request-id"), std::string(b["request_id"].as_string()));
  }
  if (!code.empty() && b.contains("code")) {
    EXPECT_EQ(b["code"], json::value(code)) << r.body;
  }
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

// One process for the whole suite: starting it (migrations, admin hashing) is the slow part.
class Security : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cp_itest_sec_");
    port_ = free_port();
    auto s = base_settings(*dir_, port_);
    s["gateway.rate_limit.user"] = "100000/1s";
    s["gateway.rate_limit.ip"] = "100000/1s";
    up_ = new Process("up", {"up"}, s, dir_->path());
    up_->start();
    ready_ = up_->wait_for_output("API docs:", 60s) && up_->wait_healthy(port_, 30s);
  }
  static void TearDownTestSuite() {
    delete up_;  // kills it
    up_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << up_->diagnostics(); }
  void TearDown() override {
    if (HasFailure()) std::cerr << up_->diagnostics() << "\n";
  }

  // A fresh user per test (names must be unique across the suite).
  json::object new_user(const std::string& name) { return register_and_login(client_, name); }
  static std::string token_of(json::object& login) { return str(login["access_token"]); }
  static std::string id_of(json::object& login) { return str(login["user"].as_object()["id"]); }

  std::string admin_token() {
    auto out = up_->stdout_text();
    auto user = printed_value(out, "username");
    auto pass = printed_value(out, "password");
    if (!user || !pass) throw std::runtime_error("no admin login printed: " + out);
    auto r = client_.post_json("/api/v1/auth/login", {{"login", *user}, {"password", *pass}});
    if (r.status != 200) throw std::runtime_error("admin login: " + r.body);
    return str(r.json()["access_token"]);
  }

  static TempDir* dir_;
  static Process* up_;
  static uint16_t port_;
  static bool ready_;
  Client client_{port_};
};
TempDir* Security::dir_ = nullptr;
Process* Security::up_ = nullptr;
uint16_t Security::port_ = 0;
bool Security::ready_ = false;

TEST_F(Security, MissingExpiredTamperedAndForeignTokensAre401) {
  auto alice = new_user("alice");
  ASSERT_EQ(client_.get("/api/v1/users/me", bearer(token_of(alice))).status, 200);
  expect_problem(client_.get("/api/v1/users/me"), 401);

  auto now = user::unix_seconds(std::chrono::system_clock::now());
  user::AccessClaims claims{id_of(alice), {"user"}, {}, "fam_x", now - 3600, now - 60};
  expect_problem(client_.get("/api/v1/users/me", bearer(user::sign_access_token(claims, kJwtSecret))), 401,
                 "token_expired");

  claims.expires_at = now + 600;
  expect_problem(client_.get("/api/v1/users/me",
                             bearer(user::sign_access_token(claims, "someone-elses-secret-0123456789abcdef"))),
                 401, "token_invalid");

  // Tampered: payload changed to claim super_admin, signature kept.
  auto t = token_of(alice);
  auto first = t.find('.');
  auto second = t.find('.', first + 1);
  auto payload = *http::base64url_decode(t.substr(first + 1, second - first - 1));
  auto pos = payload.find("\"user\"");
  ASSERT_NE(pos, std::string::npos) << payload;
  payload.replace(pos, 6, "\"super_admin\"");
  auto forged = t.substr(0, first + 1) + http::base64url_encode(payload) + t.substr(second);
  expect_problem(client_.get("/api/v1/users", bearer(forged)), 401, "token_invalid");
  expect_problem(client_.get("/api/v1/users/me", bearer("garbage")), 401, "token_malformed");
  expect_problem(client_.get("/api/v1/users/me", {{"Authorization", "Basic YTpi"}}), 401);
}

TEST_F(Security, ClientCannotForgeTheInternalIdentityHeader) {
  // Even signed with the real internal secret, a client's identity header is stripped.
  http::Identity root{"usr_root", {"super_admin"}, {"*"}, "internal", "", {}};
  auto header = http::IdentityCodec(kInternalSecret).encode(root, user::unix_seconds(std::chrono::system_clock::now()));
  expect_problem(client_.get("/api/v1/users", {{http::kIdentityHeader, header}}), 401);
  auto bob = new_user("bob_forger");
  auto r = client_.get("/api/v1/users", {{http::kIdentityHeader, header}, {"Authorization", "Bearer " + token_of(bob)}});
  expect_problem(r, 403);
}

TEST_F(Security, PlainUserGets403OnAdminRoutes) {
  auto carol = new_user("carol");
  auto h = bearer(token_of(carol));
  expect_problem(client_.get("/api/v1/users", h), 403);
  expect_problem(client_.get("/api/v1/audit", h), 403);
  expect_problem(client_.post_json("/api/v1/roles", {{"name", "hackers"}, {"permissions", json::array{"*"}}}, h), 403);
  expect_problem(client_.post_json("/api/v1/auth/api-keys/verify", {{"key", "cpk_x"}}, h), 403);
  // An administrator may.
  EXPECT_EQ(client_.get("/api/v1/users", bearer(admin_token())).status, 200);
}

TEST_F(Security, OneUserCannotReadOrChangeAnothersData) {
  auto dave = new_user("dave");
  auto erin = new_user("erin");
  auto h = bearer(token_of(dave));
  auto read = client_.get("/api/v1/users/" + id_of(erin), h);
  EXPECT_TRUE(read.status == 403 || read.status == 404) << read.status;
  expect_problem(read, read.status);
  auto patch = client_.send(Method::patch, "/api/v1/users/" + id_of(erin),
                            json::serialize(json::object{{"display_name", "pwned"}}), h);
  EXPECT_TRUE(patch.status == 403 || patch.status == 404) << patch.status;
  auto quota = client_.get("/api/v1/quotas/" + id_of(erin), h);
  EXPECT_TRUE(quota.status == 403 || quota.status == 404) << quota.status;
  auto erin_me = client_.get("/api/v1/users/me", bearer(token_of(erin)));
  ASSERT_EQ(erin_me.status, 200);
  EXPECT_NE(erin_me.json()["display_name"], "pwned");
  EXPECT_EQ(erin_me.json()["id"], json::value(id_of(erin)));
}

TEST_F(Security, InjectionStringsAreStoredAndReturnedVerbatim) {
  const std::vector<std::string> nasty{"'; DROP TABLE users; --", "\" OR 1=1 --", "Zoë 日本語 🚀 \u202e עברית",
                                       "100% _x_ \\ %", "%", "_", "' OR ''='"};
  const std::string password = "'; DROP TABLE users; -- \" OR 1=1 --";
  const std::string email = "o'brien\";--%_x@example.com";
  auto reg = client_.post_json("/api/v1/auth/register", {{"email", email},
                                                        {"username", "frank_o.k-1"},
                                                        {"password", password},
                                                        {"display_name", nasty[0]}});
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_EQ(reg.json()["display_name"], json::value(nasty[0]));
  EXPECT_EQ(reg.json()["email"], json::value(email));
  auto login = client_.post_json("/api/v1/auth/login", {{"login", "frank_o.k-1"}, {"password", password}});
  ASSERT_EQ(login.status, 200) << login.body;
  auto h = bearer(str(login.json()["access_token"]));
  // The same with the email as login.
  EXPECT_EQ(client_.post_json("/api/v1/auth/login", {{"login", email}, {"password", password}}).status, 200);
  // " OR 1=1 as a password does not log anyone in.
  expect_problem(client_.post_json("/api/v1/auth/login", {{"login", "frank_o.k-1"}, {"password", "' OR '1'='1"}}), 401);

  for (const auto& s : nasty) {
    auto r = client_.send(Method::patch, "/api/v1/users/me", json::serialize(json::object{{"display_name", s}}), h);
    ASSERT_EQ(r.status, 200) << s << ": " << r.body;
    EXPECT_EQ(r.json()["display_name"], json::value(s));
    auto me = client_.get("/api/v1/users/me", h);
    EXPECT_EQ(me.json()["display_name"], json::value(s));
    auto key = client_.post_json("/api/v1/api-keys", {{"name", s}}, h);
    ASSERT_EQ(key.status, 201) << s << ": " << key.body;
    EXPECT_EQ(key.json()["name"], json::value(s));
  }
  auto keys = client_.get("/api/v1/api-keys", h);
  ASSERT_EQ(keys.status, 200);
  std::vector<std::string> names;
  auto keys_body = keys.json();
  for (const auto& k : keys_body["items"].as_array()) names.push_back(str(k.as_object().at("name")));
  for (const auto& s : nasty) EXPECT_NE(std::find(names.begin(), names.end(), s), names.end()) << s;

  // Where the format is restricted the string is refused with the field named, not stored.
  auto bad_user = client_.post_json("/api/v1/auth/register", {{"email", "x1@example.com"},
                                                             {"username", nasty[0]},
                                                             {"password", "correct horse 42"}});
  expect_problem(bad_user, 400);
  EXPECT_EQ(bad_user.json()["field"], "username");
  auto bad_email = client_.post_json("/api/v1/auth/register", {{"email", nasty[1]},
                                                              {"username", "gina"},
                                                              {"password", "correct horse 42"}});
  expect_problem(bad_email, 400);
  EXPECT_EQ(bad_email.json()["field"], "email");

  // LIKE wildcards in a search are literal characters: "%" finds only names containing "%".
  auto admin = bearer(admin_token());
  auto all = client_.get("/api/v1/users?limit=100", admin);
  ASSERT_EQ(all.status, 200) << all.body;
  auto percent = client_.get("/api/v1/users?search=%25&limit=100", admin);
  ASSERT_EQ(percent.status, 200) << percent.body;
  auto percent_body = percent.json();
  EXPECT_LT(percent_body["items"].as_array().size(), all.json()["items"].as_array().size());
  for (const auto& u : percent_body["items"].as_array()) {
    const auto& o = u.as_object();
    std::string text = str(o.at("username")) + str(o.at("email")) + str(o.at("display_name"));
    EXPECT_NE(text.find('%'), std::string::npos) << json::serialize(o);
  }
  // The users table is still there.
  EXPECT_EQ(client_.get("/api/v1/users/me", h).status, 200);
  new_user("after_injection");
}

TEST_F(Security, BodyLimitsContentTypesAndMalformedJson) {
  std::string huge = "{\"email\":\"big@example.com\",\"username\":\"big\",\"password\":\"" +
                     std::string(kBodyLimit + 1024, 'a') + "\"}";
  Reply big;
  try {
    big = client_.send(Method::post, "/api/v1/auth/register", huge);
  } catch (const std::exception& e) {
    FAIL() << "oversized body: no answer (" << e.what() << ")";
  }
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(client_.get("/health").status, 200) << "the server keeps serving";
  Client fresh(port_);
  EXPECT_EQ(fresh.get("/health").status, 200);

  auto malformed = client_.send(Method::post, "/api/v1/auth/register", "{\"email\": \"a@b.c\", ");
  expect_problem(malformed, 400);
  EXPECT_TRUE(malformed.json().contains("field")) << malformed.body;

  auto not_object = client_.send(Method::post, "/api/v1/auth/login", "[1,2,3]");
  expect_problem(not_object, 400);
  EXPECT_TRUE(not_object.json().contains("field")) << not_object.body;

  auto wrong_type = client_.send(Method::post, "/api/v1/auth/login", "login=a&password=b", {},
                                 "application/x-www-form-urlencoded");
  expect_problem(wrong_type, 415);
  auto no_type = client_.send(Method::post, "/api/v1/auth/login", "{\"login\":\"a\",\"password\":\"b\"}", {}, "");
  EXPECT_EQ(no_type.status, 415) << no_type.body;

  auto missing = client_.post_json("/api/v1/auth/register", {{"email", "m@example.com"}, {"username", "mmm"}});
  expect_problem(missing, 400);
  EXPECT_EQ(missing.json()["field"], "password");
  expect_problem(client_.get("/api/v1/no-such-thing"), 404);
}

TEST_F(Security, RequestIdIsEchoedOrGenerated) {
  auto r = client_.get("/health", {{"X-Request-ID", "itest-req-42"}});
  EXPECT_EQ(r.header("x-request-id"), "itest-req-42");
  auto err = client_.get("/api/v1/users/me", {{"X-Request-ID", "itest-req-43"}});
  expect_problem(err, 401);
  EXPECT_EQ(err.json()["request_id"], "itest-req-43");
  auto generated = client_.get("/health");
  EXPECT_FALSE(generated.header("x-request-id").empty());
  auto junk = client_.get("/health", {{"X-Request-ID", "bad id with spaces"}});
  EXPECT_NE(junk.header("x-request-id"), "bad id with spaces");
}

TEST_F(Security, ApiKeyAuthenticatesAndRevokedKeyStopsAfterTheCacheTtl) {
  auto hank = new_user("hank");
  auto h = bearer(token_of(hank));
  auto created = client_.post_json("/api/v1/api-keys", {{"name", "ci"}}, h);
  ASSERT_EQ(created.status, 201) << created.body;
  auto key = str(created.json()["key"]);
  auto me = client_.get("/api/v1/users/me", {{"X-API-Key", key}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["id"], json::value(id_of(hank)));
  expect_problem(client_.get("/api/v1/users/me", {{"X-API-Key", key + "x"}}), 401);
  expect_problem(client_.get("/api/v1/users/me", {{"X-API-Key", "cpk_000000000000_nothing"}}), 401);

  auto revoke = client_.send(Method::delete_, "/api/v1/api-keys/" + str(created.json()["id"]), std::nullopt, h);
  ASSERT_EQ(revoke.status, 204) << revoke.body;
  std::this_thread::sleep_for(400ms);  // gateway.api_key_cache_ms = 300
  expect_problem(client_.get("/api/v1/users/me", {{"X-API-Key", key}}), 401);
}

TEST_F(Security, CorsPreflightOnlyForAllowedOrigins) {
  auto ok = client_.send(Method::options, "/api/v1/users/me", std::nullopt,
                         {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "GET"},
                          {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_TRUE(ok.status == 204 || ok.status == 200) << ok.status;
  EXPECT_EQ(ok.header("access-control-allow-origin"), kAllowedOrigin);
  EXPECT_NE(ok.header("access-control-allow-methods").find("GET"), std::string::npos);
  EXPECT_NE(ok.header("access-control-allow-headers").find("Authorization"), std::string::npos);

  auto evil = client_.send(Method::options, "/api/v1/users/me", std::nullopt,
                           {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_GE(evil.status, 400);
  EXPECT_TRUE(evil.header("access-control-allow-origin").empty());
  // Simple requests from another origin get no CORS grant either.
  auto cross = client_.get("/health", {{"Origin", "http://evil.example"}});
  EXPECT_TRUE(cross.header("access-control-allow-origin").empty());
  auto same = client_.get("/health", {{"Origin", kAllowedOrigin}});
  EXPECT_EQ(same.header("access-control-allow-origin"), kAllowedOrigin);
}

// Its own process with the seed limits (10/s per caller and per address).
TEST(SecurityRateLimit, TooManyRequestsGets429WithRetryAfter) {
  TempDir dir("cp_itest_rl_");
  uint16_t port = free_port();
  auto s = base_settings(dir, port);
  s["gateway.rate_limit.user"] = "10/1s,100/10s,500/60s";
  s["gateway.rate_limit.ip"] = "10/1s,100/10s,500/60s";
  Process up("up_rl", {"up"}, s, dir.path());
  up.start();
  ASSERT_TRUE(up.wait_for_output("API docs:", 60s) && up.wait_healthy(port, 30s)) << up.diagnostics();
  Client client(port);
  // Anonymous API requests are counted per address.
  int ok = 0;
  Reply refused;
  for (int i = 0; i < 30 && refused.status == 0; ++i) {
    auto r = client.get("/api/v1/users/me");
    if (r.status == 429) refused = r;
    else ++ok;
  }
  ASSERT_EQ(refused.status, 429) << "30 requests, none refused";
  EXPECT_LE(ok, 20);  // 10 per fixed 1 s window: at most two windows' worth
  expect_problem(refused, 429, "rate_limited");
  ASSERT_FALSE(refused.header("retry-after").empty());
  EXPECT_GE(std::stoi(refused.header("retry-after")), 1);
  // Built-in endpoints outside /api/ are not limited.
  EXPECT_EQ(client.get("/health").status, 200);
  // After Retry-After the address may try again.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(refused.header("retry-after"))) + 100ms);
  EXPECT_NE(client.get("/api/v1/users/me").status, 429);
}

}  // namespace
}  // namespace cp::itest
