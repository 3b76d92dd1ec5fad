// /api/v1/devices/{id}/files (upload, download, list) and /apps (install, uninstall) over ADB.
#include "services/device/files.h"
#include "services/device/routes.h"
#include "services/device/schemas.h"

namespace cp::device {
namespace {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

std::string path_query(const RequestContext& rc) {
  auto path = rc.query("path");
  if (!path) throw http::bad_request("path", "is required (?path=/sdcard/...)");
  return *path;
}

boost::json::object entry_json(const adb::sync::DirEntry& e) {
  const char* type = e.stat.is_dir() ? "directory" : e.stat.is_regular() ? "file" : "other";
  return {{"name", e.name},
          {"type", type},
          {"size", e.stat.size},
          {"mode", e.stat.mode & 07777},
          {"mtime", e.stat.mtime}};
}

}  // namespace

void add_file_routes(http::Router& router, DeviceContext& ctx) {
  router.add({Method::put, "/api/v1/devices/{id}/files", Access::permission, "device:operate",
              "Upload the request body to ?path= on the device (streamed: spooled to disk, pushed "
              "in chunks)",
              "devices", std::nullopt, std::nullopt, Status::no_content,
              [&ctx](RequestContext& rc) {
                push_file(ctx, rc.caller(), rc.param("id"), path_query(rc), upload_of(rc));
                return http::no_content();
              }});
  router.add(
      {Method::get, "/api/v1/devices/{id}/files", Access::permission, "device:operate",
       "Download ?path= from the device (sync pull; at most device.pull_limit_bytes, else 413)",
       "devices", std::nullopt, std::nullopt, Status::ok,
       [&ctx](RequestContext& rc) {
         return http::text_response(Status::ok,
                                    pull_file(ctx, rc.caller(), rc.param("id"), path_query(rc)),
                                    "application/octet-stream");
       },
       "application/octet-stream"});
  router.add({Method::get, "/api/v1/devices/{id}/files/list", Access::permission, "device:operate",
              "List the directory ?path= on the device (sync LIST)", "devices", std::nullopt,
              dir_listing_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto path = path_query(rc);
                boost::json::array items;
                for (const auto& e : list_directory(ctx, rc.caller(), rc.param("id"), path)) {
                  items.push_back(entry_json(e));
                }
                return http::json_response(
                    Status::ok, boost::json::object{{"path", path}, {"items", std::move(items)}});
              }});
  router.add({Method::post, "/api/v1/devices/{id}/apps", Access::permission, "device:operate",
              "Install the APK in the body (application/vnd.android.package-archive)", "devices",
              std::nullopt, apk_install_schema(), Status::created, [&ctx](RequestContext& rc) {
                auto type = rc.header("Content-Type").value_or("");
                if (type.rfind("application/vnd.android.package-archive", 0) != 0 &&
                    type.rfind("application/octet-stream", 0) != 0) {
                  throw http::ApiError(Status::unsupported_media_type, "unsupported_media_type",
                                       "send the APK as application/vnd.android.package-archive");
                }
                auto app = install_apk(ctx, rc.caller(), rc.param("id"), upload_of(rc));
                return http::json_response(Status::created,
                                           boost::json::object{{"package", app.package},
                                                               {"version_code", app.version_code},
                                                               {"version_name", app.version_name},
                                                               {"label", app.label}});
              }});
  router.add({Method::delete_, "/api/v1/devices/{id}/apps/{package}", Access::permission,
              "device:operate", "Uninstall a package (404 when it is not installed)", "devices",
              std::nullopt, std::nullopt, Status::no_content, [&ctx](RequestContext& rc) {
                uninstall_app(ctx, rc.caller(), rc.param("id"), rc.param("package"));
                return http::no_content();
              }});
}

}  // namespace cp::device
