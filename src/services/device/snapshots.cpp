#include "services/device/snapshots.h"

#include "core/ids.h"
#include "core/log.h"
#include "core/problem.h"
#include "services/device/events.h"
#include "services/device/store_snapshots.h"

namespace cp::device {

namespace {
constexpr const char* kCreating = "creating";
constexpr const char* kReady = "ready";
constexpr const char* kError = "error";
constexpr const char* kDeleting = "deleting";

Snapshot ready_snapshot(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto s = get_snapshot(ctx, caller, id);
  if (s.state != kReady) {
    throw http::conflict(
        "snapshot " + id + " is " + s.state + (s.state_reason.empty() ? "" : ": " + s.state_reason),
        "invalid_state");
  }
  return s;
}
}  // namespace

boost::json::object snapshot_json(const Snapshot& s) {
  return {{"id", s.id},
          {"owner_id", s.owner_id},
          {"device_id", s.device_id},
          {"name", s.name},
          {"state", s.state},
          {"state_reason", s.state_reason},
          {"runtime", s.runtime},
          {"node", s.node},
          {"spec",
           {{"android_version", s.spec.android_version},
            {"width", s.spec.width},
            {"height", s.spec.height},
            {"dpi", s.spec.dpi},
            {"fps", s.spec.fps},
            {"cpu_cores", s.spec.cpu_cores},
            {"memory_mb", s.spec.memory_mb},
            {"storage_mb", s.spec.storage_mb}}},
          {"created_at", to_rfc3339(s.created_at)},
          {"updated_at", to_rfc3339(s.updated_at)}};
}

Snapshot create_snapshot(DeviceContext& ctx, const http::Identity& caller,
                         const std::string& device_id, const std::string& name) {
  auto d = get_device(ctx, caller, device_id);
  if (d.state != DeviceState::running && d.state != DeviceState::stopped) {
    throw http::conflict(std::string("device is ") + to_string(d.state) +
                             "; snapshots are taken of running or stopped devices",
                         "invalid_state");
  }
  Snapshot s;
  s.id = new_id("snp");
  s.owner_id = d.owner_id;
  s.device_id = d.id;
  s.name = name.empty() ? d.name + " snapshot" : name;
  s.state = kCreating;
  s.runtime = d.runtime;
  s.node = d.node;
  s.spec = d.spec;
  s.created_at = s.updated_at = now_ms();
  store::insert_snapshot(ctx.db, s);
  std::string id = s.id;
  ctx.jobs.post([&ctx, id] { snapshot_job(ctx, id); });
  return s;
}

Snapshot get_snapshot(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto s = store::find_snapshot(ctx.db, id);
  if (!s || (s->owner_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no snapshot " + id, "snapshot_not_found");
  }
  return *s;
}

Page<Snapshot> list_snapshots(DeviceContext& ctx, const http::Identity& caller,
                              const std::string& owner_id, const std::string& device_id,
                              int64_t limit, const std::string& cursor) {
  return store::list_snapshots(ctx.db, caller.is_admin() ? owner_id : caller.user_id, device_id,
                               limit, cursor);
}

void delete_snapshot(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto s = get_snapshot(ctx, caller, id);
  if (s.state == kCreating)
    throw http::conflict("snapshot " + id + " is still being created", "invalid_state");
  if (!store::set_snapshot_state(ctx.db, id, s.state, kDeleting, "delete requested", "",
                                 now_ms())) {
    throw http::conflict("the snapshot changed meanwhile; try again", "state_changed");
  }
  ctx.jobs.post([&ctx, id] { remove_snapshot_job(ctx, id); });
}

Device restore_into_device(DeviceContext& ctx, const http::Identity& caller,
                           const std::string& snapshot_id, const std::string& device_id) {
  auto s = ready_snapshot(ctx, caller, snapshot_id);
  auto d = get_device(ctx, caller, device_id);
  if (d.owner_id != s.owner_id) throw http::not_found("no device " + device_id, "device_not_found");
  if (d.state != DeviceState::stopped && d.state != DeviceState::error) {
    throw http::conflict(
        std::string("device is ") + to_string(d.state) + "; stop it before restoring a snapshot",
        "invalid_state");
  }
  if (d.runtime != s.runtime || d.node != s.node) {
    throw http::conflict("the snapshot is on " + s.runtime + " node " + s.node +
                             ", the device on " + d.runtime + " node " + d.node +
                             "; restore it into a new device instead",
                         "wrong_node");
  }
  std::string reason = "restoring snapshot " + s.id;
  if (!move_device(ctx, d.id, d.state, DeviceState::booting, reason)) {
    throw http::conflict("the device changed state meanwhile; try again", "state_changed");
  }
  std::string id = d.id;
  ctx.jobs.post([&ctx, id, snapshot_id] { restore_job(ctx, id, snapshot_id); });
  d.state = DeviceState::booting;
  d.state_reason = reason;
  return d;
}

CreateResult restore_into_new_device(DeviceContext& ctx, const http::Identity& caller,
                                     const std::string& snapshot_id, const std::string& name,
                                     const std::optional<std::string>& key,
                                     const std::string& request_id) {
  auto s = ready_snapshot(ctx, caller, snapshot_id);
  if (s.runtime != ctx.settings.runtime) {
    throw http::conflict("the snapshot was taken on the " + s.runtime +
                             " runtime; this service runs " + ctx.settings.runtime,
                         "wrong_runtime");
  }
  return create_device(ctx, caller, CreateDeviceInput{name, s.spec}, key, request_id,
                       CreateOrigin{s.id, s.node});
}

void snapshot_job(DeviceContext& ctx, const std::string& snapshot_id) {
  auto s = store::find_snapshot(ctx.db, snapshot_id);
  if (!s || s->state != kCreating) return;
  auto d = store::find_device_including_deleted(ctx.db, s->device_id);
  std::string ref, error;
  try {
    if (!d || d->runtime_id.empty())
      throw runtime::RuntimeError("the device has no runtime instance");
    ref = ctx.runtime.snapshot(d->runtime_id, s->id);
  } catch (const std::exception& e) {
    error = e.what();
  }
  int64_t now = now_ms();
  if (!error.empty()) {
    store::set_snapshot_state(ctx.db, s->id, kCreating, kError, "snapshot failed: " + error, "",
                              now);
    return;
  }
  bool made = ctx.db.transaction([&](db::Transaction& tx) {
    if (!store::set_snapshot_state(tx, s->id, kCreating, kReady, "", ref, now)) return false;
    s->state = kReady;
    s->ref = ref;
    emit_snapshot_event(tx, *s, now);
    return true;
  });
  // Deleted (or failed by a restart) meanwhile: the runtime's copy must not outlive the record.
  if (!made) remove_snapshot_job(ctx, s->id);
}

void restore_job(DeviceContext& ctx, const std::string& device_id, const std::string& snapshot_id) {
  auto d = store::find_device(ctx.db, device_id);
  if (!d || d->state != DeviceState::booting) return;
  try {
    auto runtime_id =
        ctx.runtime.create(runtime_spec(*d));  // idempotent: brings back a lost instance
    if (runtime_id != d->runtime_id)
      store::set_runtime_instance(ctx.db, device_id, runtime_id, now_ms());
    ctx.runtime.stop(runtime_id, ctx.settings.stop_grace);  // e.g. restarting after a crash
    ctx.runtime.restore(runtime_id, snapshot_id);
  } catch (const std::exception& e) {
    move_device(ctx, device_id, DeviceState::booting, DeviceState::error,
                std::string("restore failed: ") + e.what());
    return;
  }
  ctx.adb.drop(device_id);
  boot_job(ctx, device_id, BootHow::start);
}

void remove_snapshot_job(DeviceContext& ctx, const std::string& snapshot_id) {
  try {
    ctx.runtime.remove_snapshot(snapshot_id);
  } catch (const std::exception& e) {
    // Still in use (a device restored from it runs on its image): keep the row, retried at start.
    store::set_snapshot_state(ctx.db, snapshot_id, kDeleting, kDeleting,
                              std::string("removal failed: ") + e.what(), "", now_ms());
    log_event(spdlog::level::warn, "device", "snapshot removal failed",
              {{"snapshot_id", snapshot_id}, {"error", e.what()}});
    return;
  }
  store::delete_snapshot_row(ctx.db, snapshot_id);
}

void reconcile_snapshots(DeviceContext& ctx) {
  for (const auto& s : store::snapshots_in_state(ctx.db, kCreating)) {
    if (store::set_snapshot_state(ctx.db, s.id, kCreating, kError,
                                  "interrupted by a restart of the device service", "", now_ms())) {
      std::string id = s.id;
      ctx.jobs.post([&ctx, id] {
        try {
          ctx.runtime.remove_snapshot(id);  // a half-made copy
        } catch (const std::exception&) {
          // nothing was made, or the runtime cannot say: the error state tells the user
        }
      });
    }
  }
  for (const auto& s : store::snapshots_in_state(ctx.db, kDeleting)) {
    std::string id = s.id;
    ctx.jobs.post([&ctx, id] { remove_snapshot_job(ctx, id); });
  }
}

}  // namespace cp::device
