#pragma once
// HTTP routes of the user service. Handlers parse the (already schema-validated) body, call an
// operation from accounts.h / admin.h / api_keys.h / quotas.h and map the result to JSON.
#include "core/router.h"
#include "services/user/user_context.h"

namespace cp::user {

void add_auth_routes(http::Router& router, UserContext& ctx);  // /auth/...
void add_user_routes(http::Router& router, UserContext& ctx);  // /users/...
// POST /auth/password/forgot, /auth/password/reset (routes_password_reset.cpp)
void add_password_reset_routes(http::Router& router, UserContext& ctx);
void add_admin_routes(http::Router& router,
                      UserContext& ctx);  // /roles, /permissions, /api-keys, /quotas, /audit

}  // namespace cp::user
