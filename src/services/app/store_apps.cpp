// Queries of apps, app_versions and app_review_log.
#include <boost/json.hpp>

#include "services/app/store.h"

namespace cp::app::store {

namespace {

constexpr const char* kAppColumns =
    "id, package, owner_id, name, category, description, published, created_at, updated_at";
const std::string kSelectApp = std::string("SELECT ") + kAppColumns + " FROM apps ";
constexpr const char* kInsertApp =
    "INSERT INTO apps (id, package, owner_id, name, category, description, published, created_at, "
    "updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr const char* kTouchApp = "UPDATE apps SET name = $2, updated_at = $3 WHERE id = $1";
constexpr const char* kSetDetails =
    "UPDATE apps SET category = $2, description = $3, updated_at = $4 WHERE id = $1";
constexpr const char* kRefreshPublished =
    "UPDATE apps SET published = (SELECT COUNT(*) FROM app_versions v WHERE v.app_id = $1 AND "
    "v.review_state = 'published'), updated_at = $2 WHERE id = $1";

constexpr const char* kVersionColumns =
    "app_id, version_code, version_name, label, min_sdk, target_sdk, permissions, "
    "launchable_activity, apk_key, "
    "apk_sha256, apk_size, icon_key, uploader_id, review_state, review_reason, created_at, "
    "updated_at";
const std::string kSelectVersion = std::string("SELECT ") + kVersionColumns + " FROM app_versions ";
const std::string kInsertVersion =
    std::string("INSERT INTO app_versions (") + kVersionColumns +
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
    "$16, $17)";
constexpr const char* kNewest =
    "SELECT COALESCE(MAX(version_code), 0) AS n FROM app_versions WHERE app_id = $1";
constexpr const char* kWithApk = "SELECT COUNT(*) AS n FROM app_versions WHERE apk_key = $1";
constexpr const char* kSetReview =
    "UPDATE app_versions SET review_state = $4, review_reason = $5, updated_at = $6 "
    "WHERE app_id = $1 AND version_code = $2 AND review_state = $3";
constexpr const char* kInsertLog =
    "INSERT INTO app_review_log (id, app_id, version_code, action, from_state, to_state, actor_id, "
    "reason, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr const char* kLog =
    "SELECT id, app_id, version_code, action, from_state, to_state, actor_id, reason, created_at "
    "FROM app_review_log WHERE app_id = $1 ORDER BY created_at, id";
constexpr const char* kLastReview =
    "SELECT COALESCE(MAX(created_at), 0) AS t FROM app_review_log WHERE app_id = $1";

App read_app(const db::Row& r) {
  return App{
      r.text("id"),         r.text("package"),     r.text("owner_id"),       r.text("name"),
      r.text("category"),   r.text("description"), r.int64("published") > 0, r.int64("created_at"),
      r.int64("updated_at")};
}

AppVersion read_version(const db::Row& r) {
  AppVersion v;
  v.app_id = r.text("app_id");
  v.version_code = r.int64("version_code");
  v.version_name = r.text("version_name");
  v.label = r.text("label");
  v.min_sdk = static_cast<int>(r.int64("min_sdk"));
  v.target_sdk = static_cast<int>(r.int64("target_sdk"));
  boost::system::error_code ec;
  auto perms = boost::json::parse(r.text("permissions"), ec);
  if (!ec && perms.is_array()) {
    for (const auto& p : perms.as_array()) {
      if (p.is_string()) v.permissions.emplace_back(p.as_string());
    }
  }
  v.launchable_activity = r.text("launchable_activity");
  v.apk_key = r.text("apk_key");
  v.apk_sha256 = r.text("apk_sha256");
  v.apk_size = r.int64("apk_size");
  v.icon_key = r.text("icon_key");
  v.uploader_id = r.text("uploader_id");
  v.review_state = parse_review_state(r.text("review_state")).value_or(ReviewState::draft);
  v.review_reason = r.text("review_reason");
  v.created_at = r.int64("created_at");
  v.updated_at = r.int64("updated_at");
  return v;
}

std::optional<App> first_app(const db::Result& result) {
  if (result.empty()) return std::nullopt;
  return read_app(result[0]);
}

}  // namespace

void insert_app(Executor& ex, const App& a) {
  ex.exec(kInsertApp, {a.id, a.package, a.owner_id, a.name, a.category, a.description,
                       static_cast<int64_t>(a.published ? 1 : 0), a.created_at, a.updated_at});
}

std::optional<App> find_app(Executor& ex, const std::string& id) {
  return first_app(ex.exec(kSelectApp + "WHERE id = $1", {id}));
}

std::optional<App> find_app_by_package(Executor& ex, const std::string& package) {
  return first_app(ex.exec(kSelectApp + "WHERE package = $1", {package}));
}

void touch_app(Executor& ex, const std::string& id, const std::string& name, int64_t now) {
  ex.exec(kTouchApp, {id, name, now});
}

void set_app_details(Executor& ex, const std::string& id, const std::string& category,
                     const std::string& description, int64_t now) {
  ex.exec(kSetDetails, {id, category, description, now});
}

void refresh_published(Executor& ex, const std::string& app_id, int64_t now) {
  ex.exec(kRefreshPublished, {app_id, now});
}

Page<App> list_apps(Executor& ex, const AppFilter& f) {
  // Optional filters as "$n = '' OR ..." keep one statement with a fixed parameter list. The
  // search pattern escapes % and _ so they match themselves.
  static const std::string kList =
      kSelectApp +
      "WHERE ($1 = '' OR published > 0 OR owner_id = $1) "
      "AND ($2 = '' OR LOWER(name) LIKE $2 ESCAPE '!' OR LOWER(package) LIKE $2 ESCAPE '!') "
      "AND ($3 = '' OR category = $3) "
      "AND ($4 = '' OR EXISTS (SELECT 1 FROM app_versions v WHERE v.app_id = apps.id AND "
      "v.review_state = $4)) "
      "AND ($5 = '' OR owner_id = $5) AND ($6 = '' OR id > $6) ORDER BY id LIMIT $7";
  std::string pattern;
  if (!f.query.empty()) {
    pattern = "%";
    for (char c : f.query) {
      char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (lower == '%' || lower == '_' || lower == '!') pattern += '!';
      pattern += lower;
    }
    pattern += "%";
  }
  auto rows = ex.exec(kList, {f.viewer_id, pattern, f.category, f.review_state, f.owner_id,
                              f.after_id, f.limit + 1});
  Page<App> page;
  for (const auto& r : rows) page.items.push_back(read_app(r));
  if (static_cast<int64_t>(page.items.size()) > f.limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

void insert_version(Executor& ex, const AppVersion& v) {
  boost::json::array perms;
  for (const auto& p : v.permissions) perms.emplace_back(p);
  ex.exec(kInsertVersion,
          {v.app_id, v.version_code, v.version_name, v.label, static_cast<int64_t>(v.min_sdk),
           static_cast<int64_t>(v.target_sdk), boost::json::serialize(perms), v.launchable_activity,
           v.apk_key, v.apk_sha256, v.apk_size, v.icon_key, v.uploader_id,
           std::string(to_string(v.review_state)), v.review_reason, v.created_at, v.updated_at});
}

std::optional<AppVersion> find_version(Executor& ex, const std::string& app_id,
                                       int64_t version_code) {
  auto rows =
      ex.exec(kSelectVersion + "WHERE app_id = $1 AND version_code = $2", {app_id, version_code});
  if (rows.empty()) return std::nullopt;
  return read_version(rows[0]);
}

std::vector<AppVersion> versions(Executor& ex, const std::string& app_id) {
  std::vector<AppVersion> out;
  for (const auto& r :
       ex.exec(kSelectVersion + "WHERE app_id = $1 ORDER BY version_code DESC", {app_id})) {
    out.push_back(read_version(r));
  }
  return out;
}

int64_t newest_version_code(Executor& ex, const std::string& app_id) {
  return ex.exec(kNewest, {app_id}).one().int64("n");
}

int64_t versions_with_apk(Executor& ex, const std::string& apk_key) {
  return ex.exec(kWithApk, {apk_key}).one().int64("n");
}

bool set_review_state(Executor& ex, const std::string& app_id, int64_t version_code,
                      ReviewState from, ReviewState to, const std::string& reason, int64_t now) {
  return ex.exec(kSetReview, {app_id, version_code, std::string(to_string(from)),
                              std::string(to_string(to)), reason, now})
             .affected() == 1;
}

void insert_review_log(Executor& ex, const ReviewLogEntry& e) {
  ex.exec(kInsertLog, {e.id, e.app_id, e.version_code, e.action, e.from_state, e.to_state,
                       e.actor_id, e.reason, e.created_at});
}

std::vector<ReviewLogEntry> review_log(Executor& ex, const std::string& app_id) {
  std::vector<ReviewLogEntry> out;
  for (const auto& r : ex.exec(kLog, {app_id})) {
    out.push_back({r.text("id"), r.text("app_id"), r.int64("version_code"), r.text("action"),
                   r.text("from_state"), r.text("to_state"), r.text("actor_id"), r.text("reason"),
                   r.int64("created_at")});
  }
  return out;
}

int64_t last_review_at(Executor& ex, const std::string& app_id) {
  return ex.exec(kLastReview, {app_id}).one().int64("t");
}

}  // namespace cp::app::store
