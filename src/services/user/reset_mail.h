#pragma once
// Sends password-reset mails after the request's transaction has committed, on a worker thread
// of its own (an SMTP round trip must not hold an I/O thread). A failure is logged and counted
// (user_password_reset_mails_total{result="failed"}); the request has already been answered
// 202. Without a Mailer (no smtp.url) the link cannot be sent: that is logged, and the link
// itself only with smtp.log_only=true (development).
#include <memory>

#include "core/job_queue.h"
#include "platform/mail/mailer.h"
#include "services/user/password_reset.h"
#include "services/user/settings.h"

namespace cp::user {

// Subject and text: English, Chinese, or both (no or another locale) in one mail.
mail::Message compose_reset_mail(const ResetMail& mail, const PasswordResetSettings& settings);

class ResetMailSender {
 public:
  // `mailer` may be null: mail is not configured.
  ResetMailSender(std::unique_ptr<mail::Mailer> mailer, PasswordResetSettings settings);
  ~ResetMailSender();
  ResetMailSender(const ResetMailSender&) = delete;
  ResetMailSender& operator=(const ResetMailSender&) = delete;

  void post(ResetMail mail);
  void drain() { jobs_.drain(); }  // tests
  bool configured() const { return mailer_ != nullptr; }

 private:
  void deliver(const ResetMail& mail);
  std::unique_ptr<mail::Mailer> mailer_;
  PasswordResetSettings settings_;
  JobQueue jobs_{"password-reset-mail"};
};

}  // namespace cp::user
