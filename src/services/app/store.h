#pragma once
// All SQL of the app service (migrations/*.sql). Functions take an Executor so they run inside
// the caller's transaction; SQL is portable (platform/db.h).
#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "services/app/model.h"

namespace cp::app::store {

using db::Executor;

void insert_app(Executor& ex, const App& app);
std::optional<App> find_app(Executor& ex, const std::string& id);
std::optional<App> find_app_by_package(Executor& ex, const std::string& package);
// Name (label of the newest version) and updated_at after an upload.
void touch_app(Executor& ex, const std::string& id, const std::string& name, int64_t now);
void set_app_details(Executor& ex, const std::string& id, const std::string& category,
                     const std::string& description, int64_t now);
// Recomputes apps.published from the versions (after a review action).
void refresh_published(Executor& ex, const std::string& app_id, int64_t now);

struct AppFilter {
  std::string viewer_id;  // empty = every app (admins); else published ones plus the viewer's
  std::string query;      // substring of name or package, case-insensitive
  std::string category;
  std::string review_state;  // apps with a version in this state (admin review queue)
  std::string owner_id;
  int64_t limit = 50;
  std::string after_id;  // cursor
};
Page<App> list_apps(Executor& ex, const AppFilter& filter);

void insert_version(Executor& ex, const AppVersion& version);
std::optional<AppVersion> find_version(Executor& ex, const std::string& app_id,
                                       int64_t version_code);
std::vector<AppVersion> versions(Executor& ex, const std::string& app_id);  // newest first
int64_t newest_version_code(Executor& ex, const std::string& app_id);       // 0 when none
// How many versions (of any app) use this APK content / icon object.
int64_t versions_with_apk(Executor& ex, const std::string& apk_key);
// Compare-and-set of the review state; false when the version was not in `from`.
bool set_review_state(Executor& ex, const std::string& app_id, int64_t version_code,
                      ReviewState from, ReviewState to, const std::string& reason, int64_t now);
void insert_review_log(Executor& ex, const ReviewLogEntry& entry);
// Oldest first (by created_at, which review_version keeps strictly increasing per app).
std::vector<ReviewLogEntry> review_log(Executor& ex, const std::string& app_id);
int64_t last_review_at(Executor& ex, const std::string& app_id);  // 0 when none

void insert_batch(Executor& ex, const InstallBatch& batch,
                  const std::vector<std::string>& device_ids);
std::optional<InstallBatch> find_batch(Executor& ex, const std::string& id);
std::vector<InstallItem> batch_items(Executor& ex, const std::string& batch_id);
// Items of every batch of the app, newest batch first (bounded).
std::vector<std::pair<InstallBatch, InstallItem>> app_install_items(Executor& ex,
                                                                    const std::string& app_id,
                                                                    const std::string& owner_id,
                                                                    int64_t limit);
// Items of every batch that targeted the device, newest batch first (bounded).
std::vector<std::pair<InstallBatch, InstallItem>> device_install_items(Executor& ex,
                                                                       const std::string& device_id,
                                                                       int64_t limit);
// Moves an item on while it is not finished; false when it already was.
bool update_item(Executor& ex, const std::string& batch_id, const std::string& device_id,
                 const std::string& status, int64_t progress, const std::string& reason,
                 int64_t now);
// Unfinished items of a stopped service become failed ("interrupted"); returns how many.
int64_t fail_unfinished_items(Executor& ex, const std::string& reason, int64_t now);

void upsert_device_install(Executor& ex, const DeviceInstall& install);
bool remove_device_install(Executor& ex, const std::string& device_id, const std::string& package);
std::vector<DeviceInstall> device_installs(Executor& ex, const std::string& device_id);

}  // namespace cp::app::store
