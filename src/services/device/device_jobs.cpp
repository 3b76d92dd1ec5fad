// Background device work: talks to the runtime and ADB, records the outcome as a state
// transition (compare-and-set, so a user action that happened meanwhile wins).
#include <thread>

#include "android/adb/adb_connection.h"
#include "core/ids.h"
#include "core/log.h"
#include "services/device/lifecycle.h"
#include "services/device/templates.h"

namespace cp::device {

namespace {

void record_endpoint(DeviceContext& ctx, const std::string& id, const runtime::AdbEndpoint& ep) {
  store::set_adb_endpoint(ctx.db, id, ep.host, ep.port, now_ms());
}

// The device was deleted while a job worked on it: nothing may keep running for it.
void clean_up_if_deleted(DeviceContext& ctx, const std::string& id, const std::string& runtime_id) {
  auto d = store::find_device_including_deleted(ctx.db, id);
  if (d && d->state == DeviceState::deleted && !runtime_id.empty()) remove_job(ctx, runtime_id);
}

// "" when sys.boot_completed=1, else what the device said.
std::string adb_boot_completed(DeviceContext& ctx, const std::string& host, int64_t port) {
  adb::AdbConnectOptions options;
  options.connect_timeout = ctx.settings.adb_connect_timeout;
  auto conn = adb::AdbConnection::connect(host, static_cast<uint16_t>(port), options);
  auto out = conn->shell("getprop sys.boot_completed", ctx.settings.adb_connect_timeout).out;
  if (out.rfind('1', 0) == 0) return "";
  return "sys.boot_completed is '" + out.substr(0, out.find('\n')) + "'";
}

}  // namespace

void provision_job(DeviceContext& ctx, const std::string& id) {
  auto d = store::find_device(ctx.db, id);
  if (!d || d->state != DeviceState::creating) return;
  std::string runtime_id;
  try {
    if (d->node.empty()) {  // created without placement (from a template, or before 004)
      d->node = ctx.db.transaction(
          [&](db::Transaction& tx) { return place_device(ctx, tx, d->spec, ""); });
      store::set_node(ctx.db, id, d->node, now_ms());
    }
    runtime_id = ctx.runtime.create(runtime_spec(*d));
    store::set_runtime_instance(ctx.db, id, runtime_id, now_ms());
    if (!d->restore_snapshot_id.empty()) ctx.runtime.restore(runtime_id, d->restore_snapshot_id);
    auto ep = ctx.runtime.start(runtime_id);
    record_endpoint(ctx, id, ep);
  } catch (const std::exception& e) {
    move_device(ctx, id, DeviceState::creating, DeviceState::error,
                std::string("runtime failed: ") + e.what());
    clean_up_if_deleted(ctx, id, runtime_id);
    return;
  }
  if (!move_device(ctx, id, DeviceState::creating, DeviceState::booting,
                   "waiting for Android to boot")) {
    clean_up_if_deleted(ctx, id, runtime_id);
    return;
  }
  wait_until_ready(ctx, id);
}

void boot_job(DeviceContext& ctx, const std::string& id, BootHow how) {
  auto d = store::find_device(ctx.db, id);
  if (!d || d->state != DeviceState::booting) return;
  try {
    // create() is idempotent and brings back an instance the runtime lost (service restart).
    auto runtime_id = ctx.runtime.create(runtime_spec(*d));
    if (runtime_id != d->runtime_id) store::set_runtime_instance(ctx.db, id, runtime_id, now_ms());
    auto ep = how == BootHow::restart ? ctx.runtime.restart(runtime_id, ctx.settings.stop_grace)
                                      : ctx.runtime.start(runtime_id);
    record_endpoint(ctx, id, ep);
  } catch (const std::exception& e) {
    move_device(ctx, id, DeviceState::booting, DeviceState::error,
                std::string("runtime failed: ") + e.what());
    return;
  }
  wait_until_ready(ctx, id);
}

void stop_job(DeviceContext& ctx, const std::string& id) {
  auto d = store::find_device(ctx.db, id);
  if (!d || d->state != DeviceState::stopping) return;
  ctx.adb.drop(id);
  try {
    if (!d->runtime_id.empty()) ctx.runtime.stop(d->runtime_id, ctx.settings.stop_grace);
  } catch (const std::exception& e) {
    move_device(ctx, id, DeviceState::stopping, DeviceState::error,
                std::string("stop failed: ") + e.what());
    return;
  }
  move_device(ctx, id, DeviceState::stopping, DeviceState::stopped, "stopped on request");
}

void remove_job(DeviceContext& ctx, const std::string& runtime_id) {
  try {
    ctx.runtime.remove(runtime_id);
  } catch (const std::exception& e) {
    // The record is already deleted; the monitor's orphan sweep retries.
    log_event(spdlog::level::warn, "device", "runtime remove failed",
              {{"runtime_id", runtime_id}, {"error", e.what()}});
  }
}

void wait_until_ready(DeviceContext& ctx, const std::string& id) {
  auto deadline = std::chrono::steady_clock::now() + ctx.settings.boot_timeout;
  std::string last_error = "not tried";
  for (;;) {
    auto d = store::find_device(ctx.db, id);
    if (!d || d->state != DeviceState::booting) return;  // stopped, deleted or failed meanwhile
    if (ctx.jobs.stopping()) return;  // the service stops; reconcile resumes the boot next start
    try {
      // The runtime knows the current endpoint (a restart by policy changes the port).
      auto status = ctx.runtime.inspect(d->runtime_id);
      if (status.state == runtime::InstanceState::running &&
          !(status.endpoint.host == d->adb_host && status.endpoint.port == d->adb_port)) {
        record_endpoint(ctx, id, status.endpoint);
        d->adb_host = status.endpoint.host;
        d->adb_port = status.endpoint.port;
      }
      if (status.state == runtime::InstanceState::failed ||
          status.state == runtime::InstanceState::absent) {
        move_device(ctx, id, DeviceState::booting, DeviceState::error, "runtime: " + status.reason);
        return;
      }
      last_error = ctx.ready_probe
                       ? ctx.ready_probe({d->adb_host, static_cast<uint16_t>(d->adb_port)})
                       : adb_boot_completed(ctx, d->adb_host, d->adb_port);
      if (last_error.empty()) {
        if (move_device(ctx, id, DeviceState::booting, DeviceState::running, ""))
          run_init_commands(ctx, id);
        return;
      }
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      move_device(ctx, id, DeviceState::booting, DeviceState::error,
                  "not ready after " + std::to_string(ctx.settings.boot_timeout.count()) +
                      " ms: " + last_error);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace cp::device
