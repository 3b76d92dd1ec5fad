#include "services/device/device_context.h"

namespace cp::device {

DeviceSettings DeviceSettings::from_config(const Config& config) {
  DeviceSettings s;
  s.runtime = config.get("device.runtime", s.runtime);
  s.boot_timeout = config.get_ms("device.boot_timeout_ms", s.boot_timeout);
  s.exec_timeout = config.get_ms("device.exec_timeout_ms", s.exec_timeout);
  s.adb_connect_timeout = config.get_ms("device.adb_connect_timeout_ms", s.adb_connect_timeout);
  s.install_timeout = config.get_ms("device.install_timeout_ms", s.install_timeout);
  s.stop_grace = config.get_ms("device.stop_grace_ms", s.stop_grace);
  s.monitor_interval = config.get_ms("device.monitor_interval_ms", s.monitor_interval);
  s.adb_first_backoff = config.get_ms("device.adb_first_backoff_ms", s.adb_first_backoff);
  s.adb_max_backoff = config.get_ms("device.adb_max_backoff_ms", s.adb_max_backoff);
  s.pull_limit = static_cast<size_t>(
      config.get_int("device.pull_limit_bytes", static_cast<int64_t>(s.pull_limit)));
  s.output_limit = static_cast<size_t>(
      config.get_int("device.output_limit_bytes", static_cast<int64_t>(s.output_limit)));
  s.workers = static_cast<int>(config.get_int("device.workers", s.workers));
  s.batch_max = static_cast<int>(config.get_int("device.batch_max", s.batch_max));
  s.batch_concurrency =
      static_cast<int>(config.get_int("device.batch_concurrency", s.batch_concurrency));
  s.reconcile_restart = config.get("device.reconcile", "restart") != "stop";
  return s;
}

}  // namespace cp::device
