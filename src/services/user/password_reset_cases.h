// Password reset cases on the UserStoreCase fixture (user_store_cases.h), included by
// user_store_test.cpp (SQLite) and user_store_pgtest.cpp (PostgreSQL).
#pragma once

#include "services/user/password_reset.h"
#include "services/user/user_store_cases.h"

namespace cp::user {

inline std::string token_of(const ResetMail& mail, const UserContext& ctx) {
  return mail.link.substr(ctx.settings.password_reset.link_base.size());
}

inline int64_t count_rows(db::Database& db, const std::string& sql) {
  return db.exec(sql).one().int64("n");
}

TEST_P(UserStoreCase, PasswordResetSetsPasswordEndsSessionsAndIsSingleUse) {
  auto ivy = make_user("ivy");
  auto session = login(*ctx_, {"ivy", "correct horse 42", std::nullopt}, {});
  auto mail = request_password_reset(*ctx_, "IVY@example.com", {"10.0.0.1", "r1"});
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->to, "ivy@example.com");
  EXPECT_EQ(mail->valid_minutes, 30);
  const std::string token = token_of(*mail, *ctx_);
  EXPECT_GE(token.size(), 4u + 43u) << "cpw_ + 256 bits in base64url";
  EXPECT_EQ(
      count_rows(*db_, "SELECT COUNT(*) AS n FROM password_reset_tokens WHERE token_hash = '" +
                           hash_reset_token(token) + "'"),
      1);
  EXPECT_EQ(
      count_rows(*db_, "SELECT COUNT(*) AS n FROM password_reset_tokens WHERE token_hash = '" +
                           token + "'"),
      0)
      << "the token itself is never stored";
  const int64_t events_before = count_rows(*db_, "SELECT COUNT(*) AS n FROM outbox");

  EXPECT_EQ(error_code([&] { reset_password_with_token(*ctx_, token, "short", {}); }),
            "weak_password");
  reset_password_with_token(*ctx_, token, "new battery 77", {"10.0.0.1", "r2"});

  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"ivy", "correct horse 42", std::nullopt}, {});
            }),
            "invalid_credentials");
  EXPECT_EQ(error_code([&] { login(*ctx_, {"ivy", "new battery 77", std::nullopt}, {}); }), "");
  EXPECT_EQ(error_code([&] { refresh_session(*ctx_, session.refresh_token, {}); }),
            "invalid_refresh_token")
      << "every session of the user is revoked";
  EXPECT_EQ(error_code([&] { reset_password_with_token(*ctx_, token, "another one 88", {}); }),
            "reset_token_used");
  EXPECT_EQ(
      error_code([&] { reset_password_with_token(*ctx_, "cpw_forged", "another one 88", {}); }),
      "reset_token_invalid");

  auto events = db_->exec("SELECT type FROM outbox ORDER BY seq");
  EXPECT_EQ(static_cast<int64_t>(events.size()), events_before + 1);
  EXPECT_EQ(events[events.size() - 1].text("type"), "user.password_reset");
  auto audit = store::list_audit(*db_, {"", "password.reset", "", 0, INT64_MAX, 10, ""});
  ASSERT_EQ(audit.items.size(), 1u);
  EXPECT_EQ(audit.items[0].actor_id, ivy.id);
  EXPECT_EQ(audit.items[0].client_ip, "10.0.0.1");
}

TEST_P(UserStoreCase, PasswordResetTokenExpiresAndANewRequestSupersedesTheOld) {
  make_user("jack");
  auto first = request_password_reset(*ctx_, "jack@example.com", {});
  ASSERT_TRUE(first);
  // Inside the per-account interval a request sends nothing (and keeps the first token).
  now_ += std::chrono::seconds(10);
  EXPECT_FALSE(request_password_reset(*ctx_, "jack@example.com", {}));
  now_ += std::chrono::seconds(60);
  auto second = request_password_reset(*ctx_, "jack@example.com", {});
  ASSERT_TRUE(second);
  EXPECT_EQ(error_code([&] {
              reset_password_with_token(*ctx_, token_of(*first, *ctx_), "new battery 77", {});
            }),
            "reset_token_invalid");
  now_ += std::chrono::minutes(31);
  EXPECT_EQ(error_code([&] {
              reset_password_with_token(*ctx_, token_of(*second, *ctx_), "new battery 77", {});
            }),
            "reset_token_expired");
  EXPECT_EQ(error_code([&] { login(*ctx_, {"jack", "correct horse 42", std::nullopt}, {}); }), "");
}

TEST_P(UserStoreCase, PasswordResetSendsNothingForUnknownOrDisabledAccounts) {
  auto admin =
      ensure_admin(*db_, "root", std::string("root password 1"), Argon2Limits::fastest_for_tests());
  auto kim = make_user("kim");
  EXPECT_FALSE(request_password_reset(*ctx_, "nobody@example.com", {}));
  auto pending = request_password_reset(*ctx_, "kim@example.com", {});
  ASSERT_TRUE(pending);
  http::Identity root{admin.user_id, {"super_admin"}, {"*"}, "jwt", "", {}};
  set_user_enabled(*ctx_, root, kim.id, false, {});
  now_ += std::chrono::minutes(5);
  EXPECT_FALSE(request_password_reset(*ctx_, "kim@example.com", {})) << "disabled: no mail";
  EXPECT_EQ(error_code([&] {
              reset_password_with_token(*ctx_, token_of(*pending, *ctx_), "new battery 77", {});
            }),
            "reset_token_invalid")
      << "a token issued before the account was disabled does not reactivate it";
  auto probes = store::list_audit(*db_, {"", "password_reset.requested", "", 0, INT64_MAX, 10, ""});
  EXPECT_EQ(probes.items.size(), 3u);
}

TEST_P(UserStoreCase, PasswordResetClearsALoginLockout) {
  make_user("lea");
  for (int i = 0; i < 5; ++i) {
    error_code([&] { login(*ctx_, {"lea", "wrong password 1", std::nullopt}, {}); });
  }
  EXPECT_EQ(error_code([&] {
              login(*ctx_, {"lea", "correct horse 42", std::nullopt}, {});
            }),
            "account_locked");
  auto mail = request_password_reset(*ctx_, "lea@example.com", {});
  ASSERT_TRUE(mail);
  reset_password_with_token(*ctx_, token_of(*mail, *ctx_), "new battery 77", {});
  EXPECT_EQ(error_code([&] { login(*ctx_, {"lea", "new battery 77", std::nullopt}, {}); }), "");
}

}  // namespace cp::user
