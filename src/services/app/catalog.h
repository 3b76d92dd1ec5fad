#pragma once
// Uploading APKs and reading the catalogue: the plain functions the routes call.
#include <optional>
#include <string>
#include <vector>

#include "android/apk/apk_reader.h"
#include "core/identity.h"
#include "core/spooled_body.h"
#include "services/app/app_context.h"
#include "services/app/model.h"

namespace cp::app {

struct UploadOptions {
  std::string category;  // new apps only; "" keeps the app's
  std::string description;
};

struct UploadResult {
  App app;
  AppVersion version;
  bool new_app = false;
};

// Pure: 400 naming the field unless `category` is 0-32 of [a-z0-9_-].
void validate_category(const std::string& category);

// Parses the spooled APK (400 invalid_apk with the reader's reason), decides new app / new
// version / 409 before anything is written, stores the APK (once per content) and its icon,
// then records the version and app.uploaded in one transaction. 413 above max_apk_bytes.
UploadResult upload_apk(AppContext& ctx, const http::Identity& caller,
                        const http::SpooledBody& body, const UploadOptions& options);

struct AppDetail {
  App app;
  std::vector<AppVersion> versions;  // those the caller may see, newest first
};

struct AppQuery {
  std::string query, category, review_state, owner_id;
  int64_t limit = 50;
  std::string cursor;
};

// 404 app_not_found for apps the caller may not see (another tenant's private upload).
AppDetail get_app(AppContext& ctx, const http::Identity& caller, const std::string& id);
Page<App> list_apps(AppContext& ctx, const http::Identity& caller, const AppQuery& query);
App update_details(AppContext& ctx, const http::Identity& caller, const std::string& id,
                   const std::optional<std::string>& category,
                   const std::optional<std::string>& description);
// The newest visible version's icon (PNG bytes); 404 icon_not_found when it has none.
std::string get_icon(AppContext& ctx, const http::Identity& caller, const std::string& id);
// A visible version or 404 version_not_found.
AppVersion get_version(AppContext& ctx, const http::Identity& caller, const std::string& id,
                       int64_t version_code);

struct Download {
  std::optional<std::string> url;  // presigned GET (S3), generated now
  std::string bytes;               // otherwise the APK itself
  std::string file_name;
  std::string sha256;
};
Download download_version(AppContext& ctx, const http::Identity& caller, const std::string& id,
                          int64_t version_code);

}  // namespace cp::app
