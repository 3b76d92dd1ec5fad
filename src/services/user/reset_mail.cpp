#include "services/user/reset_mail.h"

#include "core/log.h"
#include "core/metrics.h"

namespace cp::user {
namespace {

void count(const char* result) {
  metrics::Registry::global()
      .counter("user_password_reset_mails_total",
               "Password reset mails by result (sent, failed, not_configured)",
               {{"result", result}})
      .inc();
}

std::string english(const ResetMail& m) {
  return "Hello " + m.username +
         ",\n\n"
         "Someone (hopefully you) asked to reset the password of your cloudphone account \"" +
         m.username +
         "\".\n"
         "Open this link within " +
         std::to_string(m.valid_minutes) + " minutes to choose a new password:\n\n" + m.link +
         "\n\n"
         "The link works once. If you did not ask for this, ignore this mail: your password "
         "stays as it is.\n";
}

std::string chinese(const ResetMail& m) {
  return m.username +
         "，您好：\n\n"
         "有人（希望是您本人）申请重置 cloudphone 账号“" +
         m.username +
         "”的密码。\n"
         "请在 " +
         std::to_string(m.valid_minutes) + " 分钟内打开以下链接设置新密码：\n\n" + m.link +
         "\n\n"
         "该链接只能使用一次。如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。\n";
}

}  // namespace

mail::Message compose_reset_mail(const ResetMail& m, const PasswordResetSettings& settings) {
  const std::string locale = m.locale.value_or("");
  const bool zh = locale.rfind("zh", 0) == 0;
  const bool en = locale.rfind("en", 0) == 0;
  mail::Message msg;
  msg.from = settings.mail_from;
  msg.to = {m.to};
  if (zh) {
    msg.subject = "重置您的 cloudphone 密码";
    msg.text = chinese(m);
  } else if (en) {
    msg.subject = "Reset your cloudphone password";
    msg.text = english(m);
  } else {
    msg.subject = "Reset your cloudphone password / 重置您的 cloudphone 密码";
    msg.text = english(m) + "\n----------------------------------------\n\n" + chinese(m);
  }
  return msg;
}

ResetMailSender::ResetMailSender(std::unique_ptr<mail::Mailer> mailer,
                                 PasswordResetSettings settings)
    : mailer_(std::move(mailer)), settings_(std::move(settings)) {
  jobs_.start(1);
}

ResetMailSender::~ResetMailSender() {
  jobs_.stop();
}

void ResetMailSender::post(ResetMail mail) {
  jobs_.post([this, mail = std::move(mail)] { deliver(mail); });
}

void ResetMailSender::deliver(const ResetMail& m) {
  if (!mailer_) {
    count("not_configured");
    boost::json::object fields{{"user_id", m.user_id}};
    if (settings_.log_link_when_unsent) fields["link"] = m.link;  // smtp.log_only: development
    log_event(spdlog::level::warn, "user",
              settings_.log_link_when_unsent
                  ? "mail is not configured (smtp.url); password reset link logged (smtp.log_only)"
                  : "mail is not configured (smtp.url); the password reset link cannot be sent",
              std::move(fields));
    return;
  }
  try {
    mailer_->send(compose_reset_mail(m, settings_));
    count("sent");
    log_event(spdlog::level::info, "user", "password reset mail sent", {{"user_id", m.user_id}});
  } catch (const std::exception& e) {
    count("failed");
    log_event(spdlog::level::err, "user", "password reset mail failed",
              {{"user_id", m.user_id}, {"mailer", mailer_->describe()}, {"error", e.what()}});
  }
}

}  // namespace cp::user
