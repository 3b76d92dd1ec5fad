// Password reset by email end to end: `cloudphone up` sends through the smtp fixture (npm
// smtp-server on loopback, STARTTLS verified against its certificate, AUTH required). Register →
// forgot → the mail arrives with the link → reset with its token → the old password and the old
// refresh token are dead, the new password works; the token cannot be used twice; an unknown
// address gets the same 202 and no mail; the endpoint is rate limited like login. Without
// smtp.url the process logs that the link cannot be sent (and the link only with smtp.log_only).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "itest_support.h"
#include "platform/mail/maildir_test_support.h"

namespace cp::itest {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kLinkBase = "http://portal.test/reset-password?token=";

// The decoded bodies of every mail delivered to `address` so far.
std::vector<std::string> mails_to(const std::string& maildir, const std::string& address) {
  std::vector<std::string> out;
  for (const auto& eml : mail::testing::received(maildir)) {
    if (eml.find("Delivered-To: " + address + "\r\n") != std::string::npos) {
      out.push_back(mail::testing::body_of(eml));
    }
  }
  return out;
}

std::string token_in(const std::string& mail_text) {
  auto at = mail_text.find(kLinkBase);
  if (at == std::string::npos) return "";
  auto start = at + std::string(kLinkBase).size();
  auto end = mail_text.find_first_of("\r\n", start);
  return mail_text.substr(start, end - start);
}

std::string unique_name(const std::string& prefix) {
  return prefix + std::to_string(::getpid()) + "x" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
}

class PasswordReset : public ::testing::Test {
 protected:
  Settings settings() {
    return {{"data.dir", (dir_.path() / "data").string()},
            {"gateway.host", "127.0.0.1"},
            {"gateway.port", std::to_string(port_)},
            // Counted below: the flow makes 9 anonymous requests before the limit is probed.
            {"gateway.rate_limit.ip", "20/60s"},
            {"user.password_reset.link_base", kLinkBase},
            {"user.password_reset.min_interval_seconds", "0"},
            {"log.level", "info"}};
  }
  TempDir dir_{"cp_itest_reset_"};
  uint16_t port_ = free_port();
};

TEST_F(PasswordReset, MailedLinkResetsThePasswordOnceAndEndsSessions) {
  auto url = test_env("smtp.env", "SMTP_URL");
  auto maildir = test_env("smtp.env", "SMTP_MAILDIR");
  ASSERT_TRUE(url && maildir) << "no smtp.env: is the smtp fixture running?";
  auto s = settings();
  s["smtp.url"] = *url;
  s["smtp.username"] = *test_env("smtp.env", "SMTP_USERNAME");
  s["smtp.password"] = *test_env("smtp.env", "SMTP_PASSWORD");
  s["smtp.ca_file"] = *test_env("smtp.env", "SMTP_CA_FILE");
  s["smtp.tls"] = "require";
  s["smtp.from"] = "cloudphone <no-reply@cloudphone.test>";
  Process up("up", {"up"}, s, dir_.path());
  up.start();
  ASSERT_TRUE(up.wait_healthy(port_, 60s)) << up.diagnostics();
  Client client(port_, 10s);

  const std::string name = unique_name("rst");
  const std::string email = name + "@example.com";
  const std::string stranger = unique_name("nobody") + "@example.com";
  auto session = register_and_login(client, name);  // 2 anonymous requests
  const std::string old_refresh(session["refresh_token"].as_string());

  auto unknown = client.post_json("/api/v1/auth/password/forgot", {{"email", stranger}});
  auto known = client.post_json("/api/v1/auth/password/forgot", {{"email", email}});
  ASSERT_EQ(known.status, 202) << known.body;
  EXPECT_EQ(unknown.status, 202) << unknown.body;
  EXPECT_EQ(unknown.body, known.body) << "the answer does not tell whether the account exists";

  std::vector<std::string> mails;
  for (int i = 0; i < 100 && mails.empty(); ++i) {
    std::this_thread::sleep_for(100ms);
    mails = mails_to(*maildir, email);
  }
  ASSERT_EQ(mails.size(), 1u) << up.diagnostics();
  const std::string token = token_in(mails[0]);
  ASSERT_FALSE(token.empty()) << mails[0];
  EXPECT_NE(mails[0].find("请在 30 分钟内"), std::string::npos)
      << "English and Chinese: " << mails[0];
  // Mails go out in request order on one worker: the stranger's request was handled first.
  EXPECT_TRUE(mails_to(*maildir, stranger).empty()) << "no mail for an unknown address";

  auto reset = client.post_json("/api/v1/auth/password/reset",
                                {{"token", token}, {"new_password", "fresh battery 91"}});
  ASSERT_EQ(reset.status, 204) << reset.body;
  auto old_login =
      client.post_json("/api/v1/auth/login", {{"login", name}, {"password", "correct horse 42"}});
  EXPECT_EQ(old_login.status, 401) << old_login.body;
  auto new_login =
      client.post_json("/api/v1/auth/login", {{"login", name}, {"password", "fresh battery 91"}});
  EXPECT_EQ(new_login.status, 200) << new_login.body;
  auto refresh = client.post_json("/api/v1/auth/refresh", {{"refresh_token", old_refresh}});
  EXPECT_EQ(refresh.status, 401) << "sessions from before the reset are revoked: " << refresh.body;
  auto reuse = client.post_json("/api/v1/auth/password/reset",
                                {{"token", token}, {"new_password", "other battery 92"}});
  EXPECT_EQ(reuse.status, 400);
  EXPECT_EQ(reuse.json()["field"], "token") << reuse.body;
  EXPECT_EQ(reuse.json()["code"], "reset_token_used") << reuse.body;

  auto metrics = client.get("/metrics").body;
  EXPECT_NE(metrics.find("user_password_reset_mails_total{result=\"sent\"} 1"), std::string::npos)
      << metrics.substr(0, 2000);
  EXPECT_EQ(up.stderr_text().find(token), std::string::npos) << "the token is never logged";

  // 9 anonymous requests so far; the per-address limit (20/60 s here) refuses the rest.
  int refused = 0;
  for (int i = 0; i < 15; ++i) {
    auto r = client.post_json("/api/v1/auth/password/forgot", {{"email", stranger}});
    if (r.status == 429) ++refused;
  }
  EXPECT_GE(refused, 3);
}

TEST_F(PasswordReset, WithoutSmtpTheLinkCannotBeSentAndIsLoggedOnlyInLogOnlyMode) {
  for (bool log_only : {false, true}) {
    SCOPED_TRACE(log_only ? "smtp.log_only=true" : "no smtp settings");
    TempDir dir("cp_itest_reset_nosmtp_");
    auto s = settings();
    s["data.dir"] = (dir.path() / "data").string();
    if (log_only) s["smtp.log_only"] = "true";
    Process up("up", {"up"}, s, dir.path());
    up.start();
    ASSERT_TRUE(up.wait_healthy(port_, 60s)) << up.diagnostics();
    Client client(port_, 10s);
    const std::string name = unique_name("nosmtp");
    register_and_login(client, name);
    auto r = client.post_json("/api/v1/auth/password/forgot", {{"email", name + "@example.com"}});
    EXPECT_EQ(r.status, 202) << r.body;
    bool logged = false;
    for (int i = 0; i < 100 && !logged; ++i) {
      std::this_thread::sleep_for(100ms);
      logged = up.stderr_text().find("mail is not configured (smtp.url); ") != std::string::npos;
    }
    EXPECT_TRUE(logged) << up.diagnostics();
    EXPECT_EQ(up.stderr_text().find(kLinkBase) != std::string::npos, log_only) << up.diagnostics();
    up.kill_now();
  }
}

}  // namespace
}  // namespace cp::itest
