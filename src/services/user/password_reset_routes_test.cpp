// Password reset routes, called through the Router as the gateway would, with an in-memory
// Mailer: 202 with one body whether or not the account exists, the mail (both languages, the
// link) sent after commit off the request thread, 400 naming the field for bad input and for
// bad/used/superseded tokens, a mail failure still 202 and counted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/metrics.h"
#include "core/route_call_test_support.h"
#include "platform/db_testing.h"
#include "platform/mail/memory_mailer.h"
#include "platform/migrations.h"
#include "services/user/reset_mail.h"
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

class PasswordResetRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(db::Dialect::sqlite);
    db::apply_platform_migrations(*db_);
    UserSettings s;
    s.tokens.jwt_secret = "routes-test-secret-0123456789abcdef!";
    s.argon2 = Argon2Limits::fastest_for_tests();
    s.password_reset.link_base = "https://portal.test/reset-password?token=";
    s.password_reset.min_interval = std::chrono::seconds(0);
    auto mailer = std::make_unique<mail::MemoryMailer>();
    mailer_ = mailer.get();
    service_ = std::make_unique<UserService>(*db_, s, std::move(mailer));
    service_->register_routes(router_);
  }

  Reply call(const std::string& target, json::object body) {
    http::Request req{Method::post, target, 11};
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = json::serialize(body);
    auto r = http::testing::call_route(router_, req);
    return {r.status, std::move(r.body)};
  }

  void register_user(const std::string& name) {
    auto r = call(
        "/api/v1/auth/register",
        {{"email", name + "@example.com"}, {"username", name}, {"password", "correct horse 42"}});
    ASSERT_EQ(r.status, Status::created) << json::serialize(r.body);
  }

  Reply forgot(const std::string& email) {
    auto r = call("/api/v1/auth/password/forgot", {{"email", email}});
    service_->reset_mail().drain();
    return r;
  }

  std::string token_from_last_mail() {
    auto sent = mailer_->sent();
    EXPECT_FALSE(sent.empty());
    if (sent.empty()) return "";
    const std::string& text = sent.back().text;
    const std::string base = "https://portal.test/reset-password?token=";
    auto at = text.find(base);
    EXPECT_NE(at, std::string::npos) << text;
    if (at == std::string::npos) return "";
    auto end = text.find('\n', at);
    return text.substr(at + base.size(), end - at - base.size());
  }

  double mail_count(const std::string& result) {
    return metrics::Registry::global()
        .counter("user_password_reset_mails_total", "", {{"result", result}})
        .value();
  }

  std::unique_ptr<db::Database> db_;
  mail::MemoryMailer* mailer_ = nullptr;
  std::unique_ptr<UserService> service_;
  http::Router router_;
};

TEST_F(PasswordResetRoutes, ForgotAnswersTheSameForEveryAddressAndMailsOnlyAccounts) {
  register_user("mia");
  auto known = forgot("Mia@Example.com");
  auto unknown = forgot("nobody@example.com");
  EXPECT_EQ(known.status, Status::accepted);
  EXPECT_EQ(unknown.status, Status::accepted);
  EXPECT_EQ(known.body, unknown.body) << "no account enumeration";
  EXPECT_EQ(known.body["status"], "accepted");
  auto sent = mailer_->sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, std::vector<std::string>{"mia@example.com"});
  EXPECT_NE(sent[0].subject.find("Reset your cloudphone password"), std::string::npos);
  EXPECT_NE(sent[0].subject.find("重置"), std::string::npos) << "no locale: both languages";
  EXPECT_NE(sent[0].text.find("within 30 minutes"), std::string::npos) << sent[0].text;
  EXPECT_NE(sent[0].text.find("请在 30 分钟内"), std::string::npos) << sent[0].text;
  EXPECT_FALSE(token_from_last_mail().empty());
}

TEST_F(PasswordResetRoutes, ResetWithTheMailedTokenOnce) {
  register_user("noah");
  forgot("noah@example.com");
  const std::string token = token_from_last_mail();
  auto weak = call("/api/v1/auth/password/reset", {{"token", token}, {"new_password", "abc"}});
  EXPECT_EQ(weak.status, Status::bad_request);
  EXPECT_EQ(weak.body["field"], "new_password");
  EXPECT_EQ(weak.body["code"], "weak_password");
  auto ok =
      call("/api/v1/auth/password/reset", {{"token", token}, {"new_password", "new battery 77"}});
  EXPECT_EQ(ok.status, Status::no_content) << json::serialize(ok.body);
  auto login = call("/api/v1/auth/login", {{"login", "noah"}, {"password", "new battery 77"}});
  EXPECT_EQ(login.status, Status::ok);
  auto again =
      call("/api/v1/auth/password/reset", {{"token", token}, {"new_password", "newer battery 88"}});
  EXPECT_EQ(again.status, Status::bad_request);
  EXPECT_EQ(again.body["field"], "token");
  EXPECT_EQ(again.body["code"], "reset_token_used");
}

TEST_F(PasswordResetRoutes, ValidationNamesTheField) {
  auto no_email = call("/api/v1/auth/password/forgot", json::object{});
  EXPECT_EQ(no_email.status, Status::bad_request);
  EXPECT_EQ(no_email.body["field"], "email");
  auto bad_email = call("/api/v1/auth/password/forgot", {{"email", "not-an-address"}});
  EXPECT_EQ(bad_email.status, Status::bad_request);
  EXPECT_EQ(bad_email.body["field"], "email");
  auto wrong_type = call("/api/v1/auth/password/forgot", {{"email", 42}});
  EXPECT_EQ(wrong_type.body["field"], "email");
  auto no_token = call("/api/v1/auth/password/reset", {{"new_password", "new battery 77"}});
  EXPECT_EQ(no_token.body["field"], "token");
  auto no_password = call("/api/v1/auth/password/reset", {{"token", "cpw_x"}});
  EXPECT_EQ(no_password.body["field"], "new_password");
  auto forged = call("/api/v1/auth/password/reset",
                     {{"token", "cpw_forged"}, {"new_password", "new battery 77"}});
  EXPECT_EQ(forged.status, Status::bad_request);
  EXPECT_EQ(forged.body["field"], "token");
  EXPECT_EQ(forged.body["code"], "reset_token_invalid");
  auto huge = call("/api/v1/auth/password/reset",
                   {{"token", std::string(300, 'a')}, {"new_password", "new battery 77"}});
  EXPECT_EQ(huge.body["field"], "token");
  EXPECT_TRUE(mailer_->sent().empty());
}

TEST_F(PasswordResetRoutes, AMailFailureIsCountedAndTheAnswerIsStill202) {
  register_user("olga");
  mailer_->set_failing(true);
  const double failed_before = mail_count("failed");
  auto r = forgot("olga@example.com");
  EXPECT_EQ(r.status, Status::accepted);
  EXPECT_EQ(mail_count("failed"), failed_before + 1);
  mailer_->set_failing(false);
  forgot("olga@example.com");
  EXPECT_EQ(mailer_->sent().size(), 1u);
}

TEST(ResetMailText, PicksTheAccountsLanguageWhenItHasOne) {
  PasswordResetSettings s;
  ResetMail m{"usr_1", "a@example.com", "amy", "https://x/reset?token=t", 30, std::string("zh-CN")};
  auto zh = compose_reset_mail(m, s);
  EXPECT_EQ(zh.subject, "重置您的 cloudphone 密码");
  EXPECT_EQ(zh.text.find("Hello"), std::string::npos);
  m.locale = "en-US";
  auto en = compose_reset_mail(m, s);
  EXPECT_EQ(en.subject, "Reset your cloudphone password");
  EXPECT_NE(en.text.find("https://x/reset?token=t"), std::string::npos);
  EXPECT_EQ(en.text.find("您好"), std::string::npos);
}

}  // namespace
}  // namespace cp::user
