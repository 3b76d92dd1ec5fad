// Upload (parse, decide, store, record) and catalogue reads.
#include "services/app/catalog.h"

#include <algorithm>

#include "core/digest.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/problem.h"
#include "services/app/events.h"
#include "services/app/review.h"
#include "services/app/store.h"

namespace cp::app {

namespace {

constexpr const char* kApkType = "application/vnd.android.package-archive";
constexpr const char* kApkPrefix = "apps/apk";
constexpr const char* kIconPrefix = "apps/icon";

// "<prefix>/sha256/<hex>". Built with append: GCC 12 warns falsely (-Warray-bounds) about
// chains of operator+ on a temporary std::string here.
std::string content_key(std::string_view prefix, std::string_view sha256) {
  std::string key;
  key.reserve(prefix.size() + 8 + sha256.size());
  key.append(prefix).append("/sha256/").append(sha256);
  return key;
}

apk::ApkInfo parse_apk(const http::SpooledBody& body) {
  try {
    auto info = apk::read_apk(body.path);
    if (info.package.empty()) throw apk::ApkError("the manifest names no package");
    if (info.version_code <= 0) throw apk::ApkError("the manifest has no positive versionCode");
    return info;
  } catch (const apk::ApkError& e) {
    throw http::bad_request("body", std::string("not a valid APK: ") + e.what(), "invalid_apk");
  }
}

// The stored icon's key ("" when the APK has none); the same bytes are stored once.
std::string store_icon(objstore::ObjectStore& objects, const std::vector<uint8_t>& png) {
  if (png.empty()) return "";
  std::string_view bytes(reinterpret_cast<const char*>(png.data()), png.size());
  auto key = content_key(kIconPrefix, sha256_hex(bytes));
  if (!objects.head(key)) objects.put_bytes(key, bytes, "image/png");
  return key;
}

// After a failed transaction: drop objects no version refers to (a racing upload lost).
void drop_unreferenced(AppContext& ctx, const std::string& apk_key) {
  try {
    if (store::versions_with_apk(ctx.db, apk_key) == 0) ctx.objects.remove(apk_key);
  } catch (const std::exception& e) {
    log_event(spdlog::level::warn, "app", "orphan APK not removed",
              {{"key", apk_key}, {"error", e.what()}});
  }
}

App visible_app(AppContext& ctx, const http::Identity& caller, const std::string& id) {
  auto app = store::find_app(ctx.db, id);
  if (!app || !can_see_app(*app, caller)) throw http::not_found("no app " + id, "app_not_found");
  return *app;
}

}  // namespace

void validate_category(const std::string& c) {
  bool ok = c.size() <= 32 && std::all_of(c.begin(), c.end(), [](char ch) {
              return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
            });
  if (!ok) throw http::bad_request("category", "must be up to 32 characters of a-z, 0-9, _ and -");
}

UploadResult upload_apk(AppContext& ctx, const http::Identity& caller,
                        const http::SpooledBody& body, const UploadOptions& options) {
  validate_category(options.category);
  if (options.description.size() > 4000)
    throw http::bad_request("description", "must be at most 4000 characters");
  if (static_cast<int64_t>(body.size) > ctx.settings.max_apk_bytes) {
    throw http::ApiError(
        http::Status::payload_too_large, "payload_too_large",
        "APKs may be at most " + std::to_string(ctx.settings.max_apk_bytes) + " bytes", "body");
  }
  auto info = parse_apk(body);
  // Decide before storing anything, so a 409 leaves no object behind.
  auto existing = store::find_app_by_package(ctx.db, info.package);
  decide_upload(existing, existing ? store::newest_version_code(ctx.db, existing->id) : 0,
                info.version_code, caller);

  auto apk_key = content_key(kApkPrefix, body.sha256);
  if (!ctx.objects.head(apk_key)) ctx.objects.put_file(apk_key, body.path, kApkType);
  auto icon_key = store_icon(ctx.objects, info.icon_png);

  UploadResult result;
  auto now = now_ms();
  AppVersion& v = result.version;
  v.version_code = info.version_code;
  v.version_name = info.version_name;
  v.label = info.label.empty() ? info.package : info.label;
  v.min_sdk = info.min_sdk;
  v.target_sdk = info.target_sdk;
  v.permissions = info.permissions;
  v.launchable_activity = info.launchable_activity;
  v.apk_key = apk_key;
  v.apk_sha256 = body.sha256;
  v.apk_size = static_cast<int64_t>(body.size);
  v.icon_key = icon_key;
  v.uploader_id = caller.user_id;
  v.created_at = v.updated_at = now;
  try {
    ctx.db.transaction([&](db::Transaction& tx) {
      // Again inside the transaction: a concurrent upload of the same package may have won.
      auto app = store::find_app_by_package(tx, info.package);
      auto kind = decide_upload(app, app ? store::newest_version_code(tx, app->id) : 0,
                                info.version_code, caller);
      if (kind == UploadKind::new_app) {
        app = App{new_id("app"),
                  info.package,
                  caller.user_id,
                  v.label,
                  options.category,
                  options.description,
                  false,
                  now,
                  now};
        store::insert_app(tx, *app);
      } else {
        store::touch_app(tx, app->id, v.label, now);
        if (!options.category.empty() || !options.description.empty()) {
          store::set_app_details(
              tx, app->id, options.category.empty() ? app->category : options.category,
              options.description.empty() ? app->description : options.description, now);
        }
        app = store::find_app(tx, app->id);
      }
      v.app_id = app->id;
      store::insert_version(tx, v);
      emit_uploaded(tx, *app, v);
      result.app = *app;
      result.new_app = kind == UploadKind::new_app;
    });
  } catch (const http::ApiError&) {
    drop_unreferenced(ctx, apk_key);
    throw;
  } catch (const db::DbError& e) {
    drop_unreferenced(ctx, apk_key);
    if (e.unique_violation()) {
      throw http::conflict("another upload of " + info.package + " " +
                               std::to_string(info.version_code) + " finished first",
                           "version_not_newer", "body");
    }
    throw;
  }
  return result;
}

AppDetail get_app(AppContext& ctx, const http::Identity& caller, const std::string& id) {
  AppDetail d{visible_app(ctx, caller, id), {}};
  for (auto& v : store::versions(ctx.db, id)) {
    if (can_see_version(d.app, v, caller)) d.versions.push_back(std::move(v));
  }
  return d;
}

Page<App> list_apps(AppContext& ctx, const http::Identity& caller, const AppQuery& q) {
  if (q.query.size() > 100) throw http::bad_request("q", "must be at most 100 characters");
  validate_category(q.category);
  if (!q.review_state.empty() && !parse_review_state(q.review_state)) {
    throw http::bad_request("review_state",
                            "must be draft, pending, published, rejected or unpublished");
  }
  store::AppFilter f;
  f.viewer_id = caller.is_admin() ? "" : caller.user_id;
  f.query = q.query;
  f.category = q.category;
  f.review_state = q.review_state;
  f.owner_id = q.owner_id;
  f.limit = q.limit;
  f.after_id = q.cursor;
  return store::list_apps(ctx.db, f);
}

App update_details(AppContext& ctx, const http::Identity& caller, const std::string& id,
                   const std::optional<std::string>& category,
                   const std::optional<std::string>& description) {
  auto app = visible_app(ctx, caller, id);
  if (!is_manager(app, caller)) throw http::forbidden("only the owner can change the app");
  if (category) validate_category(*category);
  if (description && description->size() > 4000) {
    throw http::bad_request("description", "must be at most 4000 characters");
  }
  store::set_app_details(ctx.db, id, category.value_or(app.category),
                         description.value_or(app.description), now_ms());
  return *store::find_app(ctx.db, id);
}

std::string get_icon(AppContext& ctx, const http::Identity& caller, const std::string& id) {
  for (const auto& v : get_app(ctx, caller, id).versions) {
    if (!v.icon_key.empty()) return ctx.objects.get_bytes(v.icon_key);
  }
  throw http::not_found("app " + id + " has no icon", "icon_not_found");
}

AppVersion get_version(AppContext& ctx, const http::Identity& caller, const std::string& id,
                       int64_t version_code) {
  for (auto& v : get_app(ctx, caller, id).versions) {
    if (v.version_code == version_code) return v;
  }
  throw http::not_found("app " + id + " has no version " + std::to_string(version_code),
                        "version_not_found");
}

Download download_version(AppContext& ctx, const http::Identity& caller, const std::string& id,
                          int64_t version_code) {
  auto v = get_version(ctx, caller, id, version_code);
  auto app = *store::find_app(ctx.db, id);
  Download d;
  d.file_name = app.package + "-" + std::to_string(v.version_code) + ".apk";
  d.sha256 = v.apk_sha256;
  d.url = ctx.objects.presigned_get_url(v.apk_key, ctx.settings.download_url_ttl);
  if (!d.url) d.bytes = ctx.objects.get_bytes(v.apk_key);
  return d;
}

}  // namespace cp::app
