// POST
// /api/v1/auth/{register,login,refresh,logout,totp/setup,totp/enable,totp/disable,api-keys/verify}
#include "core/identity_codec.h"
#include "core/schema.h"
#include "services/user/accounts.h"
#include "services/user/api_keys.h"
#include "services/user/routes.h"
#include "services/user/schemas.h"
#include "services/user/views.h"

namespace cp::user {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

Schema register_schema() {
  return Schema::object({{"email", Schema::string(3, 254).format("email")},
                         {"username", Schema::string(3, 32).describe("letters, digits, _ . -")},
                         {"password", Schema::string(1, 128)},
                         {"display_name", Schema::string(0, 100)}},
                        {"email", "username", "password"});
}

Schema login_schema() {
  return Schema::object({{"login", Schema::string(1, 254).describe("username or email")},
                         {"password", Schema::string(1, 128)},
                         {"totp_code", Schema::string(6, 6)}},
                        {"login", "password"});
}

}  // namespace

void add_auth_routes(http::Router& router, UserContext& ctx) {
  router.add(
      {Method::post, "/api/v1/auth/register", Access::public_route, "", "Create an account", "auth",
       register_schema(), user_schema(), Status::created, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         RegisterInput in{http::get_string(body, "email"), http::get_string(body, "username"),
                          http::get_string(body, "password"),
                          http::get_string(body, "display_name")};
         return http::json_response(Status::created,
                                    user_json(register_user(ctx, in, request_meta(rc))));
       }});
  router.add({Method::post, "/api/v1/auth/login", Access::public_route, "", "Log in", "auth",
              login_schema(), session_response_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                LoginInput in{http::get_string(body, "login"), http::get_string(body, "password"),
                              http::get_opt_string(body, "totp_code")};
                return http::json_response(Status::ok,
                                           session_json(login(ctx, in, request_meta(rc))));
              }});
  router.add({Method::post, "/api/v1/auth/refresh", Access::public_route, "",
              "Exchange a refresh token for new tokens (rotation)", "auth",
              Schema::object({{"refresh_token", Schema::string(1, 512)}}, {"refresh_token"}),
              session_response_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto token = http::get_string(http::json_body(rc), "refresh_token");
                return http::json_response(
                    Status::ok, session_json(refresh_session(ctx, token, request_meta(rc))));
              }});
  router.add({Method::post, "/api/v1/auth/logout", Access::authenticated, "",
              "End this session, or all sessions with {\"all\": true}", "auth", std::nullopt,
              std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                // The body is optional here, so it is read (and checked) only when present.
                bool all = false;
                if (!rc.request.body().empty()) {
                  auto body = http::json_body(rc);
                  Schema::object({{"all", Schema::boolean()}}).validate(body);
                  all = http::get_bool(body, "all");
                }
                logout(ctx, rc.caller(), all, request_meta(rc));
                return http::no_content();
              }});
  router.add({Method::post, "/api/v1/auth/totp/setup", Access::authenticated, "",
              "Start TOTP enrolment: secret and otpauth URI", "auth", std::nullopt,
              totp_setup_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto setup = totp_setup(ctx, rc.caller());
                return http::json_response(
                    Status::ok, {{"secret", setup.secret}, {"otpauth_uri", setup.otpauth_uri}});
              }});
  router.add({Method::post, "/api/v1/auth/totp/enable", Access::authenticated, "",
              "Require TOTP at login after proving a code", "auth",
              Schema::object({{"code", Schema::string(6, 6)}}, {"code"}), std::nullopt,
              Status::no_content, [&ctx](RequestContext& rc) {
                totp_enable(ctx, rc.caller(), http::get_string(http::json_body(rc), "code"),
                            request_meta(rc));
                return http::no_content();
              }});
  router.add(
      {Method::post, "/api/v1/auth/totp/disable", Access::authenticated, "",
       "Stop requiring TOTP (needs a code or the password)", "auth",
       Schema::object({{"code", Schema::string(0, 6)}, {"password", Schema::string(0, 128)}}),
       std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         totp_disable(ctx, rc.caller(), http::get_string(body, "code"),
                      http::get_string(body, "password"), request_meta(rc));
         return http::no_content();
       }});
  // The gateway's API-key lookup (an internal identity holds "*"); users get 403.
  router.add({Method::post, "/api/v1/auth/api-keys/verify", Access::permission, "internal:auth",
              "Resolve an API key to its owner's identity (internal: the gateway)", "auth",
              Schema::object({{"key", Schema::string(1, 256)}}, {"key"}), identity_schema(),
              Status::ok, [&ctx](RequestContext& rc) {
                auto key = http::get_string(http::json_body(rc), "key");
                return http::json_response(Status::ok, http::identity_to_json(authenticate_api_key(
                                                           ctx.db, key, ctx.clock())));
              }});
}

}  // namespace cp::user
