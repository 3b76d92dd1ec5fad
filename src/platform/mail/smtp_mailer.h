#pragma once
// SMTP through libcurl: smtp:// (STARTTLS when offered, or required with tls=require), smtps://
// (implicit TLS), AUTH with username/password, certificate verification (system CAs, or
// `ca_file`). One connection per message: reset mails are rare and a pooled connection would
// only time out on the server between them.
#include <chrono>
#include <string>

#include "platform/mail/mailer.h"

namespace cp {
class Config;
}

namespace cp::mail {

enum class TlsMode { try_starttls, require, none };

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string username, password;
  TlsMode tls = TlsMode::try_starttls;
  std::string ca_file;  // PEM bundle to trust instead of the system's
  std::chrono::milliseconds timeout{10000};

  // smtp.url, smtp.username, smtp.password, smtp.tls (try|require|none), smtp.ca_file,
  // smtp.timeout_ms. Throws std::invalid_argument for a url that is not smtp:// or smtps://
  // or an unknown tls mode.
  static SmtpSettings from_config(const Config& config);
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings settings);
  void send(const Message& message) override;
  std::string describe() const override { return settings_.url; }

 private:
  SmtpSettings settings_;
};

}  // namespace cp::mail
