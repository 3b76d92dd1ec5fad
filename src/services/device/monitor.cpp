#include "services/device/monitor.h"

#include <set>

#include "android/adb/adb_connection.h"
#include "core/ids.h"
#include "core/log.h"
#include "services/device/lifecycle.h"

namespace cp::device {

namespace {
constexpr int kHeartbeatFailuresBeforeError = 2;  // one slow answer is not a dead device
using runtime::InstanceState;
}  // namespace

void HealthMonitor::start() {
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void HealthMonitor::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HealthMonitor::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, ctx_.settings.monitor_interval, [this] { return stopping_; });
      if (stopping_) return;
    }
    try {
      check_once();
    } catch (const std::exception& e) {
      log_event(spdlog::level::warn, "device", "health check failed", {{"error", e.what()}});
    }
  }
}

void HealthMonitor::check_once() {
  for (const auto& d :
       store::devices_in_states(ctx_.db, {DeviceState::running, DeviceState::error})) {
    if (d.runtime_id.empty()) continue;
    if (d.state == DeviceState::running) {
      check_running(d);
    } else {
      check_error(d);
    }
  }
}

void HealthMonitor::check_running(const Device& d) {
  auto status = ctx_.runtime.inspect(d.runtime_id);
  if (status.state != InstanceState::running) {
    move_device(ctx_, d.id, DeviceState::running, DeviceState::error,
                "runtime reports the instance " + std::string(to_string(status.state)) +
                    (status.reason.empty() ? "" : ": " + status.reason));
    return;
  }
  if (status.endpoint.host != d.adb_host || status.endpoint.port != d.adb_port) {
    // Restarted by the runtime between two checks: it has to boot again.
    move_device(ctx_, d.id, DeviceState::running, DeviceState::error,
                "instance restarted by the runtime (" + status.reason + ")");
    return;
  }
  try {
    if (ctx_.ready_probe) {
      if (auto why = ctx_.ready_probe(status.endpoint); !why.empty()) throw std::runtime_error(why);
    } else {
      // The pooled connection operations use: a heartbeat also keeps it known-good, and a dead
      // device is seen here first (its connection is dropped, so requests fail fast).
      auto conn = ctx_.adb.get(d.id, status.endpoint);
      try {
        conn->shell("echo ok", ctx_.settings.adb_connect_timeout);
      } catch (const adb::AdbError&) {
        ctx_.adb.failed(d.id, conn, /*force=*/true);
        throw;
      }
    }
    heartbeat_failures_.erase(d.id);
  } catch (const std::exception& e) {
    if (++heartbeat_failures_[d.id] >= kHeartbeatFailuresBeforeError) {
      heartbeat_failures_.erase(d.id);
      move_device(ctx_, d.id, DeviceState::running, DeviceState::error,
                  std::string("ADB heartbeat failed: ") + e.what());
    }
  }
}

// A device in error whose instance runs again (restart policy) boots again.
void HealthMonitor::check_error(const Device& d) {
  auto status = ctx_.runtime.inspect(d.runtime_id);
  if (status.state != InstanceState::running) return;
  store::set_adb_endpoint(ctx_.db, d.id, status.endpoint.host, status.endpoint.port, now_ms());
  if (move_device(
          ctx_, d.id, DeviceState::error, DeviceState::booting,
          "restarted by the runtime's policy (restart " + std::to_string(status.restarts) + ")")) {
    std::string id = d.id;
    ctx_.jobs.post([ctx = &ctx_, id] { wait_until_ready(*ctx, id); });
  }
}

void HealthMonitor::reconcile() {
  std::set<std::string> live_instances;
  auto up = store::devices_in_states(ctx_.db, {DeviceState::creating, DeviceState::booting,
                                               DeviceState::running, DeviceState::stopping});
  for (const auto& d : up) {
    if (!d.runtime_id.empty()) live_instances.insert(d.runtime_id);
    auto status =
        d.runtime_id.empty() ? runtime::InstanceStatus{} : ctx_.runtime.inspect(d.runtime_id);
    if (status.state == InstanceState::running) continue;  // the runtime kept it (docker, adb)
    std::string id = d.id;
    if (d.state == DeviceState::creating) {
      ctx_.jobs.post([ctx = &ctx_, id] { provision_job(*ctx, id); });
    } else if (d.state == DeviceState::stopping || !ctx_.settings.reconcile_restart) {
      move_device(ctx_, id, d.state, DeviceState::stopped,
                  "reconciled at service start: the runtime instance was gone");
    } else if (d.state == DeviceState::booting ||
               move_device(ctx_, id, d.state, DeviceState::booting,
                           "reconciled at service start: the runtime instance was gone, starting "
                           "it again")) {
      ctx_.jobs.post([ctx = &ctx_, id] { boot_job(*ctx, id, BootHow::start); });
    }
  }
  for (const auto& d :
       store::devices_in_states(ctx_.db, {DeviceState::stopped, DeviceState::error})) {
    if (!d.runtime_id.empty()) live_instances.insert(d.runtime_id);
  }
  for (const auto& runtime_id : ctx_.runtime.list()) {
    if (!live_instances.count(runtime_id)) remove_job(ctx_, runtime_id);  // orphan
  }
}

}  // namespace cp::device
