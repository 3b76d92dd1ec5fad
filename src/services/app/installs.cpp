#include "services/app/installs.h"

#include <set>
#include <thread>

#include "core/ids.h"
#include "core/log.h"
#include "core/problem.h"
#include "objstore/object_store.h"
#include "services/app/catalog.h"
#include "services/app/events.h"
#include "services/app/review.h"
#include "services/app/store.h"

namespace cp::app {

namespace {

// The APK of one batch, fetched from the store by the first item that needs it and shared by
// the others; the staged file goes away with the last item.
struct StagedApk {
  std::mutex mu;
  std::shared_ptr<const http::SpooledBody> file;
};
using StagedPtr = std::shared_ptr<StagedApk>;

std::shared_ptr<const http::SpooledBody> stage(AppContext& ctx, StagedApk& staged,
                                               const AppVersion& v) {
  std::lock_guard lock(staged.mu);
  if (staged.file) return staged.file;
  auto dir = ctx.settings.spool_dir.empty()
                 ? std::filesystem::temp_directory_path() / "cloudphone-spool"
                 : std::filesystem::path(ctx.settings.spool_dir);
  std::filesystem::create_directories(dir);
  auto body = std::make_shared<http::SpooledBody>();
  body->path = dir / (new_id("apk") + ".apk");
  ctx.objects.get_file(v.apk_key, body->path);
  body->size = std::filesystem::file_size(body->path);
  body->sha256 = objstore::sha256_file_hex(body->path);
  // Content addressing makes corruption detectable: never install bytes that do not match.
  if (body->sha256 != v.apk_sha256)
    throw std::runtime_error("the stored APK does not match its sha256");
  staged.file = body;
  return staged.file;
}

// Records the item's progress; false when it had already finished.
bool progress(AppContext& ctx, const InstallBatch& b, const std::string& device_id,
              const char* status, int pct) {
  return store::update_item(ctx.db, b.id, device_id, status, pct, "", now_ms());
}

void record_failure(AppContext& ctx, const InstallBatch& b, const std::string& device_id,
                    const std::string& reason) {
  ctx.db.transaction([&](db::Transaction& tx) {
    auto now = now_ms();
    if (store::update_item(tx, b.id, device_id, "failed", 100, reason, now)) {
      if (b.action == "install") emit_install(tx, kEventInstallFailed, b, device_id, reason, now);
    }
  });
}

// Waits while the device is still coming up (creating/booting); "" when it is running,
// otherwise why the app cannot go on it.
std::string wait_until_running(AppContext& ctx, const http::Identity& as,
                               const std::string& device_id, bool patient) {
  auto deadline = std::chrono::steady_clock::now() + ctx.settings.device_wait;
  for (;;) {
    auto state = ctx.devices.state(as, device_id);
    if (state.empty()) return "no device " + device_id;
    if (state == "running") return "";
    bool coming_up = state == "creating" || state == "booting";
    if (!coming_up && !patient) return "the device is " + state + ", not running";
    if (std::chrono::steady_clock::now() >= deadline || ctx.jobs.stopping()) {
      return "the device did not become running in time (it is " + state + ")";
    }
    std::this_thread::sleep_for(ctx.settings.device_poll);
  }
}

std::string describe(const std::exception& e) {
  if (const auto* d = dynamic_cast<const DeviceCallError*>(&e)) {
    return d->code + " (" + std::to_string(d->status) + "): " + d->what();
  }
  return e.what();
}

void run_install_item(AppContext& ctx, const http::Identity& as, const InstallBatch& b,
                      const AppVersion& v, const std::string& device_id, const StagedPtr& staged) {
  try {
    if (!progress(ctx, b, device_id, "installing", 10)) return;
    if (auto why = wait_until_running(ctx, as, device_id, b.source == "template"); !why.empty()) {
      return record_failure(ctx, b, device_id, why);
    }
    auto apk = stage(ctx, *staged, v);
    progress(ctx, b, device_id, "installing", 50);
    ctx.devices.install(as, device_id, apk);
  } catch (const std::exception& e) {
    return record_failure(ctx, b, device_id, describe(e));
  }
  ctx.db.transaction([&](db::Transaction& tx) {
    auto now = now_ms();
    if (!store::update_item(tx, b.id, device_id, "installed", 100, "", now)) return;
    store::upsert_device_install(tx,
                                 {device_id, b.package, b.app_id, b.version_code, b.owner_id, now});
    emit_install(tx, kEventInstalled, b, device_id, "", now);
  });
}

void run_uninstall_item(AppContext& ctx, const http::Identity& as, const InstallBatch& b,
                        const std::string& device_id) {
  bool removed = false;
  try {
    if (!progress(ctx, b, device_id, "uninstalling", 10)) return;
    removed = ctx.devices.uninstall(as, device_id, b.package);
  } catch (const std::exception& e) {
    return record_failure(ctx, b, device_id, describe(e));
  }
  ctx.db.transaction([&](db::Transaction& tx) {
    auto now = now_ms();
    if (!store::update_item(tx, b.id, device_id, "uninstalled", 100,
                            removed ? "" : "was not installed", now))
      return;
    store::remove_device_install(tx, device_id, b.package);
    emit_install(tx, kEventUninstalled, b, device_id, "", now);
  });
}

void queue_items(AppContext& ctx, const http::Identity& as, const InstallBatch& b,
                 const std::optional<AppVersion>& v, const std::vector<std::string>& device_ids) {
  auto staged = std::make_shared<StagedApk>();
  for (const auto& device_id : device_ids) {
    ctx.jobs.post([&ctx, as, b, v, device_id, staged] {
      if (b.action == "install") {
        run_install_item(ctx, as, b, *v, device_id, staged);
      } else {
        run_uninstall_item(ctx, as, b, device_id);
      }
    });
  }
}

// The version an install puts on the device: the requested one if the caller may see it, else
// the newest published one, else (for the owner) the newest one.
AppVersion installable_version(AppContext& ctx, const http::Identity& caller,
                               const std::string& app_id, std::optional<int64_t> code) {
  if (code) return get_version(ctx, caller, app_id, *code);
  auto detail = get_app(ctx, caller, app_id);
  for (const auto& v : detail.versions) {
    if (v.review_state == ReviewState::published) return v;
  }
  if (!detail.versions.empty()) return detail.versions.front();
  throw http::conflict("app " + app_id + " has no version you can install",
                       "no_installable_version");
}

InstallBatch new_batch(const http::Identity& caller, const App& app, int64_t version_code,
                       const char* action, const char* source) {
  return InstallBatch{new_id("inb"), app.id,         app.package, version_code,
                      action,        caller.user_id, source,      now_ms()};
}

}  // namespace

http::Identity acting_owner(const std::string& owner_id) {
  http::Identity id;
  id.user_id = owner_id;
  id.roles = {"user"};
  id.permissions = {"device:read", "device:operate", "app:read", "app:install"};
  id.auth_method = "internal";
  return id;
}

http::Schema install_schema() {
  using http::Schema;
  return Schema::object(
      {{"device_ids", Schema::array(Schema::string(1, 64), 10000)},
       {"device_id", Schema::string(1, 64)},
       {"version_code", Schema::integer(1).describe("install only; default newest published")}});
}

InstallInput read_install_input(const boost::json::object& body, int max_ids) {
  InstallInput in;
  const auto* ids = body.if_contains("device_ids");
  const auto* one = body.if_contains("device_id");
  if (ids && one) throw http::bad_request("device_ids", "give device_ids or device_id, not both");
  if (one) {
    if (!one->is_string() || one->as_string().empty())
      throw http::bad_request("device_id", "must be a device id");
    in.device_ids.emplace_back(one->as_string());
  } else {
    if (!ids || !ids->is_array() || ids->as_array().empty()) {
      throw http::bad_request("device_ids", "must be a non-empty array of device ids");
    }
    if (ids->as_array().size() > static_cast<size_t>(max_ids)) {
      throw http::bad_request("device_ids",
                              "at most " + std::to_string(max_ids) + " devices per request");
    }
    std::set<std::string> seen;
    for (const auto& v : ids->as_array()) {
      if (!v.is_string() || v.as_string().empty())
        throw http::bad_request("device_ids", "must contain device ids");
      std::string id(v.as_string());
      if (!seen.insert(id).second) throw http::bad_request("device_ids", "lists " + id + " twice");
      in.device_ids.push_back(std::move(id));
    }
  }
  if (const auto* code = body.if_contains("version_code")) {
    if (!code->is_int64() || code->as_int64() < 1)
      throw http::bad_request("version_code", "must be a positive integer");
    in.version_code = code->as_int64();
  }
  return in;
}

boost::json::object batch_json(const BatchView& view) {
  const auto& b = view.batch;
  int64_t done = 0, failed = 0;
  boost::json::array items;
  for (const auto& it : view.items) {
    bool finished = it.status == "installed" || it.status == "uninstalled" || it.status == "failed";
    done += finished ? 1 : 0;
    failed += it.status == "failed" ? 1 : 0;
    boost::json::object o{{"device_id", it.device_id},
                          {"status", it.status},
                          {"progress", it.progress},
                          {"updated_at", to_rfc3339(it.updated_at)}};
    if (!it.reason.empty()) o["reason"] = it.reason;
    items.push_back(std::move(o));
  }
  auto total = static_cast<int64_t>(view.items.size());
  return {{"batch_id", b.id},
          {"app_id", b.app_id},
          {"package", b.package},
          {"version_code", b.version_code},
          {"action", b.action},
          {"source", b.source},
          {"state", done == total ? "finished" : "running"},
          {"total", total},
          {"done", done},
          {"failed", failed},
          {"items", std::move(items)},
          {"created_at", to_rfc3339(b.created_at)}};
}

InstallBatch submit_install(AppContext& ctx, const http::Identity& caller,
                            const std::string& app_id, const InstallInput& input) {
  auto v = installable_version(ctx, caller, app_id, input.version_code);
  auto app = *store::find_app(ctx.db, app_id);
  auto b = new_batch(caller, app, v.version_code, "install", "api");
  store::insert_batch(ctx.db, b, input.device_ids);
  queue_items(ctx, caller, b, v, input.device_ids);
  return b;
}

InstallBatch submit_uninstall(AppContext& ctx, const http::Identity& caller,
                              const std::string& app_id, const InstallInput& input) {
  auto app = get_app(ctx, caller, app_id).app;
  auto b = new_batch(caller, app, 0, "uninstall", "api");
  store::insert_batch(ctx.db, b, input.device_ids);
  queue_items(ctx, caller, b, std::nullopt, input.device_ids);
  return b;
}

BatchView get_batch(AppContext& ctx, const http::Identity& caller, const std::string& batch_id) {
  auto b = store::find_batch(ctx.db, batch_id);
  if (!b || (b->owner_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no install batch " + batch_id, "batch_not_found");
  }
  return {*b, store::batch_items(ctx.db, batch_id)};
}

std::vector<std::pair<InstallBatch, InstallItem>> app_installs(AppContext& ctx,
                                                               const http::Identity& caller,
                                                               const std::string& app_id) {
  get_app(ctx, caller, app_id);  // 404 for apps the caller cannot see
  return store::app_install_items(ctx.db, app_id, caller.is_admin() ? "" : caller.user_id, 500);
}

DeviceApps installed_on_device(AppContext& ctx, const http::Identity& caller,
                               const std::string& device_id) {
  // The device service decides who may see the device (owner or admin).
  if (ctx.devices.state(caller, device_id).empty()) {
    throw http::not_found("no device " + device_id, "device_not_found");
  }
  return {store::device_installs(ctx.db, device_id),
          store::device_install_items(ctx.db, device_id, 50)};
}

std::vector<PlannedInstall> plan_template_installs(AppContext& ctx, const std::string& owner_id,
                                                   const std::vector<std::string>& refs) {
  auto as = acting_owner(owner_id);
  std::vector<PlannedInstall> plan;
  for (const auto& ref : refs) {
    auto app = ref.rfind("app_", 0) == 0 ? store::find_app(ctx.db, ref)
                                         : store::find_app_by_package(ctx.db, ref);
    try {
      if (!app) throw http::not_found("no app " + ref, "app_not_found");
      auto v = installable_version(ctx, as, app->id, std::nullopt);
      plan.push_back({new_batch(as, *app, v.version_code, "install", "template"), v, ""});
    } catch (const http::ApiError& e) {
      App unknown = app ? *app : App{ref, ref, owner_id, ref, "", "", false, 0, 0};
      plan.push_back({new_batch(as, unknown, 0, "install", "template"), std::nullopt,
                      std::string("template app ") + ref + ": " + e.what()});
    }
  }
  return plan;
}

void record_planned(db::Executor& tx, const std::vector<PlannedInstall>& plan,
                    const std::string& device_id) {
  for (const auto& p : plan) {
    store::insert_batch(tx, p.batch, {device_id});
    if (!p.failure.empty())
      store::update_item(tx, p.batch.id, device_id, "failed", 100, p.failure, now_ms());
  }
}

void start_planned(AppContext& ctx, const std::vector<PlannedInstall>& plan,
                   const std::string& device_id) {
  for (const auto& p : plan) {
    if (p.failure.empty())
      queue_items(ctx, acting_owner(p.batch.owner_id), p.batch, p.version, {device_id});
  }
}

}  // namespace cp::app
