// /api/v1/apps: upload (streamed APK), list/search, details, icon, download.
#include <charconv>

#include "core/spooled_body.h"
#include "services/app/catalog.h"
#include "services/app/routes.h"
#include "services/app/schemas.h"
#include "services/app/views.h"

namespace cp::app {

namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

bool is_apk_type(const std::string& type) {
  return type.rfind("application/vnd.android.package-archive", 0) == 0 ||
         type.rfind("application/octet-stream", 0) == 0;
}

// The spooled body (the server streamed it to disk), or the in-memory body of an in-process call.
std::shared_ptr<const http::SpooledBody> upload_body(const RequestContext& rc) {
  if (rc.upload) return rc.upload;
  return http::SpooledBody::from_bytes(rc.request.body());
}

boost::json::object page_json(const Page<App>& page) {
  boost::json::array items;
  for (const auto& a : page.items) items.push_back(app_json(a));
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] =
      page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return out;
}

}  // namespace

int64_t version_param(const RequestContext& rc) {
  const auto& text = rc.param("version");
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) {
    throw http::bad_request("version", "must be a positive versionCode");
  }
  return n;
}

void add_app_routes(http::Router& router, AppContext& ctx) {
  router.add({Method::post, "/api/v1/apps", Access::permission, "app:upload",
              "Upload an APK (raw body, application/vnd.android.package-archive; "
              "?category=&description=): "
              "a new app, or a new version when the versionCode is higher (409 otherwise)",
              "apps", std::nullopt, uploaded_app_schema(), Status::created,
              [&ctx](RequestContext& rc) {
                if (!is_apk_type(rc.header("Content-Type").value_or(""))) {
                  throw http::ApiError(Status::unsupported_media_type, "unsupported_media_type",
                                       "send the APK as application/vnd.android.package-archive",
                                       "Content-Type");
                }
                auto body = upload_body(rc);
                if (body->size == 0)
                  throw http::bad_request("body", "is empty: send the APK file", "invalid_apk");
                UploadOptions options{rc.query("category").value_or(""),
                                      rc.query("description").value_or("")};
                auto result = upload_apk(ctx, rc.caller(), *body, options);
                auto out = app_detail_json({result.app, {result.version}});
                out["new_app"] = result.new_app;
                return http::json_response(Status::created, out);
              }});
  router.add({Method::get, "/api/v1/apps", Access::permission, "app:read",
              "List apps: published ones plus your own uploads (admins: all) "
              "(?q=&category=&review_state=&owner=&limit=&cursor=)",
              "apps", std::nullopt, app_page_schema(), Status::ok, [&ctx](RequestContext& rc) {
                AppQuery q;
                q.query = rc.query("q").value_or("");
                q.category = rc.query("category").value_or("");
                q.review_state = rc.query("review_state").value_or("");
                q.owner_id = rc.query("owner").value_or("");
                q.limit = rc.query_int("limit", 50, 1, 100);
                q.cursor = rc.query("cursor").value_or("");
                return http::json_response(Status::ok, page_json(list_apps(ctx, rc.caller(), q)));
              }});
  router.add({Method::get, "/api/v1/apps/{id}", Access::permission, "app:read",
              "An app with the versions you may see (newest first) and its icon URL", "apps",
              std::nullopt, app_detail_schema(), Status::ok, [&ctx](RequestContext& rc) {
                return http::json_response(
                    Status::ok, app_detail_json(get_app(ctx, rc.caller(), rc.param("id"))));
              }});
  router.add({Method::patch, "/api/v1/apps/{id}", Access::permission, "app:upload",
              "Change an app's category or description (owner or admin)", "apps",
              http::Schema::object({{"category", http::Schema::string(0, 32)},
                                    {"description", http::Schema::string(0, 4000)}}),
              app_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto body = http::json_body(rc);
                auto app = update_details(ctx, rc.caller(), rc.param("id"),
                                          http::get_opt_string(body, "category"),
                                          http::get_opt_string(body, "description"));
                return http::json_response(Status::ok, app_json(app));
              }});
  router.add({Method::get, "/api/v1/apps/{id}/icon", Access::permission, "app:read",
              "The icon of the newest version you may see (PNG)", "apps", std::nullopt,
              std::nullopt, Status::ok,
              [&ctx](RequestContext& rc) {
                auto res = http::text_response(
                    Status::ok, get_icon(ctx, rc.caller(), rc.param("id")), "image/png");
                res.set(http::bhttp::field::cache_control, "private, max-age=300");
                return res;
              },
              "image/png"});
  router.add(
      {Method::get, "/api/v1/apps/{id}/versions/{version}/download", Access::permission, "app:read",
       "Download a version's APK: 302 to a presigned URL made now (S3), else the file itself",
       "apps", std::nullopt, std::nullopt, Status::ok,
       [&ctx](RequestContext& rc) {
         auto d = download_version(ctx, rc.caller(), rc.param("id"), version_param(rc));
         if (d.url) {
           auto res = http::text_response(Status::found, "", "text/plain");
           res.set(http::bhttp::field::location, *d.url);
           res.set("X-Content-SHA256", d.sha256);
           return res;
         }
         auto res = http::text_response(Status::ok, std::move(d.bytes),
                                        "application/vnd.android.package-archive");
         res.set(http::bhttp::field::content_disposition,
                 "attachment; filename=\"" + d.file_name + "\"");
         res.set("X-Content-SHA256", d.sha256);
         return res;
       },
       "application/vnd.android.package-archive"});
}

}  // namespace cp::app
