#pragma once
// Install and uninstall of an app on one or many cloud phones: a persisted batch with one item
// per device, items run on ctx.jobs (install_concurrency at once) through the device service
// acting as the caller; one failing device fails only its own item, with the reason.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/identity.h"
#include "core/schema.h"
#include "services/app/app_context.h"
#include "services/app/model.h"

namespace cp::app {

struct InstallInput {
  std::vector<std::string> device_ids;
  std::optional<int64_t> version_code;  // install only; default: newest published (or newest own)
};

// Pure.
http::Schema install_schema();
// "device_ids": [...] or "device_id": "..." (not both); 400 naming the field: none, more than
// `max_ids`, duplicates, non-positive version_code.
InstallInput read_install_input(const boost::json::object& body, int max_ids);

struct BatchView {
  InstallBatch batch;
  std::vector<InstallItem> items;
};
// Pure: {batch_id, app_id, ..., state, total, done, failed, items:[{device_id, status, progress,
// reason}]}.
boost::json::object batch_json(const BatchView& view);

// Persists the batch (all items queued) and queues its items; returns it at once.
InstallBatch submit_install(AppContext& ctx, const http::Identity& caller,
                            const std::string& app_id, const InstallInput& input);
InstallBatch submit_uninstall(AppContext& ctx, const http::Identity& caller,
                              const std::string& app_id, const InstallInput& input);
// The caller's batch (admins: any); 404 otherwise.
BatchView get_batch(AppContext& ctx, const http::Identity& caller, const std::string& batch_id);
// Install items of the app's batches (the caller's; admins: all), newest first.
std::vector<std::pair<InstallBatch, InstallItem>> app_installs(AppContext& ctx,
                                                               const http::Identity& caller,
                                                               const std::string& app_id);
// What the app service installed on the device, and the latest install/uninstall records that
// targeted it (template preinstalls included); 404 unless the caller can see the device.
struct DeviceApps {
  std::vector<DeviceInstall> installed;
  std::vector<std::pair<InstallBatch, InstallItem>> records;
};
DeviceApps installed_on_device(AppContext& ctx, const http::Identity& caller,
                               const std::string& device_id);

// Preinstall of a template's apps on a new device (device.created with template_apps): each
// reference is an app id or a package visible to the owner; one batch per app, source
// "template", whose item waits for the device to be running. An unresolvable reference gets a
// failed item naming the reason. Three steps so the event consumer can record the batches in
// its consume_once transaction: plan (reads), record (writes on tx), start (queues the jobs).
struct PlannedInstall {
  InstallBatch batch;
  std::optional<AppVersion> version;
  std::string failure;  // non-empty: recorded as a failed item, nothing to run
};
std::vector<PlannedInstall> plan_template_installs(AppContext& ctx, const std::string& owner_id,
                                                   const std::vector<std::string>& refs);
void record_planned(db::Executor& tx, const std::vector<PlannedInstall>& plan,
                    const std::string& device_id);
void start_planned(AppContext& ctx, const std::vector<PlannedInstall>& plan,
                   const std::string& device_id);

// The identity used to act for a device owner in background work (template installs).
http::Identity acting_owner(const std::string& owner_id);

}  // namespace cp::app
