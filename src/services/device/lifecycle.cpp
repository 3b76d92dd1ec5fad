#include "services/device/lifecycle.h"

#include "core/ids.h"
#include "core/problem.h"
#include "services/device/events.h"

namespace cp::device {

std::optional<std::string> quota_violation(const QuotaLimits& q, const store::Usage& u,
                                           const DeviceSpec& spec) {
  if (u.devices + 1 > q.max_devices) {
    return "device quota reached: " + std::to_string(u.devices) + " of " +
           std::to_string(q.max_devices) + " devices in use";
  }
  if (q.max_cpu_cores > 0 && u.cpu_cores + spec.cpu_cores > q.max_cpu_cores) {
    return "CPU quota exceeded: " + std::to_string(u.cpu_cores) + " of " +
           std::to_string(q.max_cpu_cores) + " cores in use, " + std::to_string(spec.cpu_cores) +
           " more requested";
  }
  if (q.max_memory_mb > 0 && u.memory_mb + spec.memory_mb > q.max_memory_mb) {
    return "memory quota exceeded: " + std::to_string(u.memory_mb) + " of " +
           std::to_string(q.max_memory_mb) + " MB in use, " + std::to_string(spec.memory_mb) +
           " more requested";
  }
  return std::nullopt;
}

runtime::RuntimeSpec runtime_spec(const Device& d) {
  runtime::RuntimeSpec s;
  s.device_id = d.id;
  s.name = d.name;
  s.android_version = d.spec.android_version;
  s.width = static_cast<int>(d.spec.width);
  s.height = static_cast<int>(d.spec.height);
  s.dpi = static_cast<int>(d.spec.dpi);
  s.fps = static_cast<int>(d.spec.fps);
  s.cpu_cores = static_cast<int>(d.spec.cpu_cores);
  s.memory_mb = static_cast<int>(d.spec.memory_mb);
  s.storage_mb = static_cast<int>(d.spec.storage_mb);
  s.labels = {{"cloudphone.device", d.id}, {"cloudphone.owner", d.owner_id}};
  s.node = d.node;
  return s;
}

std::string place_device(DeviceContext& ctx, db::Executor& ex, const DeviceSpec& spec,
                         const std::string& pinned) {
  auto usage = store::node_usage(ex, ctx.settings.runtime);
  std::vector<runtime::NodeLoad> loads;
  for (auto& info : ctx.runtime.nodes()) {
    if (!pinned.empty() && info.name != pinned) continue;
    auto used = usage.count(info.name) ? usage[info.name] : runtime::NodeUsage{};
    loads.push_back({std::move(info), used, true});
  }
  if (loads.empty())
    throw http::conflict("node " + pinned + " is not configured any more", "no_capacity");
  auto chosen = runtime::choose_node(loads, {spec.cpu_cores, spec.memory_mb});
  if (auto* none = std::get_if<runtime::NoRoom>(&chosen))
    throw http::conflict(none->reason, "no_capacity");
  return std::get<std::string>(chosen);
}

CreateResult create_device(DeviceContext& ctx, const http::Identity& caller,
                           const CreateDeviceInput& input, const std::optional<std::string>& key,
                           const std::string& request_id, const CreateOrigin& origin) {
  if (key) {
    if (auto existing = store::find_by_idempotency_key(ctx.db, caller.user_id, *key))
      return {*existing, true};
  }
  auto quota = ctx.quota(caller, request_id);  // outside the transaction: it is an HTTP call
  Device d;
  d.id = new_id("dev");
  d.owner_id = caller.user_id;
  d.name = input.name;
  d.state = DeviceState::creating;
  d.state_reason = "waiting for the runtime";
  d.runtime = ctx.settings.runtime;
  d.spec = input.spec;
  d.idempotency_key = key;
  d.restore_snapshot_id = origin.restore_snapshot_id;
  d.created_at = d.updated_at = now_ms();
  try {
    ctx.db.transaction([&](db::Transaction& tx) {
      if (auto why = quota_violation(quota, store::owner_usage(tx, caller.user_id), d.spec)) {
        throw http::conflict(*why, "quota_exceeded");
      }
      d.node = place_device(ctx, tx, d.spec, origin.node);
      store::insert_device(tx, d);
      emit_device_event(tx, kEventCreated, d, d.created_at);
    });
  } catch (const db::DbError& e) {
    // Two requests with one key raced; the other one's device is the answer.
    if (!key || !e.unique_violation()) throw;
    if (auto existing = store::find_by_idempotency_key(ctx.db, caller.user_id, *key))
      return {*existing, true};
    throw;
  }
  std::string id = d.id;
  ctx.jobs.post([&ctx, id] { provision_job(ctx, id); });
  return {d, false};
}

Device get_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto d = store::find_device(ctx.db, id);
  if (!d || (d->owner_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no device " + id, "device_not_found");
  }
  return *d;
}

Page<Device> list_devices(DeviceContext& ctx, const http::Identity& caller,
                          store::DeviceFilter filter) {
  if (!caller.is_admin()) filter.owner_id = caller.user_id;
  return store::list_devices(ctx.db, filter);
}

bool move_device(DeviceContext& ctx, const std::string& id, DeviceState from, DeviceState to,
                 const std::string& reason) {
  return ctx.db.transaction([&](db::Transaction& tx) {
    int64_t now = now_ms();
    if (!store::transition(tx, id, from, to, reason, now)) return false;
    if (const char* type = event_for_state(to)) {
      Device d = store::find_device_including_deleted(tx, id).value_or(Device{});
      if (to == DeviceState::running) store::mark_started(tx, id, now);
      emit_device_event(tx, type, d, now);
    }
    return true;
  });
}

Device request_action(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                      DeviceAction action) {
  auto d = get_device(ctx, caller, id);
  auto plan = plan_action(action, d.state);
  if (auto* refused = std::get_if<Refusal>(&plan))
    throw http::conflict(refused->reason, "invalid_state");
  auto to = std::get<DeviceState>(plan);
  std::string reason = std::string(to_string(action)) + " requested";
  if (!move_device(ctx, id, d.state, to, reason)) {
    throw http::conflict("the device changed state meanwhile; try again", "state_changed");
  }
  std::string runtime_id = d.runtime_id;
  switch (action) {
    case DeviceAction::start:
      ctx.jobs.post([&ctx, id] { boot_job(ctx, id, BootHow::start); });
      break;
    case DeviceAction::restart:
      ctx.jobs.post([&ctx, id] { boot_job(ctx, id, BootHow::restart); });
      break;
    case DeviceAction::stop:
      ctx.jobs.post([&ctx, id] { stop_job(ctx, id); });
      break;
    case DeviceAction::remove:
      ctx.adb.drop(id);
      if (!runtime_id.empty()) ctx.jobs.post([&ctx, runtime_id] { remove_job(ctx, runtime_id); });
      break;
    case DeviceAction::operate:
      break;
  }
  d.state = to;
  d.state_reason = reason;
  return d;
}

}  // namespace cp::device
