// POST /api/v1/auth/password/forgot and /api/v1/auth/password/reset (public; the gateway's
// per-address rate limits for anonymous callers apply, as for login).
#include "core/schema.h"
#include "services/user/password_reset.h"
#include "services/user/reset_mail.h"
#include "services/user/routes.h"
#include "services/user/views.h"

namespace cp::user {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Schema;
using http::Status;

constexpr const char* kForgotDetail =
    "If this address belongs to an active account, a password reset link has been sent to it.";

Schema forgot_response() {
  return Schema::record(
      {{"status", Schema::string().one_of({"accepted"})}, {"detail", Schema::string()}});
}

}  // namespace

void add_password_reset_routes(http::Router& router, UserContext& ctx) {
  router.add({Method::post, "/api/v1/auth/password/forgot", Access::public_route, "",
              "Email a password reset link (202 whether or not the account exists)", "auth",
              Schema::object({{"email", Schema::string(3, 254).format("email")}}, {"email"}),
              forgot_response(), Status::accepted, [&ctx](RequestContext& rc) {
                auto email = http::get_string(http::json_body(rc), "email");
                // The transaction commits before the mail is queued; the mail goes out on the
                // sender's own thread and its outcome never changes this answer.
                if (auto mail = request_password_reset(ctx, email, request_meta(rc))) {
                  if (ctx.reset_mail) ctx.reset_mail->post(std::move(*mail));
                }
                return http::json_response(Status::accepted,
                                           {{"status", "accepted"}, {"detail", kForgotDetail}});
              }});
  router.add(
      {Method::post, "/api/v1/auth/password/reset", Access::public_route, "",
       "Set a new password with the token from a reset mail; ends every session", "auth",
       Schema::object({{"token", Schema::string(1, 256)}, {"new_password", Schema::string(1, 128)}},
                      {"token", "new_password"}),
       std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
         auto body = http::json_body(rc);
         reset_password_with_token(ctx, http::get_string(body, "token"),
                                   http::get_string(body, "new_password"), request_meta(rc));
         return http::no_content();
       }});
}

}  // namespace cp::user
