// Route-level tests: the Router is called directly with a RequestContext carrying an Identity,
// as the gateway would after authenticating (on SQLite).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "core/identity_codec.h"
#include "core/route_call_test_support.h"
#include "platform/cache.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/user/api_keys.h"
#include "services/user/crypto.h"
#include "services/user/store.h"
#include "services/user/user_service.h"

namespace cp::user {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;

struct Reply {
  Status status;
  json::object body;
};

class UserRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(db::Dialect::sqlite);
    db::apply_platform_migrations(*db_);
    UserSettings s;
    s.tokens.jwt_secret = "routes-test-secret-0123456789abcdef!";
    s.argon2 = Argon2Limits::fastest_for_tests();
    service_ = std::make_unique<UserService>(*db_, s);
    service_->register_routes(router_);
  }

  Reply call(Method method, const std::string& target,
             std::optional<json::object> body = std::nullopt,
             std::optional<http::Identity> who = std::nullopt) {
    http::Request req{method, target, 11};
    if (body) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = json::serialize(*body);
    }
    auto r = http::testing::call_route(router_, req, std::move(who));
    return {r.status, std::move(r.body)};
  }

  // Registers and returns the Identity the gateway would build from the user's access token.
  http::Identity user(const std::string& name, const std::string& display_name = "") {
    auto r = call(Method::post, "/api/v1/auth/register",
                  json::object{{"email", name + "@example.com"},
                               {"username", name},
                               {"password", "correct horse 42"},
                               {"display_name", display_name}});
    EXPECT_EQ(r.status, Status::created) << json::serialize(r.body);
    std::string id(r.body["id"].as_string());
    return {id, {"user"}, store::user_permissions(*db_, id), "jwt", "", {}};
  }
  http::Identity admin() {
    auto me = user("boss");
    store::assign_role(*db_, me.user_id, "role_admin", 0);
    me.roles = {"admin", "user"};
    me.permissions = store::user_permissions(*db_, me.user_id);
    return me;
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<UserService> service_;
  http::Router router_;
};

TEST_F(UserRoutes, EveryRouteDeclaresItsAccess) {
  for (const auto& r : router_.routes()) {
    if (r->access == http::Access::permission) {
      EXPECT_FALSE(r->permission.empty()) << r->pattern;
    }
    if (r->access == http::Access::public_route) {
      EXPECT_TRUE(r->pattern == "/api/v1/auth/register" || r->pattern == "/api/v1/auth/login" ||
                  r->pattern == "/api/v1/auth/refresh" ||
                  r->pattern == "/api/v1/auth/password/forgot" ||
                  r->pattern == "/api/v1/auth/password/reset")
          << r->pattern << " must not be public";
    }
  }
}

TEST_F(UserRoutes, ValidationNamesTheField) {
  auto missing = call(Method::post, "/api/v1/auth/register",
                      json::object{{"email", "a@example.com"}, {"username", "anna"}});
  EXPECT_EQ(missing.status, Status::bad_request);
  EXPECT_EQ(missing.body["field"], "password");
  auto weak =
      call(Method::post, "/api/v1/auth/register",
           json::object{{"email", "a@example.com"}, {"username", "anna"}, {"password", "short"}});
  EXPECT_EQ(weak.status, Status::bad_request);
  EXPECT_EQ(weak.body["field"], "password");
  auto bad_name =
      call(Method::post, "/api/v1/auth/register",
           json::object{
               {"email", "a@example.com"}, {"username", "a'--"}, {"password", "correct horse 42"}});
  EXPECT_EQ(bad_name.body["field"], "username");
  auto dup = user("anna");
  auto again = call(
      Method::post, "/api/v1/auth/register",
      json::object{
          {"email", "anna@example.com"}, {"username", "anna2"}, {"password", "correct horse 42"}});
  EXPECT_EQ(again.status, Status::conflict);
  EXPECT_EQ(again.body["field"], "email");
}

TEST_F(UserRoutes, AnonymousGets401AndUsersGet403OnAdminRoutes) {
  EXPECT_EQ(call(Method::get, "/api/v1/users/me").status, Status::unauthorized);
  auto alice = user("alice");
  EXPECT_EQ(call(Method::get, "/api/v1/users/me", std::nullopt, alice).status, Status::ok);
  EXPECT_EQ(call(Method::get, "/api/v1/users", std::nullopt, alice).status, Status::forbidden);
  EXPECT_EQ(call(Method::get, "/api/v1/audit", std::nullopt, alice).status, Status::forbidden);
  EXPECT_EQ(call(Method::post, "/api/v1/roles",
                 json::object{{"name", "x1"}, {"permissions", json::array{}}}, alice)
                .status,
            Status::forbidden);
}

TEST_F(UserRoutes, AnotherUsersDataIsOutOfReach) {
  auto alice = user("alice");
  auto bob = user("bob");
  EXPECT_EQ(call(Method::get, "/api/v1/users/" + bob.user_id, std::nullopt, alice).status,
            Status::forbidden);
  EXPECT_EQ(call(Method::patch, "/api/v1/users/" + bob.user_id,
                 json::object{{"display_name", "pwned"}}, alice)
                .status,
            Status::forbidden);
  EXPECT_EQ(call(Method::get, "/api/v1/quotas/" + bob.user_id, std::nullopt, alice).status,
            Status::not_found);
  EXPECT_EQ(call(Method::get, "/api/v1/quotas/" + alice.user_id, std::nullopt, alice).status,
            Status::ok);
  auto boss = admin();
  auto q = call(Method::get, "/api/v1/quotas/" + bob.user_id, std::nullopt, boss);
  EXPECT_EQ(q.status, Status::ok);
  EXPECT_EQ(q.body["is_default"], true);
  EXPECT_EQ(call(Method::get, "/api/v1/users/" + bob.user_id, std::nullopt, boss).body["username"],
            "bob");
}

TEST_F(UserRoutes, InjectionStringsAreStoredAndReturnedVerbatim) {
  const std::string nasty = "Robert'); DROP TABLE users;-- \"<script>\"";
  auto bobby = user("bobby", nasty);
  auto me = call(Method::get, "/api/v1/users/me", std::nullopt, bobby);
  EXPECT_EQ(me.body["display_name"], json::value(nasty));
  auto boss = admin();
  auto found =
      call(Method::get, "/api/v1/users?search=%27%29%3B%20DROP%20TABLE", std::nullopt, boss);
  ASSERT_EQ(found.status, Status::ok);
  ASSERT_EQ(found.body["items"].as_array().size(), 1u);
  EXPECT_EQ(found.body["items"].as_array()[0].as_object().at("display_name"), json::value(nasty));
  EXPECT_EQ(call(Method::get, "/api/v1/users?cursor=%21%21", std::nullopt, boss).body["field"],
            "cursor");
  EXPECT_EQ(call(Method::get, "/api/v1/users?limit=0", std::nullopt, boss).body["field"], "limit");
}

TEST_F(UserRoutes, LoginRefreshLogout) {
  user("carol");
  auto login = call(Method::post, "/api/v1/auth/login",
                    json::object{{"login", "carol"}, {"password", "correct horse 42"}});
  ASSERT_EQ(login.status, Status::ok) << json::serialize(login.body);
  EXPECT_EQ(login.body["token_type"], "Bearer");
  EXPECT_EQ(login.body["expires_in"], 900);
  auto verified = verify_access_token(std::string(login.body["access_token"].as_string()),
                                      service_->context().settings.tokens.jwt_secret,
                                      std::chrono::system_clock::now());
  ASSERT_TRUE(verified.ok());
  auto wrong = call(Method::post, "/api/v1/auth/login",
                    json::object{{"login", "carol"}, {"password", "nope nope 1"}});
  EXPECT_EQ(wrong.status, Status::unauthorized);
  EXPECT_EQ(wrong.body["code"], "invalid_credentials");
  auto refreshed = call(Method::post, "/api/v1/auth/refresh",
                        json::object{{"refresh_token", login.body["refresh_token"]}});
  ASSERT_EQ(refreshed.status, Status::ok);
  EXPECT_EQ(call(Method::post, "/api/v1/auth/logout", std::nullopt, verified.identity).status,
            Status::no_content);
  auto after = call(Method::post, "/api/v1/auth/refresh",
                    json::object{{"refresh_token", refreshed.body["refresh_token"]}});
  EXPECT_EQ(after.status, Status::unauthorized);
  // {"all": true} ends every session, including ones the caller's token does not belong to.
  auto other = call(Method::post, "/api/v1/auth/login",
                    json::object{{"login", "carol"}, {"password", "correct horse 42"}});
  EXPECT_EQ(
      call(Method::post, "/api/v1/auth/logout", json::object{{"all", true}}, verified.identity)
          .status,
      Status::no_content);
  EXPECT_EQ(call(Method::post, "/api/v1/auth/refresh",
                 json::object{{"refresh_token", other.body["refresh_token"]}})
                .status,
            Status::unauthorized);
  EXPECT_EQ(
      call(Method::post, "/api/v1/auth/logout", json::object{{"all", "yes"}}, verified.identity)
          .body["field"],
      "all");
}

TEST_F(UserRoutes, ApiKeyIsShownOnceAndListedByPrefix) {
  auto dora = user("dora");
  auto created = call(Method::post, "/api/v1/api-keys",
                      json::object{{"name", "ci"}, {"scopes", json::array{"device:read"}}}, dora);
  ASSERT_EQ(created.status, Status::created) << json::serialize(created.body);
  std::string key(created.body["key"].as_string());
  EXPECT_EQ(key.rfind("cpk_", 0), 0u);
  auto list = call(Method::get, "/api/v1/api-keys", std::nullopt, dora);
  auto item = list.body["items"].as_array()[0].as_object();
  EXPECT_FALSE(item.contains("key"));
  EXPECT_EQ(key.rfind(std::string(item["prefix"].as_string()), 0), 0u);
  auto escalate = call(Method::post, "/api/v1/api-keys",
                       json::object{{"name", "x"}, {"scopes", json::array{"user:read"}}}, dora);
  EXPECT_EQ(escalate.status, Status::forbidden);
}

TEST_F(UserRoutes, ApiKeyVerifyIsInternalAndResolvesTheOwner) {
  auto erin = user("erin");
  auto created = call(Method::post, "/api/v1/api-keys",
                      json::object{{"name", "ci"}, {"scopes", json::array{"device:read"}}}, erin);
  ASSERT_EQ(created.status, Status::created) << json::serialize(created.body);
  std::string key(created.body["key"].as_string());
  http::Identity gateway{"svc_gateway", {"service"}, {"*"}, "internal", "", {}};

  // Users, even the key's owner, cannot use the lookup; anonymous callers are not let in at all.
  EXPECT_EQ(
      call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", key}}, erin).status,
      Status::forbidden);
  EXPECT_EQ(call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", key}}).status,
            Status::unauthorized);

  auto ok = call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", key}}, gateway);
  ASSERT_EQ(ok.status, Status::ok) << json::serialize(ok.body);
  auto identity = http::identity_from_json(ok.body);
  EXPECT_EQ(identity.user_id, erin.user_id);
  EXPECT_EQ(identity.auth_method, "api_key");
  EXPECT_EQ(identity.credential_id, std::string(created.body["id"].as_string()));
  EXPECT_EQ(identity.scopes, std::vector<std::string>{"device:read"});
  EXPECT_TRUE(identity.has_permission("device:read"));
  EXPECT_FALSE(identity.has_permission("device:create"));

  auto wrong = key;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  auto bad =
      call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", wrong}}, gateway);
  EXPECT_EQ(bad.status, Status::unauthorized);
  EXPECT_EQ(bad.body["code"], "invalid_api_key");
  EXPECT_EQ(
      call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", "nonsense"}}, gateway)
          .status,
      Status::unauthorized);
  EXPECT_EQ(
      call(Method::post, "/api/v1/auth/api-keys/verify", json::object{}, gateway).body["field"],
      "key");

  ASSERT_EQ(call(Method::delete_, "/api/v1/api-keys/" + std::string(created.body["id"].as_string()),
                 std::nullopt, erin)
                .status,
            Status::no_content);
  EXPECT_EQ(call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", key}}, gateway)
                .status,
            Status::unauthorized);
}

// The admin view of every user's keys: api_key:admin, paging, owner filters, no secrets, and
// revoking anyone's key stops it (and drops the gateway's cached lookup of it).
TEST_F(UserRoutes, AdminListsEveryonesApiKeysWithoutSecrets) {
  auto fay = user("fay");
  auto gil = user("gil");
  std::vector<std::string> keys;
  for (const auto& [who, name] :
       std::vector<std::pair<http::Identity, std::string>>{{fay, "f1"}, {fay, "f2"}, {gil, "g1"}}) {
    auto r = call(Method::post, "/api/v1/api-keys", json::object{{"name", name}}, who);
    ASSERT_EQ(r.status, Status::created) << json::serialize(r.body);
    keys.emplace_back(r.body["key"].as_string());
  }
  // Users (who hold api_key:read for their own keys) may not see everyone's.
  EXPECT_EQ(call(Method::get, "/api/v1/api-keys/all", std::nullopt, fay).status, Status::forbidden);
  EXPECT_EQ(call(Method::get, "/api/v1/api-keys/all").status, Status::unauthorized);

  auto boss = admin();
  auto all = call(Method::get, "/api/v1/api-keys/all?limit=2", std::nullopt, boss);
  ASSERT_EQ(all.status, Status::ok) << json::serialize(all.body);
  ASSERT_EQ(all.body["items"].as_array().size(), 2u);
  ASSERT_TRUE(all.body["next_cursor"].is_string());
  auto rest = call(
      Method::get,
      "/api/v1/api-keys/all?limit=2&cursor=" + std::string(all.body["next_cursor"].as_string()),
      std::nullopt, boss);
  ASSERT_EQ(rest.status, Status::ok);
  ASSERT_EQ(rest.body["items"].as_array().size(), 1u);
  EXPECT_TRUE(rest.body["next_cursor"].is_null());
  std::set<std::string> owners, ids;
  for (const auto* page : {&all, &rest}) {
    for (const auto& v : page->body.at("items").as_array()) {
      const auto& item = v.as_object();
      ids.insert(std::string(item.at("id").as_string()));
      owners.insert(std::string(item.at("owner_username").as_string()));
      EXPECT_FALSE(item.contains("key"));
      EXPECT_FALSE(item.contains("secret_hash"));
      for (const auto& k : keys)
        EXPECT_EQ(json::serialize(item).find(k.substr(17)), std::string::npos);
    }
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(owners, (std::set<std::string>{"fay", "gil"}));

  auto by_name = call(Method::get, "/api/v1/api-keys/all?search=GI", std::nullopt, boss);
  ASSERT_EQ(by_name.body["items"].as_array().size(), 1u);
  auto g1 = by_name.body["items"].as_array()[0].as_object();
  EXPECT_EQ(g1["name"], "g1");
  EXPECT_EQ(g1["owner_id"], json::value(gil.user_id));
  EXPECT_EQ(keys[2].rfind(std::string(g1["prefix"].as_string()), 0), 0u);
  auto by_id = call(Method::get, "/api/v1/api-keys/all?owner=" + fay.user_id, std::nullopt, boss);
  EXPECT_EQ(by_id.body["items"].as_array().size(), 2u);
  EXPECT_EQ(call(Method::get, "/api/v1/api-keys/all?state=gone", std::nullopt, boss).body["field"],
            "state");
  EXPECT_EQ(
      call(Method::get, "/api/v1/api-keys/all?cursor=%25%25", std::nullopt, boss).body["field"],
      "cursor");

  // Another user cannot revoke gil's key (404, as if unknown); the admin can, once.
  const std::string g1_id(g1["id"].as_string());
  EXPECT_EQ(call(Method::delete_, "/api/v1/api-keys/" + g1_id, std::nullopt, fay).status,
            Status::not_found);
  EXPECT_EQ(call(Method::delete_, "/api/v1/api-keys/key_nope", std::nullopt, boss).status,
            Status::not_found);
  http::Identity gateway{"svc_gateway", {"service"}, {"*"}, "internal", "", {}};
  auto verify = [&] {
    return call(Method::post, "/api/v1/auth/api-keys/verify", json::object{{"key", keys[2]}},
                gateway)
        .status;
  };
  ASSERT_EQ(verify(), Status::ok);
  cache::MemoryCache cache;
  service_->context().cache = &cache;
  const auto cached = api_key_cache_key(sha256_hex(keys[2]));
  cache.set(cached, "{}", std::chrono::minutes(1));  // what the gateway keeps for a while
  ASSERT_EQ(call(Method::delete_, "/api/v1/api-keys/" + g1_id, std::nullopt, boss).status,
            Status::no_content);
  EXPECT_EQ(verify(), Status::unauthorized);
  EXPECT_FALSE(cache.get(cached).has_value());
  EXPECT_EQ(call(Method::delete_, "/api/v1/api-keys/" + g1_id, std::nullopt, boss).status,
            Status::not_found);
  auto revoked = call(Method::get, "/api/v1/api-keys/all?state=revoked", std::nullopt, boss);
  ASSERT_EQ(revoked.body["items"].as_array().size(), 1u);
  EXPECT_TRUE(revoked.body["items"].as_array()[0].as_object()["revoked_at"].is_string());
  EXPECT_EQ(call(Method::get, "/api/v1/api-keys/all?state=active", std::nullopt, boss)
                .body["items"]
                .as_array()
                .size(),
            2u);

  // The audit entry names the admin as actor and the owner.
  auto audit = call(Method::get, "/api/v1/audit?action=api_key.revoked&target_id=" + g1_id,
                    std::nullopt, boss);
  ASSERT_EQ(audit.body["items"].as_array().size(), 1u);
  auto entry = audit.body["items"].as_array()[0].as_object();
  EXPECT_EQ(entry["actor_id"], json::value(boss.user_id));
  EXPECT_EQ(entry["details"].as_object()["owner_id"], json::value(gil.user_id));
  // gil's own list shows the key as revoked.
  auto own = call(Method::get, "/api/v1/api-keys", std::nullopt, gil);
  EXPECT_TRUE(own.body["items"].as_array()[0].as_object()["revoked_at"].is_string());
}

}  // namespace
}  // namespace cp::user
