#include "services/user/user_service.h"

#include "cp_migrations/user.h"
#include "platform/migrations.h"
#include "services/user/routes.h"

namespace cp::user {

void apply_user_migrations(db::Database& db) {
  db::apply_migrations(db, "user", cp_migrations_user(db.dialect()));
}

UserService::UserService(services::ServiceContext& ctx)
    : UserService(ctx.core_db, UserSettings::from_config(ctx.config)) {}

UserService::UserService(db::Database& db, UserSettings settings) : ctx_(db, std::move(settings)) {
  apply_user_migrations(db);
}

void UserService::register_routes(http::Router& router) {
  add_auth_routes(router, ctx_);
  add_user_routes(router, ctx_);
  add_admin_routes(router, ctx_);
}

bool UserService::ready() {
  return ctx_.db.ping();
}

}  // namespace cp::user
