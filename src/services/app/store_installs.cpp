// Queries of app_install_batches, app_install_items and app_device_installs.
#include "services/app/store.h"

namespace cp::app::store {

namespace {

constexpr const char* kInsertBatch =
    "INSERT INTO app_install_batches (id, app_id, package, version_code, action, owner_id, source, "
    "created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr const char* kInsertItem =
    "INSERT INTO app_install_items (batch_id, device_id, status, progress, reason, updated_at) "
    "VALUES ($1, $2, 'queued', 0, '', $3)";
constexpr const char* kBatchColumns =
    "id, app_id, package, version_code, action, owner_id, source, created_at";
constexpr const char* kItems =
    "SELECT batch_id, device_id, status, progress, reason, updated_at FROM app_install_items "
    "WHERE batch_id = $1 ORDER BY device_id";
constexpr const char* kAppItems =
    "SELECT b.id, b.app_id, b.package, b.version_code, b.action, b.owner_id, b.source, "
    "b.created_at, "
    "i.device_id, i.status, i.progress, i.reason, i.updated_at FROM app_install_batches b "
    "JOIN app_install_items i ON i.batch_id = b.id WHERE b.app_id = $1 AND ($2 = '' OR b.owner_id "
    "= $2) "
    "ORDER BY b.id DESC, i.device_id LIMIT $3";
constexpr const char* kDeviceItems =
    "SELECT b.id, b.app_id, b.package, b.version_code, b.action, b.owner_id, b.source, "
    "b.created_at, "
    "i.device_id, i.status, i.progress, i.reason, i.updated_at FROM app_install_items i "
    "JOIN app_install_batches b ON b.id = i.batch_id WHERE i.device_id = $1 ORDER BY b.id DESC "
    "LIMIT $2";
// Finished items (installed, uninstalled, failed) never move again: a late worker cannot undo a
// recorded outcome.
constexpr const char* kUpdateItem =
    "UPDATE app_install_items SET status = $3, progress = $4, reason = $5, updated_at = $6 "
    "WHERE batch_id = $1 AND device_id = $2 AND status IN ('queued', 'installing', 'uninstalling')";
constexpr const char* kFailUnfinished =
    "UPDATE app_install_items SET status = 'failed', reason = $1, updated_at = $2 "
    "WHERE status IN ('queued', 'installing', 'uninstalling')";
constexpr const char* kUpsertInstall =
    "INSERT INTO app_device_installs (device_id, package, app_id, version_code, owner_id, "
    "installed_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id, package) DO UPDATE SET app_id = "
    "excluded.app_id, "
    "version_code = excluded.version_code, owner_id = excluded.owner_id, installed_at = "
    "excluded.installed_at";
constexpr const char* kRemoveInstall =
    "DELETE FROM app_device_installs WHERE device_id = $1 AND package = $2";
constexpr const char* kDeviceInstalls =
    "SELECT device_id, package, app_id, version_code, owner_id, installed_at FROM "
    "app_device_installs "
    "WHERE device_id = $1 ORDER BY package";

InstallBatch read_batch(const db::Row& r) {
  return {r.text("id"),     r.text("app_id"),   r.text("package"), r.int64("version_code"),
          r.text("action"), r.text("owner_id"), r.text("source"),  r.int64("created_at")};
}

InstallItem read_item(const db::Row& r, const std::string& batch_id) {
  return {batch_id,         r.text("device_id"),  r.text("status"), r.int64("progress"),
          r.text("reason"), r.int64("updated_at")};
}

}  // namespace

void insert_batch(Executor& ex, const InstallBatch& b, const std::vector<std::string>& device_ids) {
  ex.exec(kInsertBatch, {b.id, b.app_id, b.package, b.version_code, b.action, b.owner_id, b.source,
                         b.created_at});
  for (const auto& d : device_ids) ex.exec(kInsertItem, {b.id, d, b.created_at});
}

std::optional<InstallBatch> find_batch(Executor& ex, const std::string& id) {
  auto rows = ex.exec(
      std::string("SELECT ") + kBatchColumns + " FROM app_install_batches WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return read_batch(rows[0]);
}

std::vector<InstallItem> batch_items(Executor& ex, const std::string& batch_id) {
  std::vector<InstallItem> out;
  for (const auto& r : ex.exec(kItems, {batch_id})) out.push_back(read_item(r, batch_id));
  return out;
}

std::vector<std::pair<InstallBatch, InstallItem>> app_install_items(Executor& ex,
                                                                    const std::string& app_id,
                                                                    const std::string& owner_id,
                                                                    int64_t limit) {
  std::vector<std::pair<InstallBatch, InstallItem>> out;
  for (const auto& r : ex.exec(kAppItems, {app_id, owner_id, limit})) {
    auto b = read_batch(r);
    auto item = read_item(r, b.id);
    out.emplace_back(std::move(b), std::move(item));
  }
  return out;
}

std::vector<std::pair<InstallBatch, InstallItem>> device_install_items(Executor& ex,
                                                                       const std::string& device_id,
                                                                       int64_t limit) {
  std::vector<std::pair<InstallBatch, InstallItem>> out;
  for (const auto& r : ex.exec(kDeviceItems, {device_id, limit})) {
    auto b = read_batch(r);
    auto item = read_item(r, b.id);
    out.emplace_back(std::move(b), std::move(item));
  }
  return out;
}

bool update_item(Executor& ex, const std::string& batch_id, const std::string& device_id,
                 const std::string& status, int64_t progress, const std::string& reason,
                 int64_t now) {
  return ex.exec(kUpdateItem, {batch_id, device_id, status, progress, reason, now}).affected() == 1;
}

int64_t fail_unfinished_items(Executor& ex, const std::string& reason, int64_t now) {
  return ex.exec(kFailUnfinished, {reason, now}).affected();
}

void upsert_device_install(Executor& ex, const DeviceInstall& i) {
  ex.exec(kUpsertInstall,
          {i.device_id, i.package, i.app_id, i.version_code, i.owner_id, i.installed_at});
}

bool remove_device_install(Executor& ex, const std::string& device_id, const std::string& package) {
  return ex.exec(kRemoveInstall, {device_id, package}).affected() > 0;
}

std::vector<DeviceInstall> device_installs(Executor& ex, const std::string& device_id) {
  std::vector<DeviceInstall> out;
  for (const auto& r : ex.exec(kDeviceInstalls, {device_id})) {
    out.push_back({r.text("device_id"), r.text("package"), r.text("app_id"),
                   r.int64("version_code"), r.text("owner_id"), r.int64("installed_at")});
  }
  return out;
}

}  // namespace cp::app::store
