// SmtpMailer against a real SMTP server (fixture smtp: npm smtp-server with STARTTLS and AUTH on
// loopback): the message arrives intact over verified TLS; wrong credentials, an untrusted
// certificate and a closed port fail with MailError; rendering is checked on its own.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "platform/mail/maildir_test_support.h"
#include "platform/mail/smtp_mailer.h"

namespace cp::mail {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> smtp_env() {
  std::map<std::string, std::string> env;
  const char* dir = std::getenv("CP_TEST_ENV_DIR");
  std::ifstream in(std::string(dir ? dir : "") + "/smtp.env");
  for (std::string line; std::getline(in, line);) {
    if (auto eq = line.find('='); eq != std::string::npos) {
      env[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return env;
}

// Waits for a message whose text contains `needle`; returns the whole .eml text.
std::string wait_for_mail(const std::string& maildir, const std::string& needle) {
  for (int i = 0; i < 100; ++i) {
    for (const auto& text : testing::received(maildir)) {
      if (text.find(needle) != std::string::npos) return text;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = smtp_env();
    ASSERT_TRUE(env_.count("SMTP_URL")) << "no smtp.env: is the smtp fixture running?";
    settings_.url = env_["SMTP_URL"];
    settings_.username = env_["SMTP_USERNAME"];
    settings_.password = env_["SMTP_PASSWORD"];
    settings_.ca_file = env_["SMTP_CA_FILE"];
    settings_.tls = TlsMode::require;
    settings_.timeout = std::chrono::milliseconds(5000);
  }
  Message message(const std::string& tag) {
    return {"cloudphone <no-reply@cloudphone.test>",
            {"Zhang Wei <zhang@example.com>"},
            "重置密码 / Reset your password " + tag,
            "Hello " + tag + "\n你好，点击链接：https://portal.test/reset?token=abc_DEF-123\n"};
  }
  std::map<std::string, std::string> env_;
  SmtpSettings settings_;
};

TEST_F(SmtpMailerTest, DeliversOverStartTlsWithAuth) {
  SmtpMailer mailer(settings_);
  const std::string tag =
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  mailer.send(message(tag));
  auto eml = wait_for_mail(env_["SMTP_MAILDIR"], "Delivered-To: zhang@example.com");
  ASSERT_FALSE(eml.empty());
  EXPECT_NE(eml.find("Return-Path: <no-reply@cloudphone.test>"), std::string::npos) << eml;
  EXPECT_NE(eml.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  auto body_at = eml.find("\r\n\r\n");
  ASSERT_NE(body_at, std::string::npos);
  auto body = testing::base64_decode(eml.substr(body_at + 4));
  EXPECT_NE(body.find("Hello " + tag + "\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("你好，点击链接：https://portal.test/reset?token=abc_DEF-123"),
            std::string::npos)
      << body;
}

TEST_F(SmtpMailerTest, WrongPasswordIsAMailError) {
  settings_.password = "not-the-password";
  SmtpMailer mailer(settings_);
  EXPECT_THROW(mailer.send(message("x")), MailError);
}

TEST_F(SmtpMailerTest, UntrustedCertificateIsAMailError) {
  settings_.ca_file = env_["SMTP_MAILDIR"] + "/../key.pem";  // not a CA the server's cert chains to
  SmtpMailer mailer(settings_);
  EXPECT_THROW(mailer.send(message("x")), MailError);
}

TEST_F(SmtpMailerTest, ClosedPortIsAMailError) {
  settings_.url = "smtp://127.0.0.1:1";
  SmtpMailer mailer(settings_);
  EXPECT_THROW(mailer.send(message("x")), MailError);
}

TEST(RenderMessage, HeadersCannotBeInjectedAndSubjectIsEncoded) {
  Message m{"a@x.test", {"b@y.test"}, "Hi\r\nBcc: evil@z.test 你好", "line1\nline2\n"};
  auto text = render_message(m, "Wed, 25 Nov 2026 16:00:00 +0000", "<1@x.test>");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos) << text;
  auto body = text.substr(text.find("\r\n\r\n") + 4);
  EXPECT_EQ(testing::base64_decode(body), "line1\r\nline2\r\n");
  EXPECT_EQ(bare_address("Name <a@b.c>"), "a@b.c");
  EXPECT_EQ(bare_address("a@b.c"), "a@b.c");
}

}  // namespace
}  // namespace cp::mail
