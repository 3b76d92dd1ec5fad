// Store and account-flow cases written once, run on SQLite (user_store_test.cpp) and on
// PostgreSQL (user_store_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include "core/problem.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/user/accounts.h"
#include "services/user/admin.h"
#include "services/user/api_keys.h"
#include "services/user/bootstrap.h"
#include "services/user/store.h"
#include "services/user/user_service.h"

namespace cp::user {

class UserStoreCase : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(GetParam());
    db::apply_platform_migrations(*db_);
    apply_user_migrations(*db_);
    UserSettings s;
    s.tokens.jwt_secret = "store-test-secret-0123456789abcdef!";
    s.argon2 = Argon2Limits::fastest_for_tests();
    ctx_ = std::make_unique<UserContext>(*db_, s);
    ctx_->clock = [this] { return now_; };
  }
  User make_user(const std::string& username) {
    return register_user(*ctx_, {username + "@example.com", username, "correct horse 42", ""}, {});
  }
  // The ApiError code a call throws ("" when it throws nothing).
  template <class F>
  std::string error_code(F&& f) {
    try {
      f();
    } catch (const http::ApiError& e) {
      return e.code();
    }
    return "";
  }
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<UserContext> ctx_;
  TimePoint now_ = from_unix_ms(1'700'000'000'000);
};

TEST_P(UserStoreCase, MigrationsSeedBuiltInRoles) {
  auto user = store::find_role(*db_, "user");
  ASSERT_TRUE(user);
  EXPECT_TRUE(user->builtin);
  for (const char* p : {"device:create", "device:read", "device:operate", "app:install",
                        "billing:read", "notification:read", "media:stream"}) {
    EXPECT_NE(std::find(user->permissions.begin(), user->permissions.end(), p),
              user->permissions.end())
        << p;
  }
  EXPECT_EQ(store::find_role(*db_, "super_admin")->permissions, std::vector<std::string>{"*"});
  EXPECT_GT(store::list_permissions(*db_).size(), 30u);
  apply_user_migrations(*db_);  // idempotent
}

TEST_P(UserStoreCase, RegisterThenFindCaseInsensitively) {
  auto u = make_user("Alice");
  EXPECT_EQ(u.roles, std::vector<std::string>{"user"});
  auto found = store::find_login(*db_, "ALICE");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first.id, u.id);
  EXPECT_TRUE(store::find_login(*db_, "Alice@Example.com"));
  EXPECT_EQ(error_code([&] { make_user("alice"); }), "email_taken");
  EXPECT_EQ(error_code([&] {
              register_user(*ctx_, {"other@example.com", "ALICE", "correct horse 42", ""}, {});
            }),
            "username_taken");
  auto events = db_->exec("SELECT COUNT(*) AS n FROM outbox").one().int64("n");
  EXPECT_EQ(events, 1) << "user.registered in the outbox, and only for the successful register";
}

TEST_P(UserStoreCase, ListUsersPagesAndSearchesVerbatim) {
  for (auto name : {"amy", "bob", "cat", "dan", "eve"}) {
    make_user(name);
  }
  const std::string nasty = "x'); DROP TABLE users; -- %_\\";
  auto amy = *store::find_user_by_username(*db_, "amy");
  update_user(*ctx_, {amy.id, {}, {"*"}, "jwt", "", {}}, amy.id, {nasty, std::nullopt}, {});
  store::UserFilter f;
  f.limit = 2;
  auto p1 = store::list_users(*db_, f);
  ASSERT_EQ(p1.items.size(), 2u);
  f.after_id = p1.next_cursor;
  auto p2 = store::list_users(*db_, f);
  ASSERT_EQ(p2.items.size(), 2u);
  EXPECT_LT(p1.items[1].id, p2.items[0].id);
  f.after_id = p2.next_cursor;
  auto p3 = store::list_users(*db_, f);
  EXPECT_EQ(p3.items.size(), 1u);
  EXPECT_TRUE(p3.next_cursor.empty());
  auto hit = store::list_users(*db_, {"DROP TABLE users; -- %_\\", "", 10, ""});
  ASSERT_EQ(hit.items.size(), 1u);
  EXPECT_EQ(hit.items[0].display_name, nasty);
  EXPECT_TRUE(store::list_users(*db_, {"%", "", 10, ""}).items.size() == 1u) << "% is literal";
}

TEST_P(UserStoreCase, LoginRefreshRotationAndReuseRevokesFamily) {
  make_user("carol");
  auto s1 = login(*ctx_, {"carol", "correct horse 42", std::nullopt}, {});
  auto v = verify_access_token(s1.access_token, ctx_->settings.tokens.jwt_secret, now_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v.identity.has_permission("device:create"));
  auto s2 = refresh_session(*ctx_, s1.refresh_token, {});
  EXPECT_NE(s2.refresh_token, s1.refresh_token);
  // The first token again: theft assumed, the family (including s2's token) is revoked.
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, s1.refresh_token, {}); }),
            "refresh_token_reused");
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, s2.refresh_token, {}); }),
            "invalid_refresh_token");
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, "cpr_nonsense", {}); }),
            "invalid_refresh_token");
}

TEST_P(UserStoreCase, RefreshTokenExpires) {
  make_user("erin");
  auto s = login(*ctx_, {"erin", "correct horse 42", std::nullopt}, {});
  now_ += std::chrono::hours(24 * 31);
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, s.refresh_token, {}); }),
            "refresh_token_expired");
}

TEST_P(UserStoreCase, LockoutAfterFiveFailuresIsAudited) {
  make_user("dave");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(error_code([&] {
                login(*ctx_, {"dave", "wrong password 1", std::nullopt}, {});
              }),
              "invalid_credentials");
  }
  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"dave", "wrong password 1", std::nullopt}, {});
            }),
            "account_locked");
  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"dave", "correct horse 42", std::nullopt}, {});
            }),
            "account_locked");
  auto audit = store::list_audit(*db_, {"", "account.locked", "", 0, INT64_MAX, 10, ""});
  EXPECT_EQ(audit.items.size(), 1u);
  now_ += std::chrono::minutes(16);
  EXPECT_EQ(error_code([&] { login(*ctx_, {"dave", "correct horse 42", std::nullopt}, {}); }), "");
}

TEST_P(UserStoreCase, DisabledUserCannotLoginOrRefresh) {
  auto admin =
      ensure_admin(*db_, "root", std::string("root password 1"), Argon2Limits::fastest_for_tests());
  auto frank = make_user("frank");
  auto s = login(*ctx_, {"frank", "correct horse 42", std::nullopt}, {});
  http::Identity root{admin.user_id, {"super_admin"}, {"*"}, "jwt", "", {}};
  set_user_enabled(*ctx_, root, frank.id, false, {});
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, s.refresh_token, {}); }),
            "invalid_refresh_token");
  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"frank", "correct horse 42", std::nullopt}, {});
            }),
            "account_disabled");
  set_user_enabled(*ctx_, root, frank.id, true, {});
  EXPECT_EQ(error_code([&] { login(*ctx_, {"frank", "correct horse 42", std::nullopt}, {}); }), "");
}

TEST_P(UserStoreCase, EnsureAdminOnceAndResetPassword) {
  auto first = ensure_admin(*db_, "admin", std::nullopt, Argon2Limits::fastest_for_tests());
  ASSERT_TRUE(first.created);
  ASSERT_TRUE(first.generated_password);
  auto again = ensure_admin(*db_, "admin", std::nullopt, Argon2Limits::fastest_for_tests());
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.user_id, first.user_id);
  auto s = login(*ctx_, {"admin", *first.generated_password, std::nullopt}, {});
  EXPECT_EQ(s.user.roles, std::vector<std::string>{"super_admin"});
  auto fresh = reset_password(*db_, "admin", Argon2Limits::fastest_for_tests());
  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"admin", *first.generated_password, std::nullopt}, {});
            }),
            "invalid_credentials");
  EXPECT_EQ(error_code([&] { login(*ctx_, {"admin", fresh, std::nullopt}, {}); }), "");
  EXPECT_THROW(reset_password(*db_, "nobody"), std::runtime_error);
}

TEST_P(UserStoreCase, ApiKeyAuthenticatesWithScopesUntilRevoked) {
  auto gina = make_user("gina");
  http::Identity me{gina.id, {"user"}, store::user_permissions(*db_, gina.id), "jwt", "", {}};
  EXPECT_EQ(error_code([&] { create_api_key(*ctx_, me, "ci", {"user:delete"}, std::nullopt, {}); }),
            "escalation_denied");
  auto created = create_api_key(*ctx_, me, "ci", {"device:read"}, std::nullopt, {});
  auto id = authenticate_api_key(*db_, created.key, now_);
  EXPECT_EQ(id.user_id, gina.id);
  EXPECT_EQ(id.auth_method, "api_key");
  EXPECT_TRUE(id.has_permission("device:read"));
  EXPECT_FALSE(id.has_permission("device:delete")) << "scopes narrow the key";
  EXPECT_TRUE(store::list_api_keys(*db_, gina.id)[0].last_used_at);
  std::string tampered = created.key;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_THROW(authenticate_api_key(*db_, tampered, now_), http::ApiError);
  http::Identity other{"usr_other", {"user"}, {"api_key:revoke"}, "jwt", "", {}};
  EXPECT_EQ(error_code([&] { revoke_api_key(*ctx_, other, created.record.id, {}); }),
            "api_key_not_found");
  revoke_api_key(*ctx_, me, created.record.id, {});
  EXPECT_THROW(authenticate_api_key(*db_, created.key, now_), http::ApiError);
}

// The admin view's queries: every owner's keys by id with owner filters (LIKE wildcards in the
// search are literal), state filter, paging; any key found and revoked once.
TEST_P(UserStoreCase, AllApiKeysFilterPageAndRevokeAny) {
  auto hal = make_user("hal_9");
  auto ida = make_user("ida");
  std::vector<std::string> ids;
  for (const auto* u : {&hal, &hal, &ida}) {
    http::Identity who{u->id, {"user"}, store::user_permissions(*db_, u->id), "jwt", "", {}};
    ids.push_back(create_api_key(*ctx_, who, "k", {}, std::nullopt, {}).record.id);
  }
  auto all = store::list_all_api_keys(*db_, {"", "", "", 2, ""});
  ASSERT_EQ(all.items.size(), 2u);
  ASSERT_FALSE(all.next_cursor.empty());
  auto rest = store::list_all_api_keys(*db_, {"", "", "", 2, all.next_cursor});
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_TRUE(rest.next_cursor.empty());
  EXPECT_EQ(store::list_all_api_keys(*db_, {hal.id, "", "", 50, ""}).items.size(), 2u);
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "HAL_", "", 50, ""}).items.size(), 2u);
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "ida@EXAMPLE", "", 50, ""}).items.size(), 1u);
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "a_9", "", 50, ""}).items.size(), 0u)
      << "'_' is not a wildcard";
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "%", "", 50, ""}).items.size(), 0u);
  auto found = store::find_api_key(*db_, ids[2]);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first.user_id, ida.id);
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "ida", "", 50, ""}).items[0].owner_username, "ida");

  http::Identity admin{"usr_admin", {"admin"}, {"api_key:*"}, "jwt", "", {}};
  revoke_api_key(*ctx_, admin, ids[2], {});
  EXPECT_EQ(error_code([&] { revoke_api_key(*ctx_, admin, ids[2], {}); }), "api_key_not_found");
  auto revoked = store::list_all_api_keys(*db_, {"", "", "revoked", 50, ""});
  ASSERT_EQ(revoked.items.size(), 1u);
  EXPECT_EQ(revoked.items[0].key.id, ids[2]);
  EXPECT_TRUE(revoked.items[0].key.revoked_at);
  EXPECT_EQ(store::list_all_api_keys(*db_, {"", "", "active", 50, ""}).items.size(), 2u);
}

TEST_P(UserStoreCase, AdminCannotGrantSuperAdmin) {
  auto root =
      ensure_admin(*db_, "root", std::string("root password 1"), Argon2Limits::fastest_for_tests());
  auto helen = make_user("helen");
  http::Identity admin{"usr_admin", {"admin"}, store::find_role(*db_, "admin")->permissions,
                       "jwt",       "",        {}};
  EXPECT_EQ(error_code([&] { assign_role(*ctx_, admin, helen.id, "super_admin", true, {}); }),
            "escalation_denied");
  EXPECT_EQ(error_code([&] { set_user_enabled(*ctx_, admin, root.user_id, false, {}); }),
            "protected_user");
  auto updated = assign_role(*ctx_, admin, helen.id, "admin", true, {});
  EXPECT_EQ(updated.roles, (std::vector<std::string>{"admin", "user"}));
  http::Identity super{root.user_id, {"super_admin"}, {"*"}, "jwt", "", {}};
  EXPECT_EQ(error_code([&] { assign_role(*ctx_, super, root.user_id, "super_admin", false, {}); }),
            "last_super_admin");
}

}  // namespace cp::user
