#include "services/user/user_service.h"

#include "core/log.h"
#include "cp_migrations/user.h"
#include "platform/mail/smtp_mailer.h"
#include "platform/migrations.h"
#include "services/user/reset_mail.h"
#include "services/user/routes.h"

namespace cp::user {

void apply_user_migrations(db::Database& db) {
  db::apply_migrations(db, "user", cp_migrations_user(db.dialect()));
}

std::unique_ptr<mail::Mailer> mailer_from_config(const Config& config) {
  if (config.get("smtp.url").empty()) {
    log_event(spdlog::level::warn, "user",
              "mail is not configured (smtp.url): password reset links cannot be sent",
              {{"smtp.log_only", config.get_bool("smtp.log_only", false)}});
    return nullptr;
  }
  return std::make_unique<mail::SmtpMailer>(mail::SmtpSettings::from_config(config));
}

UserService::UserService(services::ServiceContext& ctx)
    : UserService(ctx.core_db, UserSettings::from_config(ctx.config),
                  mailer_from_config(ctx.config)) {
  ctx_.cache = &ctx.cache;
}

UserService::UserService(db::Database& db, UserSettings settings,
                         std::unique_ptr<mail::Mailer> mailer)
    : ctx_(db, std::move(settings)),
      reset_mail_(
          std::make_unique<ResetMailSender>(std::move(mailer), ctx_.settings.password_reset)) {
  ctx_.reset_mail = reset_mail_.get();
  apply_user_migrations(db);
}

UserService::~UserService() = default;

void UserService::register_routes(http::Router& router) {
  add_auth_routes(router, ctx_);
  add_user_routes(router, ctx_);
  add_admin_routes(router, ctx_);
  add_password_reset_routes(router, ctx_);
}

bool UserService::ready() {
  return ctx_.db.ping();
}

}  // namespace cp::user
