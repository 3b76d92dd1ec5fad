#pragma once
// The user service: accounts, authentication, RBAC, API keys, quotas and audit (seed port 30001).
#include <memory>

#include "platform/mail/mailer.h"
#include "services/service.h"
#include "services/user/user_context.h"

namespace cp::user {

class UserService final : public services::Service {
 public:
  // Applies the user migrations to ctx.core_db. Throws std::invalid_argument on bad settings
  // (e.g. a missing auth.jwt_secret).
  explicit UserService(services::ServiceContext& ctx);
  // For tests: explicit database, settings and mailer (null: mail is not configured).
  UserService(db::Database& db, UserSettings settings,
              std::unique_ptr<mail::Mailer> mailer = nullptr);
  ~UserService() override;

  std::string name() const override { return "user"; }
  std::vector<std::string> api_prefixes() const override {
    return {"auth", "users", "roles", "permissions", "api-keys", "audit", "quotas"};
  }
  void register_routes(http::Router& router) override;
  bool ready() override;

  UserContext& context() { return ctx_; }
  ResetMailSender& reset_mail() { return *reset_mail_; }

 private:
  UserContext ctx_;
  std::unique_ptr<ResetMailSender> reset_mail_;
};

// The configured mailer: SMTP when smtp.url is set, otherwise null (logged at start-up).
std::unique_ptr<mail::Mailer> mailer_from_config(const Config& config);

// The user service's schema (apply before ensure_admin / reset_password from the CLI).
void apply_user_migrations(db::Database& db);

}  // namespace cp::user
